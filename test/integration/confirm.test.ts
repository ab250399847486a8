import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingsResponse, SeatMap, type Ack, type HoldResult } from '../../protocol/index.js';
import { createShow } from '../support/fixtures.js';
import { ack, recordChanges, startHarness, waitFor, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type ConfirmAck = Ack<{ booking: Booking }>;
const newShow = () => createShow(h.app.stores.catalog, { now: h.clock.now() });
const get = async (path: string, token?: string) => {
  const res = await fetch(`${h.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as any };
};

describe('confirm', () => {
  it('turns all live holds into one booking priced on the server, broadcast as booked', async () => {
    const show = await newShow();
    const u = await h.register();
    const [s, watcher] = await Promise.all([h.connect(u.token), h.connect()]);
    await ack(watcher, 'show:join', { showId: show.showId });
    const log = recordChanges(watcher);
    await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['A1', 'J10'] });
    const r = await ack<ConfirmAck>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'first-booking-key' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const b = Booking.parse(r.booking);
    expect(b.seats).toEqual(['A1', 'J10']);
    // classic 180.00 + premium 250.00; fee 6 % = 25.80; GST 18 % of the fee = 4.64
    expect(b.lines).toEqual([
      { seatId: 'A1', category: 'classic', price: 18_000 },
      { seatId: 'J10', category: 'premium', price: 25_000 },
    ]);
    expect(b.breakdown).toEqual({ tickets: 43_000, convenienceFee: 2_580, tax: 464 });
    expect(b.total).toBe(46_044);
    expect(b.currency).toBe('INR');
    expect(b.show.movieTitle).toBe('The Test Movie');
    expect(b.show.startsAt).toMatch(/\+05:30$/);
    await waitFor(() => log.some((m) => m.changes.every((c) => c.status === 'booked') && m.changes.length === 2));

    const map = SeatMap.parse((await get(`/api/shows/${show.showId}/seats`)).body);
    expect(map.seats.filter((x) => x.status === 'booked').map((x) => x.id)).toEqual(['A1', 'J10']);
    const mine = BookingsResponse.parse((await get('/api/bookings', u.token)).body);
    expect(mine.bookings.map((x) => x.id)).toEqual([b.id]);
    // Booked seats cannot be held again, and the cart is empty.
    const other = await h.register();
    const so = await h.connect(other.token);
    expect(await ack(so, 'seat:hold', { showId: show.showId, seatIds: ['A1'] })).toMatchObject({
      ok: false,
      error: { code: 'SEAT_TAKEN', seatIds: ['A1'] },
    });
    expect(await ack(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'second-booking-key' })).toMatchObject({
      ok: false,
      error: { code: 'NO_HOLDS' },
    });
  });

  it('the same idempotency key twice (even at once) gives one booking', async () => {
    const show = await newShow();
    const u = await h.register();
    const s = await h.connect(u.token);
    await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['B1', 'B2'] });
    const req = { showId: show.showId, idempotencyKey: 'double-click-1234' };
    const [a, b] = await Promise.all([ack<ConfirmAck>(s, 'booking:confirm', req), ack<ConfirmAck>(s, 'booking:confirm', req)]);
    const c = await ack<ConfirmAck>(s, 'booking:confirm', req);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(b.booking.id).toBe(a.booking.id);
    expect(c.booking).toEqual(a.booking);
    const mine = BookingsResponse.parse((await get('/api/bookings', u.token)).body);
    expect(mine.bookings).toHaveLength(1);
    // The key is scoped to the show it was used for.
    const other = await newShow();
    expect(await ack(s, 'booking:confirm', { showId: other.showId, idempotencyKey: 'double-click-1234' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });

  it('another user can neither confirm your holds nor read your bookings', async () => {
    const show = await newShow();
    const [a, b] = await Promise.all([h.register('a'), h.register('b')]);
    const [sa, sb] = await Promise.all([h.connect(a.token), h.connect(b.token)]);
    await ack(sa, 'seat:hold', { showId: show.showId, seatIds: ['C1'] });
    expect(await ack(sb, 'booking:confirm', { showId: show.showId, idempotencyKey: 'steal-attempt-1' })).toMatchObject({
      ok: false,
      error: { code: 'NO_HOLDS' },
    });
    const r = await ack<ConfirmAck>(sa, 'booking:confirm', { showId: show.showId, idempotencyKey: 'own-booking-1' });
    if (!r.ok) throw new Error('confirm failed');
    expect((await get(`/api/bookings/${r.booking.id}`, a.token)).status).toBe(200);
    expect((await get(`/api/bookings/${r.booking.id}`, b.token)).status).toBe(404);
    expect((await get('/api/bookings', b.token)).body.bookings).toEqual([]);
    expect((await get('/api/bookings')).status).toBe(401);
  });

  it('prices follow the show currency (AED in fils)', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), currency: 'AED' });
    const u = await h.register();
    const s = await h.connect(u.token);
    await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['A1'] });
    const r = await ack<ConfirmAck>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'aed-booking-1' });
    expect(r.ok && r.booking).toMatchObject({ currency: 'AED', breakdown: { tickets: 18_000, convenienceFee: 900, tax: 45 }, total: 18_945 });
  });

  it('a confirmation mail with the booking details is sent', async () => {
    const show = await newShow();
    const u = await h.register('mailer');
    const s = await h.connect(u.token);
    await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['D3'] });
    const r = await ack<ConfirmAck>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'mail-booking-1' });
    if (!r.ok) throw new Error('confirm failed');
    await h.app.services.notifications.drain();
    const mails = (await (await fetch(`${h.url}/dev/mail`, { headers: { accept: 'application/json' } })).json()) as {
      mails: { to: string; text: string; subject: string }[];
    };
    const mail = mails.mails.find((m) => m.text.includes(r.booking.id));
    expect(mail?.to).toBe(u.email);
    expect(mail?.text).toContain('The Test Movie');
    expect(mail?.text).toContain('D3');
    expect(mail?.text).toContain('Asia/Kolkata');
  });
});

describe('hold expiry', () => {
  it('an expired hold is released by the sweeper, watchers see it, and it cannot be confirmed', async () => {
    const show = await newShow();
    const u = await h.register();
    const [s, watcher] = await Promise.all([h.connect(u.token), h.connect()]);
    await ack(watcher, 'show:join', { showId: show.showId });
    const log = recordChanges(watcher);
    const held = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['H1', 'H2'] });
    expect(held.ok).toBe(true);

    h.clock.advance(480_000 - 1);
    expect(await h.app.services.sweeper.sweep()).toBe(0);
    h.clock.advance(1); // expiresAt <= now: free
    // Free for everyone even before the sweeper runs.
    let map = SeatMap.parse((await (await fetch(`${h.url}/api/shows/${show.showId}/seats`)).json()));
    expect(map.seats.find((x) => x.id === 'H1')?.status).toBe('free');
    expect(await ack(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'too-late-key-1' })).toMatchObject({
      ok: false,
      error: { code: 'HOLD_EXPIRED', seatIds: ['H1', 'H2'] },
    });
    expect(await h.app.services.sweeper.sweep()).toBeGreaterThanOrEqual(2);
    await waitFor(() => log.some((m) => m.changes.some((c) => c.seatId === 'H1' && c.status === 'free')));
    expect(await h.app.services.sweeper.sweep()).toBe(0); // nothing twice
    map = SeatMap.parse((await (await fetch(`${h.url}/api/shows/${show.showId}/seats`)).json()));
    expect(map.seats.filter((x) => x.status !== 'free')).toEqual([]);
  });

  it('an expired hold that was not swept yet can be taken by someone else', async () => {
    const show = await newShow();
    const [a, b] = await Promise.all([h.register('a'), h.register('b')]);
    const [sa, sb] = await Promise.all([h.connect(a.token), h.connect(b.token)]);
    await ack(sa, 'seat:hold', { showId: show.showId, seatIds: ['I1'] });
    expect(await ack(sb, 'seat:hold', { showId: show.showId, seatIds: ['I1'] })).toMatchObject({ ok: false });
    h.clock.advance(480_000);
    expect(await ack(sb, 'seat:hold', { showId: show.showId, seatIds: ['I1'] })).toMatchObject({ ok: true });
    // The old holder's confirm fails; the sweeper leaves b's live hold alone.
    expect(await ack(sa, 'booking:confirm', { showId: show.showId, idempotencyKey: 'late-confirm-1' })).toMatchObject({
      ok: false,
      error: { code: 'HOLD_EXPIRED' },
    });
    await h.app.services.sweeper.sweep();
    const r = await ack<ConfirmAck>(sb, 'booking:confirm', { showId: show.showId, idempotencyKey: 'b-confirms-1' });
    expect(r.ok && r.booking.seats).toEqual(['I1']);
  });

  it('after expiry a new hold starts a new timer', async () => {
    const show = await newShow();
    const u = await h.register();
    const s = await h.connect(u.token);
    const first = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['J1'] });
    h.clock.advance(500_000);
    const second = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['J2'] });
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.seatIds).toEqual(['J2']);
    expect(new Date(second.expiresAt).getTime()).toBe(h.clock.now() + 480_000);
  });
});
