/**
 * Issue 5: every booking gets exactly one correct confirmation through the outbox,
 * even when the channel fails or the process dies between send and mark; PDF tickets
 * with a QR that verifies; cancellation with refunds; other users' bookings hidden.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { formatLocal, formatMoney } from '../../server/domain/messages.js';
import type { MailMessage, Notifier } from '../../server/ports.js';
import { createShow } from '../support/fixtures.js';
import { ack, recordChanges, startHarness, waitFor, TestClock, type Harness } from '../support/harness.js';

type ConfirmAck = Ack<{ booking: Booking }>;
interface StoredMail extends MailMessage {
  sentAt: string;
}

/**
 * The channel can be told to fail booking notices (the subject here; sign-ups' verification
 * mails pass); every message that got through is also counted here.
 */
let failuresLeft = 0;
const delivered: MailMessage[] = [];
let realSend: Notifier['send'] = async () => undefined;
const channel: Notifier = {
  async send(message) {
    if (failuresLeft > 0 && message.kind.startsWith('booking.')) {
      failuresLeft--;
      throw new Error('channel down (injected)');
    }
    await realSend(message);
    delivered.push(message);
  },
};

const clock = new TestClock();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clock, notifier: channel, config: { notificationPolicy: { maxAttempts: 5, baseDelayMs: 2000, maxDelayMs: 60_000, leaseMs: 30_000 } } });
  const { createMailOutbox } = await import('../../server/adapters/mail/outbox.js');
  realSend = createMailOutbox(h.mailDir, clock.now).notifier.send;
});
afterAll(() => h.close());

const mails = () =>
  readdirSync(h.mailDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(h.mailDir, f), 'utf8')) as StoredMail);

async function book(user: { token: string }, showId: string, seatIds: string[], key: string) {
  const s = await h.connect(user.token);
  const held = await ack<Ack<object>>(s, 'seat:hold', { showId, seatIds });
  if (!held.ok) throw new Error(`hold failed: ${JSON.stringify(held)}`);
  const r = await ack<ConfirmAck>(s, 'booking:confirm', { showId, idempotencyKey: key });
  if (!r.ok) throw new Error(`confirm failed: ${JSON.stringify(r)}`);
  return r.booking;
}

const http = async (method: string, path: string, token?: string, body?: unknown) => {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.includes('json') ? ((await res.json()) as any) : Buffer.from(await res.arrayBuffer()) };
};

