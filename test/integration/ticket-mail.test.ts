/**
 * Issue 12 (7): the confirmation mail carries the ticket. Its PDF link opens the PDF by
 * itself (a signed link, valid until the show ends; a changed or expired link is 404);
 * the local outbox keeps the HTML part, the QR image and the PDF, and /dev/mail shows them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness, TestClock, type Harness } from '../support/harness.js';

interface StoredMail {
  id: string;
  text: string;
  html?: string;
  attachments?: { filename: string; contentType: string; cid?: string; base64: string }[];
}

const MIN = 60_000;
const clock = new TestClock();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clock });
});
afterAll(() => h.close());

async function book(showId: string, seatIds: string[]) {
  const u = await h.register('mailed');
  const s = await h.connect(u.token);
  await ack(s, 'seat:hold', { showId, seatIds });
  const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId, idempotencyKey: `mail-${Math.random().toString(36).slice(2)}` });
  if (!r.ok) throw new Error(JSON.stringify(r));
  s.disconnect();
  await h.app.services.notifications.drain();
  return r.booking;
}

function confirmationOf(bookingId: string): StoredMail {
  const file = readdirSync(h.mailDir).find((f) => f === `booking.confirmed_${bookingId}.json`);
  if (!file) throw new Error(`no confirmation for ${bookingId}`);
  return JSON.parse(readFileSync(join(h.mailDir, file), 'utf8')) as StoredMail;
}

/** The PDF link of the mail's text part (SNS subscribers get this same text). */
const pdfLinkOf = (mail: StoredMail) => /^PDF ticket: (\S+)$/m.exec(mail.text)?.[1];

/** Fetches a mailed link on this test server, with no token and no cookie. */
const open = (link: string) => fetch(link.replace('http://localhost:3000', h.url));

function pdfText(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mm-linked-')), 'ticket.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('the mailed PDF link', () => {
  it('downloads the ticket PDF without any login, shown inline; pdftotext shows the booking', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now() });
    const booking = await book(show.showId, ['C7', 'C8']);
    const link = pdfLinkOf(confirmationOf(booking.id));
    expect(link).toMatch(/^http:\/\/localhost:3000\/api\/tickets\/MMT1\.[^/]+\/ticket\.pdf$/);

    const res = await open(link!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^inline;/);
    const text = pdfText(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain(booking.id);
    expect(text).toContain('The Test Movie');
    expect(text).toContain('C7, C8');
  });

  it('a changed link is 404: another booking id, a later expiry, another signature', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now() });
    const [a, b] = [await book(show.showId, ['D1']), await book(show.showId, ['D2'])];
    const link = pdfLinkOf(confirmationOf(a.id))!;
    const token = /\/api\/tickets\/([^/]+)\/ticket\.pdf$/.exec(link)![1]!;
    const [prefix, id, exp, sig] = token.split('.') as [string, string, string, string];
    const changed = [
      [prefix, b.id, exp, sig],
      [prefix, id, String(Number(exp) + 7 * 24 * 3600), sig],
      [prefix, id, exp, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)],
      [prefix, id, exp],
      ['MM1', id, exp, sig],
    ].map((parts) => link.replace(token, parts.join('.')));
    for (const bad of changed) {
      const res = await open(bad);
      expect(res.status, bad).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    expect((await open(link)).status).toBe(200);
  });

  it('works until the show ends (start + runtime) and is 404 from then on', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), startsInMs: 3 * 3600_000 });
    const booking = await book(show.showId, ['E5']);
    const link = pdfLinkOf(confirmationOf(booking.id))!;
    const saved = clock.ms;
    try {
      clock.ms = show.show.startsAt + 120 * MIN - 1000;
      expect((await open(link)).status).toBe(200);
      clock.ms = show.show.startsAt + 120 * MIN;
      expect((await open(link)).status).toBe(404);
    } finally {
      clock.ms = saved;
    }
  });
});

describe('the confirmation in the local outbox', () => {
  it('keeps an HTML part whose inline QR decodes to the ticket code, and the PDF; /dev/mail shows the HTML', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now() });
    const booking = await book(show.showId, ['F1']);
    const mail = confirmationOf(booking.id);
    const qr = mail.attachments?.find((a) => a.contentType === 'image/png');
    expect(qr?.cid).toBeTruthy();
    expect(mail.html).toContain(`src="cid:${qr!.cid}"`);
    const dir = mkdtempSync(join(tmpdir(), 'mm-qr-'));
    writeFileSync(join(dir, 'qr.png'), Buffer.from(qr!.base64, 'base64'));
    expect(execFileSync('zbarimg', ['--raw', '-q', join(dir, 'qr.png')], { encoding: 'utf8' }).trim()).toBe(booking.ticketCode);
    const pdf = mail.attachments?.find((a) => a.contentType === 'application/pdf');
    expect(pdfText(Buffer.from(pdf!.base64, 'base64'))).toContain(booking.id);

    const page = await (await fetch(`${h.url}/dev/mail`)).text();
    const article = page.slice(page.indexOf(`data-mail="booking.confirmed:${booking.id}"`));
    expect(article).toMatch(/<iframe class="mail" sandbox [^>]*srcdoc="[^"]*data:image\/png;base64,/);
    const listed = (await (await fetch(`${h.url}/dev/mail`, { headers: { accept: 'application/json' } })).json()) as {
      mails: { id: string; attachments?: { contentType: string; url: string }[] }[];
    };
    const pdfUrl = listed.mails.find((m) => m.id === mail.id)?.attachments?.find((a) => a.contentType === 'application/pdf')?.url;
    const attached = await fetch(`${h.url}${pdfUrl}`);
    expect(attached.headers.get('content-type')).toBe('application/pdf');
    expect(pdfText(Buffer.from(await attached.arrayBuffer()))).toContain(booking.id);
  });
});
