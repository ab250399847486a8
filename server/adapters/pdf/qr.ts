/**
 * The ticket QR code (qrcode computes the modules). Every confirmation mail carries it,
 * so it is drawn cheaply: the qrcode package's own PNG output (RGBA through pngjs) blocked
 * the event loop for tens of milliseconds per ticket, which every live seat map on the
 * process would feel. A 1-bit greyscale PNG of the same modules is a few kilobytes of
 * deflate; the PDF draws the modules as vector squares (crisp when printed).
 */
import { deflateSync } from 'node:zlib';
import QRCode from 'qrcode';

/** Modules of the white border around the code (the QR specification asks for 4). */
export const QUIET_ZONE = 4;

export interface QrMatrix {
  size: number;
  dark(x: number, y: number): boolean;
}

export function qrMatrix(code: string): QrMatrix {
  const { modules } = QRCode.create(code, { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (x, y) => x >= 0 && y >= 0 && x < modules.size && y < modules.size && !!modules.get(y, x) };
}

/** The code as a black-on-white PNG, `scale` pixels per module, with the quiet zone. */
export function qrPng(code: string, scale = 8): Buffer {
  const qr = qrMatrix(code);
  const px = (qr.size + 2 * QUIET_ZONE) * scale;
  const rowBytes = Math.ceil(px / 8);
  // One filter byte (0: none) per row, then 1 bit per pixel; in 1-bit greyscale 1 is white.
  const raw = Buffer.alloc((rowBytes + 1) * px);
  for (let y = 0; y < px; y++) {
    const row = y * (rowBytes + 1) + 1;
    const my = Math.floor(y / scale) - QUIET_ZONE;
    for (let x = 0; x < px; x++) {
      if (!qr.dark(Math.floor(x / scale) - QUIET_ZONE, my)) raw[row + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(px, 0);
  header.writeUInt32BE(px, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