async function staffToken(role: 'admin' | 'staff' = 'admin') {
  const r = await h.app.services.auth.register({ name: 'Door', email: `door-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' }, role, ['test-theatre']);
  if (!r.ok) throw new Error('staff register failed');
  return r.value.token;
}

describe('confirmation outbox', () => {
  it('a booking produces exactly one message whose every field matches the booking', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now() });
    const u = await h.register('asha');
    const booking = await book(u, show.showId, ['C4', 'C5'], 'outbox-booking-1');
    await h.app.services.notifications.drain();

    const mine = mails().filter((m) => m.text.includes(booking.id));
    expect(mine).toHaveLength(1);
    const m = mine[0]!;
    expect(m.id).toBe(`booking.confirmed:${booking.id}`);
    expect(m.kind).toBe('booking.confirmed');
    expect(m.to).toBe(u.email);
    expect(m.subject).toBe(`Booking confirmed: ${booking.show.movieTitle}, C4, C5`);
    const line = (label: string) => m.text.split('\n').find((l) => l.startsWith(`${label}:`))?.slice(label.length + 1).trim();
    expect(line('Booking')).toBe(booking.id);
    expect(line('Movie')).toBe(`${booking.show.movieTitle} (${booking.show.language})`);
    expect(line('Theatre')).toBe(`${booking.show.theatreName}, ${booking.show.screenName}`);
    expect(line('Address')).toBe(booking.show.theatreAddress);
    expect(line('When')).toBe(formatLocal(booking.show.startsAt, booking.show.timeZone));
    expect(line('When')).toMatch(/Asia\/Kolkata/);
    expect(line('Seats')).toBe(booking.seats.join(', '));
    expect(line('Tickets')).toBe(formatMoney(booking.breakdown.tickets, booking.currency));
    expect(line('Fee')).toBe(formatMoney(booking.breakdown.convenienceFee, booking.currency));
    expect(line('Tax')).toBe(formatMoney(booking.breakdown.tax, booking.currency));
    expect(line('Total')).toBe(formatMoney(booking.total, booking.currency));
    expect(line('Your ticket')).toBe(`http://localhost:3000/bookings/${booking.id}`);

    const notes = await h.app.services.notifications.forBooking(booking.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ status: 'sent', attempts: 1, kind: 'booking.confirmed' });
  });

  it('a channel failing 3 times delivers on the 4th try, once, with backoff between tries', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now() });
    const u = await h.register('flaky');
    failuresLeft = 3;
    const booking = await book(u, show.showId, ['D1'], 'outbox-flaky-1');
    await h.app.services.notifications.drain(); // try 1 (right after confirm) failed
    const id = `booking.confirmed:${booking.id}`;
    expect(await h.app.stores.outbox.get(id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'channel down (injected)' });

    // Not due yet: nothing is sent before the backoff has passed.
    expect(await h.app.services.notifications.dispatchOnce()).toEqual({});
    for (const [attempts, wait] of [[2, 2000], [3, 4000], [4, 8000]] as const) {
      clock.advance(wait);
      await h.app.services.notifications.dispatchOnce();
      expect((await h.app.stores.outbox.get(id))?.attempts).toBe(attempts);
    }
    expect(await h.app.stores.outbox.get(id)).toMatchObject({ status: 'sent', attempts: 4 });
    expect(delivered.filter((m) => m.id === id)).toHaveLength(1);
    expect(mails().filter((m) => m.id === id)).toHaveLength(1);
  });

  it('a channel that never recovers parks the message as failed (kept, visible to admins, retryable)', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now() });
    const u = await h.register('doomed');
    failuresLeft = 1000;
    const booking = await book(u, show.showId, ['E1'], 'outbox-doomed-1');
    await h.app.services.notifications.drain();
    const id = `booking.confirmed:${booking.id}`;
    for (let i = 0; i < 6; i++) {
      clock.advance(60_000);
      await h.app.services.notifications.dispatchOnce();
    }
    expect(await h.app.stores.outbox.get(id)).toMatchObject({ status: 'failed', attempts: 5 });
    const admin = await staffToken('admin');
    const list = await http('GET', '/api/staff/notifications/failed', admin);
    expect(list.body.notifications.map((n: { id: string }) => n.id)).toContain(id);
    expect((await http('GET', '/api/staff/notifications/failed', u.token)).status).toBe(403);

    failuresLeft = 0;
    expect(await h.app.services.notifications.retryFailed(id)).toBe(true);
    await h.app.services.notifications.dispatchOnce();
    expect(await h.app.stores.outbox.get(id)).toMatchObject({ status: 'sent' });
    expect(mails().filter((m) => m.id === id)).toHaveLength(1);
  });

  it('a process that dies between send and mark re-sends after the lease with the same id: still one message', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now() });
    const u = await h.register('crash');
    failuresLeft = 1; // keep the immediate delivery from finishing: the "crashed" worker below takes over
    const booking = await book(u, show.showId, ['F1'], 'outbox-crash-1');
    await h.app.services.notifications.drain();
    const id = `booking.confirmed:${booking.id}`;
    clock.advance(2000);

    // A worker claims it, sends it, and dies before marking it sent.
    const claimed = await h.app.stores.outbox.claim(id, clock.now(), 30_000);
    expect(claimed).not.toBeNull();
    const stored = (await h.app.stores.bookings.get(booking.id))!;
    const { notificationMessage } = await import('../../server/domain/messages.js');
    await channel.send(notificationMessage('booking.confirmed', stored, u.email, { publicUrl: 'http://localhost:3000' }));

    // While the dead worker's lease lasts nobody else sends it.
    expect(await h.app.services.notifications.dispatchOnce()).toEqual({ skipped: 1 });
    clock.advance(30_001);
    expect(await h.app.services.notifications.dispatchOnce()).toEqual({ sent: 1 });
    expect(await h.app.stores.outbox.get(id)).toMatchObject({ status: 'sent', attempts: 3 });
    // Sent twice to the channel, with one deduplication id: one message in the mailbox.
    expect(delivered.filter((m) => m.id === id)).toHaveLength(2);
    expect(mails().filter((m) => m.id === id)).toHaveLength(1);
  });
});

