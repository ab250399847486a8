/** One-page PDF ticket (pdfkit) with the signed code as a QR (qrcode). */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatLocal } from '../../domain/messages.js';
import type { BookingRecord } from '../../ports.js';

/** The ticket code as a QR code (PNG), for the PDF and the mail. */
export const renderTicketQr = (code: string): Promise<Buffer> => QRCode.toBuffer(code, { errorCorrectionLevel: 'M', margin: 2, scale: 8 });

export async function renderTicketPdf(b: BookingRecord, code: string): Promise<Buffer> {
  const qr = await renderTicketQr(code);
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
  doc.image(qr, x, y, { width: qrSize, height: qrSize });
  doc.y = y + qrSize + 8;
  doc.fillColor('#111').fontSize(9).text(`Booking ${b.id}`, { align: 'center' });
  doc.fontSize(7).fillColor('#666').text(code, { align: 'center' });
  doc.moveDown(0.6).fontSize(8).text('Show this code at the door. One entry per booking.', { align: 'center' });
  doc.end();
  return done;
}
