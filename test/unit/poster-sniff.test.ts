/** Uploads are judged by their bytes (magic numbers, then a full decode), never by their names. */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { posterWidths, sniffImage } from '../../server/domain/poster-sniff.js';
import { encodePoster } from '../../server/services/posters.js';

const dir = mkdtempSync(join(tmpdir(), 'mm-sniff-'));
/** Writes bytes under a name and reads them back, as an upload would arrive: the name goes nowhere. */
const asFile = (name: string, bytes: Buffer) => {
  writeFileSync(join(dir, name), bytes);
  return readFileSync(join(dir, name));
};
const picture = (format: 'jpeg' | 'png' | 'webp', w = 320, h = 480) =>
  sharp({ create: { width: w, height: h, channels: 3, background: '#c0392b' } })[format]().toBuffer();

describe('sniffing an upload', () => {
  it('recognises JPEG (FF D8 FF), PNG (89 50 4E 47 0D 0A 1A 0A) and WebP (RIFF....WEBP) by their first bytes', async () => {
    expect(sniffImage(await picture('jpeg'))).toBe('jpeg');
    expect(sniffImage(await picture('png'))).toBe('png');
    expect(sniffImage(await picture('webp'))).toBe('webp');
  });

  it('a PNG renamed .jpg is accepted as a PNG', async () => {
    const bytes = asFile('poster.jpg', await picture('png'));
    expect(sniffImage(bytes)).toBe('png');
    const encoded = await encodePoster(bytes);
    expect(encoded.ok).toBe(true);
  });

  it('a text file named .png is refused (poster_type)', async () => {
    const bytes = asFile('poster.png', Buffer.from('PNG? no, just words\n'));
    expect(sniffImage(bytes)).toBeNull();
    expect(await encodePoster(bytes)).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'poster_type' } });
  });

  it('other look-alikes are refused: a RIFF that is not WEBP (a WAV), a GIF, an SVG, an empty file', () => {
    expect(sniffImage(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull();
    expect(sniffImage(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBeNull();
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });

  it('a truncated file is refused: too short to carry its signature (poster_type), or cut off after it (poster_unreadable)', async () => {
    const png = await picture('png');
    expect(sniffImage(png.subarray(0, 5))).toBeNull();
    expect(sniffImage((await picture('webp')).subarray(0, 10))).toBeNull();
    expect(await encodePoster(png.subarray(0, 5))).toMatchObject({ ok: false, error: { reason: 'poster_type' } });
    for (const format of ['jpeg', 'png', 'webp'] as const) {
      const whole = await picture(format);
      const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
      expect(sniffImage(cut), format).toBe(format);
      expect(await encodePoster(cut), format).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'poster_unreadable' } });
    }
  });

  it('sizes are never upscaled, and the narrowest is always made', () => {
    expect(posterWidths(1000)).toEqual([160, 320, 640]);
    expect(posterWidths(640)).toEqual([160, 320, 640]);
    expect(posterWidths(639)).toEqual([160, 320]);
    expect(posterWidths(160)).toEqual([160]);
  });
});
