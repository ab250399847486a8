/**
 * The SMTP channel against a real SMTP server (smtp-server, in process): account and
 * booking mails arrive with their links and a stable Message-ID; the confirmation has an
 * HTML part with the QR inline and the PDF attached; a server refusing mail for a while
 * is retried by the outbox until it takes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { freePort } from '../../server/adapters/dynamo/embedded.js';
import { createSmtpNotifier } from '../../server/adapters/smtp.js';
import { createShow } from '../support/fixtures.js';
import { ack, call, startHarness, TestClock, type Harness } from '../support/harness.js';

const received: ParsedMail[] = [];
let refuseNext = 0;
let server: SMTPServer;
let notifier: ReturnType<typeof createSmtpNotifier>;
const clock = new TestClock();
let h: Harness;

beforeAll(async () => {
  const port = await freePort();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((mail) => {
          if (refuseNext > 0) {
            refuseNext--;
            return done(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
          }
          received.push(mail);
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  notifier = createSmtpNotifier({ url: `smtp://127.0.0.1:${port}`, from: 'Movie Magic <no-reply@tickets.example.com>', domain: 'tickets.example.com' });
  h = await startHarness({ clock, notifier, config: { requireVerifiedEmail: true, notificationPolicy: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000, leaseMs: 30_000 } } });
});
afterAll(async () => {
  await h.close();
  notifier.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const mailTo = (email: string, header: string) => received.find((m) => m.to && 'text' in m.to && m.to.text === email && m.headers.get('x-movie-magic-event') === header);

it('the verification mail arrives over SMTP with a working link; the booking confirmation follows, each with a stable Message-ID', async () => {
  const u = await h.register('smtp');
  await h.app.services.notifications.drain();
  const verify = mailTo(u.email, 'account.verify-email');
  expect(verify?.from?.value[0]).toMatchObject({ name: 'Movie Magic', address: 'no-reply@tickets.example.com' });
  expect(verify?.subject).toBe('Confirm your email for Movie Magic');
  expect(verify?.messageId).toBe(`<account.verify-email.${u.userId}.1@tickets.example.com>`);
  const token = /verify-email\?token=(\S+)/.exec(verify!.text ?? '')![1]!;
  expect((await call(h.url, 'POST', '/api/auth/verify-email', { body: { token } })).status).toBe(200);

  const show = await createShow(h.app.stores.catalog, { now: clock.now() });
  const s = await h.connect(u.token);
  await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['B2'] });
  const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'smtp-booking-1' });
  expect(r.ok).toBe(true);
  await h.app.services.notifications.drain();
  const confirmation = mailTo(u.email, 'booking.confirmed');
  expect(confirmation?.subject).toMatch(/^Booking confirmed: The Test Movie, B2$/);
  expect(confirmation?.messageId).toBe(`<booking.confirmed.${r.ok ? r.booking.id : ''}@tickets.example.com>`);
});

it('the confirmation over SMTP has an HTML part with an inline QR image that decodes to the ticket code, and the PDF attached', async () => {
  const u = await h.register('smtp-html');
  await h.app.services.notifications.drain();
  const verifyToken = /verify-email\?token=(\S+)/.exec(mailTo(u.email, 'account.verify-email')!.text ?? '')![1]!;
  expect((await call(h.url, 'POST', '/api/auth/verify-email', { body: { token: verifyToken } })).status).toBe(200);
  const show = await createShow(h.app.stores.catalog, { now: clock.now() });
  const s = await h.connect(u.token);
  await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['C3', 'C4'] });
  const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'smtp-html-booking-1' });
  if (!r.ok) throw new Error(JSON.stringify(r));
  await h.app.services.notifications.drain();
  const mail = mailTo(u.email, 'booking.confirmed')!;

  // The text part stays, with the signed PDF link; the HTML part shows the booking.
  expect(mail.text).toMatch(/^PDF ticket: http:\/\/localhost:3000\/api\/tickets\/MMT1\.\S+\/ticket\.pdf$/m);
  expect(mail.html).toBeTruthy();
  expect(mail.html).toContain('The Test Movie');
  expect(mail.html).toContain('C3, C4');

  const qr = mail.attachments.find((a) => a.contentType === 'image/png');
  expect(qr?.contentDisposition).toBe('inline');
  expect(qr?.related).toBe(true);
  // mailparser resolves the cid reference into a data: URI when the part is there.
  expect(mail.html).not.toMatch(/src="cid:/);
  expect(mail.html).toMatch(/<img src="data:image\/png;base64,/);
  const dir = mkdtempSync(join(tmpdir(), 'mm-smtp-'));
  writeFileSync(join(dir, 'qr.png'), qr!.content);
  expect(execFileSync('zbarimg', ['--raw', '-q', join(dir, 'qr.png')], { encoding: 'utf8' }).trim()).toBe(r.booking.ticketCode);

  const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
  expect(pdf?.contentDisposition).toBe('attachment');
  expect(pdf?.filename).toBe(`movie-magic-${r.booking.id}.pdf`);
  writeFileSync(join(dir, 'ticket.pdf'), pdf!.content);
  const text = execFileSync('pdftotext', ['-layout', join(dir, 'ticket.pdf'), '-'], { encoding: 'utf8' });
  expect(text).toContain(r.booking.id);
  expect(text).toContain('C3, C4');
});

it('a server that refuses mail for a while (451) is retried with backoff until it accepts, once', async () => {
  const before = received.length;
  refuseNext = 2;
  const u = await h.register('busy-mailbox');
  await h.app.services.notifications.drain(); // try 1: refused
  for (let i = 0; i < 3; i++) {
    clock.advance(5000);
    await h.app.services.notifications.dispatchOnce();
  }
  const mails = received.slice(before).filter((m) => m.to && 'text' in m.to && m.to.text === u.email);
  expect(mails).toHaveLength(1);
  expect(await h.app.stores.outbox.get(`account.verify-email:${u.userId}:1`)).toMatchObject({ status: 'sent', attempts: 3 });
});
