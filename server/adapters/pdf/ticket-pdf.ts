/** One-page PDF ticket (pdfkit) with the signed code as a QR (qrcode). */
import PDFDocument from 'pdfkit';
import { formatLocal } from '../../domain/messages.js';
import type { BookingRecord } from '../../ports.js';
import { qrMatrix, qrPng, QUIET_ZONE } from './qr.js';

/** The ticket code as a QR code (PNG), for the mail. */
export const renderTicketQr = async (code: string): Promise<Buffer> => qrPng(code);

/** The QR as vector squares, `width` points wide with its quiet zone, top left at (x, y). */
function drawQr(doc: PDFKit.PDFDocument, code: string, x: number, y: number, width: number) {
  const qr = qrMatrix(code);
  const unit = width / (qr.size + 2 * QUIET_ZONE);
  doc.save().rect(x, y, width, width).fill('#fff').fillColor('#000');
  for (let my = 0; my < qr.size; my++) {
    for (let mx = 0; mx < qr.size; mx++) {
      if (qr.dark(mx, my)) doc.rect(x + (mx + QUIET_ZONE) * unit, y + (my + QUIET_ZONE) * unit, unit, unit);
    }
  }
  doc.fill().restore();
}

export async function renderTicketPdf(b: BookingRecord, code: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A5', margin: 36, info: { Title: `Movie Magic ticket ${b.id}`, Author: 'Movie Magic' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc.fillColor('#b4232f').fontSize(11).text('MOVIE MAGIC · E-TICKET', { characterSpacing: 1 });
  doc.moveDown(0.4).fillColor('#111').fontSize(20).text(b.show.movieTitle);
  doc.fontSize(11).fillColor('#444').text(`${b.show.language} · ${b.show.screenName}`);
  doc.moveDown(0.6).fillColor('#111').fontSize(12).text(b.show.theatreName);
  doc.fontSize(10).fillColor('#444').text(b.show.theatreAddress);
  doc.moveDown(0.6).fillColor('#111').fontSize(12).text(formatLocal(b.show.startsAt, b.show.timeZone));
  doc.moveDown(0.6).fontSize(16).text(`Seats: ${b.seats.join(', ')}`);
  // The standard PDF fonts have no ₹ glyph: the ISO code reads right everywhere.
  doc.moveDown(0.4).fontSize(10).fillColor('#444').text(`Total paid: ${b.currency} ${(b.total / 100).toFixed(2)}`);
  if (b.status === 'cancelled') doc.moveDown(0.4).fillColor('#b4232f').fontSize(14).text('CANCELLED: not valid for entry');
  const qrSize = 170;
  const x = (doc.page.width - qrSize) / 2;
  const y = doc.y + 16;
  drawQr(doc, code, x, y, qrSize);
  doc.y = y + qrSize + 8;
  doc.fillColor('#111').fontSize(9).text(`Booking ${b.id}`, { align: 'center' });
  doc.fontSize(7).fillColor('#666').text(code, { align: 'center' });
  doc.moveDown(0.6).fontSize(8).text('Show this code at the door. One entry per booking.', { align: 'center' });
  doc.end();
  return done;
}