describe('tickets', () => {
  it('the PDF opens, shows the booking, and its QR decodes to a code that verifies once; a changed code is forged', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now() });
    const u = await h.register('pdf');
    const booking = await book(u, show.showId, ['G7', 'G8'], 'pdf-booking-1');
    expect(booking.ticketCode).toMatch(/^MM1\./);

    const pdf = await http('GET', `/api/bookings/${booking.id}/ticket.pdf`, u.token);
    expect(pdf.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'mm-ticket-'));
    const file = join(dir, 'ticket.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const artifacts = join(process.cwd(), 'test/artifacts');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'ticket.pdf'), pdf.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+1/);
    expect(text).toContain(booking.id);
    expect(text).toContain(booking.show.movieTitle);
    expect(text).toContain('G7, G8');
    expect(text.replace(/\s+/g, ' ')).toContain(formatLocal(booking.show.startsAt, booking.show.timeZone));

    execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', file, join(dir, 'page')]);
    execFileSync('cp', [join(dir, 'page.png'), join(artifacts, 'ticket.png')]);
    const code = execFileSync('zbarimg', ['--raw', '-q', join(dir, 'page.png')], { encoding: 'utf8' }).trim();
    expect(code).toBe(booking.ticketCode);

    // At the door half an hour before the show (it lets tickets in from an hour before).
    const saved = clock.ms;
    clock.ms = show.show.startsAt - 30 * 60_000;
    const door = await staffToken('staff');
    const first = await http('POST', '/api/tickets/verify', door, { code });
    expect(first.body).toMatchObject({ result: 'valid', booking: { id: booking.id, seats: ['G7', 'G8'] } });
    expect((await http('POST', '/api/tickets/verify', door, { code })).body.result).toBe('already_used');
    const sig = code.split('.')[2]!;
    const forgedSig = code.slice(0, -sig.length) + (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    expect((await http('POST', '/api/tickets/verify', door, { code: forgedSig })).body.result).toBe('forged');
    const otherBooking = code.replace(booking.id, `${booking.id.slice(0, -1)}${booking.id.endsWith('x') ? 'y' : 'x'}`);
    expect((await http('POST', '/api/tickets/verify', door, { code: otherBooking })).body.result).toBe('forged');
    expect((await http('POST', '/api/tickets/verify', door, { code: 'hello' })).body.result).toBe('forged');
    clock.ms = saved;
    // Customers cannot check tickets; bad bodies are validation errors.
    expect((await http('POST', '/api/tickets/verify', u.token, { code })).status).toBe(403);
    expect((await http('POST', '/api/tickets/verify', undefined, { code })).status).toBe(401);
    expect((await http('POST', '/api/tickets/verify', door, { code: 42 })).body.error.code).toBe('VALIDATION');
  });
});

