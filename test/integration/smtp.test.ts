/**
 * The SMTP channel against a real SMTP server (smtp-server, in process): account and
 * booking mails arrive with their links and a stable Message-ID; a server refusing mail
 * for a while is retried by the outbox until it takes it.
 */
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