describe('cancellation', () => {
  it('frees the seats live for others, refunds by the policy, sends one notice; twice is harmless', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), startsInMs: 3 * 24 * 3600_000 });
    const u = await h.register('cancel');
    const booking = await book(u, show.showId, ['H1', 'H2'], 'cancel-booking-1');
    const watcher = await h.connect();
    await ack(watcher, 'show:join', { showId: show.showId });
    const seen = recordChanges(watcher);

    const r = await http('POST', `/api/bookings/${booking.id}/cancel`, u.token);
    expect(r.status).toBe(200);
    expect(r.body.booking).toMatchObject({ status: 'cancelled', refund: { percent: 100, amount: booking.total } });
    expect(r.body.booking.ticketCode).toBeUndefined();
    await waitFor(() => seen.some((m) => m.changes.some((c) => c.seatId === 'H1' && c.status === 'free')), 5000, 'release broadcast');

    const again = await http('POST', `/api/bookings/${booking.id}/cancel`, u.token);
    expect(again.status).toBe(200);
    expect(again.body.booking).toMatchObject({ status: 'cancelled', refund: { percent: 100 } });

    const other = await h.register('taker');
    const s = await h.connect(other.token);
    expect(await ack<Ack<object>>(s, 'seat:hold', { showId: show.showId, seatIds: ['H1', 'H2'] })).toMatchObject({ ok: true });

    await h.app.services.notifications.drain();
    const notices = mails().filter((m) => m.id === `booking.cancelled:${booking.id}`);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain(`Refund:   ${formatMoney(booking.total, booking.currency)} (100%)`);
    // The listing keeps it, as cancelled; the door rejects its ticket.
    const list = await http('GET', '/api/bookings', u.token);
    expect(list.body.bookings.find((b: Booking) => b.id === booking.id)).toMatchObject({ status: 'cancelled' });
    const door = await staffToken('staff');
    expect((await http('POST', '/api/tickets/verify', door, { code: booking.ticketCode })).body.result).toBe('cancelled');
  });

  it('refund tiers at their exact boundaries: 24 h → 100 %, 2 h → 50 %, 2 h − 1 ms → 0 %; none once started', async () => {
    const cases: [msBefore: number, percent: number][] = [
      [24 * 3600_000, 100],
      [24 * 3600_000 - 1, 50],
      [2 * 3600_000, 50],
      [2 * 3600_000 - 1, 0],
    ];
    for (const [msBefore, percent] of cases) {
      // Booked a minute before the tier's boundary (tokens last an hour on the test clock).
      const show = await createShow(h.app.stores.catalog, { now: clock.now(), startsInMs: msBefore + 60_000 });
      const u = await h.register('tier');
      const booking = await book(u, show.showId, ['J1'], `tier-${msBefore}`);
      const saved = clock.ms;
      clock.ms = show.show.startsAt - msBefore;
      const r = await http('POST', `/api/bookings/${booking.id}/cancel`, u.token);
      clock.ms = saved;
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.booking.refund, `${msBefore} ms before`).toEqual({ percent, amount: Math.round((booking.total * percent) / 100) });
    }
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), startsInMs: 30 * 60_000 });
    const u = await h.register('late');
    const booking = await book(u, show.showId, ['J9'], 'late-booking');
    const saved = clock.ms;
    clock.ms = show.show.startsAt;
    const r = await http('POST', `/api/bookings/${booking.id}/cancel`, u.token);
    clock.ms = saved;
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('SHOW_CLOSED');
  });

  it("another user's booking cannot be read, downloaded or cancelled (404), and nothing changes", async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now() });
    const owner = await h.register('owner');
    const booking = await book(owner, show.showId, ['B9'], 'owner-booking');
    const intruder = await h.register('intruder');
    expect((await http('GET', `/api/bookings/${booking.id}`, intruder.token)).status).toBe(404);
    expect((await http('GET', `/api/bookings/${booking.id}/ticket.pdf`, intruder.token)).status).toBe(404);
    expect((await http('POST', `/api/bookings/${booking.id}/cancel`, intruder.token)).status).toBe(404);
    expect((await http('POST', `/api/bookings/${booking.id}/cancel`)).status).toBe(401);
    expect((await http('GET', `/api/bookings/${booking.id}/ticket.pdf`)).status).toBe(401);
    expect((await http('POST', '/api/bookings/not%20an%20id/cancel', owner.token)).status).toBe(400);
    expect((await h.app.stores.bookings.get(booking.id))?.status).toBe('confirmed');
  });
});
