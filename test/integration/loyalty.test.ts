/**
 * Issue 17, loyalty: points through the real server and DynamoDB Local. The ledger is checked
 * after every race: the balance equals the sum of its entries, never goes below zero, and each
 * event has at most one entry (the store's conditions, in the booking's own transaction).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, LoyaltyAccount, Quote, type Ack, type QueueJoinResult } from '../../protocol/index.js';
import { createShow } from '../support/fixtures.js';
import { ack, call, startHarness, type ClientSocket, type Harness } from '../support/harness.js';

type ConfirmAck = Ack<{ booking: Booking }>;
let keys = 0;
const key = () => `loyalty-key-${++keys}-${Date.now()}`;
const row = (r: string, n: number) => Array.from({ length: n }, (_, i) => `${r}${i + 1}`);

async function accountOf(h: Harness, token: string): Promise<LoyaltyAccount> {
  const r = await call(h.url, 'GET', '/api/me/loyalty', { token });
  expect(r.status).toBe(200);
  return LoyaltyAccount.parse(r.body);
}

/** The ledger is the balance's history: they agree, nothing is below zero, one entry per event. */
function expectConsistent(a: LoyaltyAccount) {
  expect(a.points).toBeGreaterThanOrEqual(0);
  expect(a.points).toBe(a.ledger.reduce((s, e) => s + e.points, 0));
  const events = a.ledger.map((e) => `${e.kind}#${e.bookingId}`);
  expect(new Set(events).size).toBe(events.length);
}

async function hold(socket: ClientSocket, showId: string, seatIds: string[]) {
  const held = await ack<Ack>(socket, 'seat:hold', { showId, seatIds });
  if (!held.ok) throw new Error(`hold: ${JSON.stringify(held)}`);
}
const confirm = (socket: ClientSocket, showId: string, extra: Record<string, unknown> = {}, idempotencyKey = key()) =>
  ack<ConfirmAck>(socket, 'booking:confirm', { showId, idempotencyKey, ...extra });
async function book(socket: ClientSocket, showId: string, seatIds: string[], extra: Record<string, unknown> = {}): Promise<Booking> {
  await hold(socket, showId, seatIds);
  const r = await confirm(socket, showId, extra);
  if (!r.ok) throw new Error(`confirm: ${JSON.stringify(r)}`);
  return Booking.parse(r.booking);
}

describe('loyalty points, booking at once (PAYMENT_GATEWAY=none)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  const newShow = () => createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 3 * 24 * 3600_000 });
  const buyer = async () => {
    const u = await h.register('loyal');
    return { ...u, socket: await h.connect(u.token) };
  };

  it('credits a booking once when the same confirm is sent twice at once and again after: one earn entry of 1 point per ₹10', async () => {
    const show = await newShow();
    const u = await buyer();
    expect(await accountOf(h, u.token)).toEqual({ points: 0, tier: 'member', tierPoints: 0, ledger: [] });
    await hold(u.socket, show.showId, ['A1', 'A2']);
    const k = key();
    const [a, b] = await Promise.all([confirm(u.socket, show.showId, {}, k), confirm(u.socket, show.showId, {}, k)]);
    const c = await confirm(u.socket, show.showId, {}, k);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(new Set([a.booking.id, b.booking.id, c.booking.id]).size).toBe(1);
    expect(a.booking.loyalty).toEqual({ earn: 36, redeem: 0, discount: 0 }); // ₹360 of tickets
    const acc = await accountOf(h, u.token);
    expect(acc.points).toBe(36);
    expect(acc.ledger).toMatchObject([{ kind: 'earn', bookingId: a.booking.id, points: 36 }]);
    expectConsistent(acc);
  });

  it('20 confirms at once by one user on 20 shows each credit their points exactly once', async () => {
    const shows = await Promise.all(Array.from({ length: 20 }, () => newShow()));
    const u = await buyer();
    for (const s of shows) await hold(u.socket, s.showId, ['J1']);
    const results = await Promise.all(shows.map((s) => confirm(u.socket, s.showId)));
    expect(results.every((r) => r.ok)).toBe(true);
    const acc = await accountOf(h, u.token);
    expect(acc.points).toBe(20 * 25); // ₹250 each
    expect(acc.ledger.filter((e) => e.kind === 'earn')).toHaveLength(20);
    expect(new Set(acc.ledger.map((e) => e.bookingId))).toEqual(new Set(results.map((r) => (r.ok ? r.booking.id : ''))));
    expectConsistent(acc);
  });

  it('redemption is priced by the server only: the quote applies at most 20 % of the tickets, and confirm ignores any amount the client sends', async () => {
    const u = await buyer();
    await book(u.socket, (await newShow()).showId, row('A', 10)); // ₹1,800 → 180 points
    const show = await newShow();
    // Not signed in: a plain price, no points.
    const anon = Quote.parse((await call(h.url, 'GET', `/api/shows/${show.showId}/quote?seats=A1,A2&points=1000`)).body);
    expect(anon.loyalty).toBeUndefined();
    expect(anon.total).toBe(36_000 + 2_160 + 389);
    const q = Quote.parse((await call(h.url, 'GET', `/api/shows/${show.showId}/quote?seats=A1,A2&points=1000`, { token: u.token })).body);
    // ₹360 of tickets: points pay at most ₹72 (72 points at ₹1).
    expect(q.loyalty).toEqual({ balance: 180, max: 72, maxDiscount: 7_200, applied: 72, discount: 7_200, earn: 28 });
    expect(q.breakdown).toEqual({ tickets: 36_000, convenienceFee: 2_160, tax: 389, discount: 7_200 });
    expect(q.total).toBe(36_000 + 2_160 + 389 - 7_200);
    await hold(u.socket, show.showId, ['A1', 'A2']);
    const r = await confirm(u.socket, show.showId, { usePoints: 1000, discount: 999_999, total: 1, breakdown: { tickets: 1, convenienceFee: 0, tax: 0, discount: 999_999 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.booking.total).toBe(q.total);
    expect(r.booking.breakdown).toEqual(q.breakdown);
    expect(r.booking.loyalty).toEqual({ earn: 28, redeem: 72, discount: 7_200 });
    const acc = await accountOf(h, u.token);
    expect(acc.points).toBe(180 - 72 + 28);
    expect(acc.ledger.filter((e) => e.bookingId === r.booking.id).map((e) => [e.kind, e.points]).sort()).toEqual([['earn', 28], ['redeem', -72]]);
    expectConsistent(acc);
  });

  it('cancelling reverses the points earned and returns the points used by the refund percent (50 % under 24 h)', async () => {
    const u = await buyer();
    const first = await book(u.socket, (await newShow()).showId, row('A', 10)); // +180
    const full = await call(h.url, 'POST', `/api/bookings/${first.id}/cancel`, { token: u.token });
    expect(full.body.booking.status).toBe('cancelled');
    let acc = await accountOf(h, u.token);
    expect(acc.points).toBe(0);
    expect(acc.ledger.map((e) => [e.kind, e.points]).sort()).toEqual([['earn', 180], ['reverse', -180]]);
    expect(acc.tierPoints).toBe(0);

    await book(u.socket, (await newShow()).showId, row('A', 10)); // +180
    const soon = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 12 * 3600_000 });
    const used = await book(u.socket, soon.showId, row('B', 5), { usePoints: 50 }); // ₹900: 50 points, earns 85
    expect(used.loyalty).toEqual({ earn: 85, redeem: 50, discount: 5_000 });
    expect((await accountOf(h, u.token)).points).toBe(180 - 50 + 85);
    const half = await call(h.url, 'POST', `/api/bookings/${used.id}/cancel`, { token: u.token });
    expect(half.body.booking.refund.percent).toBe(50);
    acc = await accountOf(h, u.token);
    expect(acc.points).toBe(180 - 50 + 85 + 25 - 85);
    expect(acc.ledger.filter((e) => e.bookingId === used.id).map((e) => [e.kind, e.points]).sort()).toEqual([['earn', 85], ['redeem', -50], ['refund', 25], ['reverse', -85]]);
    expectConsistent(acc);
    // Cancelling again changes nothing.
    await call(h.url, 'POST', `/api/bookings/${used.id}/cancel`, { token: u.token });
    expect(await accountOf(h, u.token)).toEqual(acc);
  });

  it('redemptions and a cancellation at once never drive the balance below zero: the loser is told NOT_ENOUGH_POINTS and keeps its seats', async () => {
    const u = await buyer();
    const earned = await book(u.socket, (await newShow()).showId, ['A1', 'A2']); // +36
    const shows = await Promise.all(Array.from({ length: 5 }, () => newShow()));
    for (const s of shows) await hold(u.socket, s.showId, ['A1']); // ₹180 each: at most 36 points
    const [cancelled, ...results] = await Promise.all([
      call(h.url, 'POST', `/api/bookings/${earned.id}/cancel`, { token: u.token }),
      ...shows.map((s) => confirm(u.socket, s.showId, { usePoints: 36 })),
    ]);
    expect(cancelled.status).toBe(200);
    const acc = await accountOf(h, u.token);
    expectConsistent(acc);
    const booked = results.filter((r) => r.ok).map((r) => (r.ok ? r.booking : null)!);
    const refused = results.filter((r) => !r.ok);
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'NOT_ENOUGH_POINTS' } });
    // Only the 36 points there were (and what the new bookings earned) could pay.
    const redeemed = booked.reduce((s, b) => s + b.loyalty!.redeem, 0);
    expect(redeemed).toBeLessThanOrEqual(36 + booked.reduce((s, b) => s + b.loyalty!.earn, 0));
    for (const b of booked) {
      const mine = acc.ledger.filter((e) => e.bookingId === b.id);
      expect(mine.find((e) => e.kind === 'earn')?.points).toBe(b.loyalty!.earn);
      expect(mine.find((e) => e.kind === 'redeem')?.points ?? 0).toBe(-b.loyalty!.redeem);
    }
    // A refused confirm wrote nothing and its holds stand: booking without points works.
    for (const [i, r] of results.entries()) {
      if (r.ok) continue;
      const again = await confirm(u.socket, shows[i]!.showId);
      expect(again.ok).toBe(true);
    }
    expectConsistent(await accountOf(h, u.token));
  });

  it('a Gold member is admitted from the queue\'s earlyAccessAt; a Silver member and a new user wait for opensAt', async () => {
    const staff = await h.app.services.auth.register({ name: 'Staff', email: `lstaff-${Date.now()}@test.example`, password: 'correct horse battery' }, 'staff', ['test-theatre']);
    if (!staff.ok) throw new Error('staff');
    const gold = await buyer();
    await book(gold.socket, (await newShow()).showId, row('J', 10)); // 250
    await book(gold.socket, (await newShow()).showId, row('J', 10)); // 500 → Gold
    const silver = await buyer();
    await book(silver.socket, (await newShow()).showId, row('J', 10)); // 250 → Silver
    const fresh = await buyer();
    expect((await accountOf(h, gold.token)).tier).toBe('gold');
    expect((await accountOf(h, silver.token)).tier).toBe('silver');

    const show = await newShow();
    const at = (ms: number) => new Date(h.clock.now() + ms).toISOString();
    const refused = await call(h.url, 'PUT', `/api/staff/shows/${show.showId}/queue`, { token: staff.value.token, body: { admitPerMinute: 5, opensAt: at(60_000), earlyAccessAt: at(120_000) } });
    expect(refused.status).toBe(400);
    // Early access from 30 minutes from now, opening in an hour.
    const put = await call(h.url, 'PUT', `/api/staff/shows/${show.showId}/queue`, { token: staff.value.token, body: { admitPerMinute: 5, opensAt: at(3_600_000), earlyAccessAt: at(1_800_000) } });
    expect(put.status).toBe(200);
    expect(put.body.queue.earlyAccessAt).toBe(at(1_800_000));
    const join = (s: ClientSocket) => ack<Ack<QueueJoinResult>>(s, 'queue:join', { showId: show.showId });
    expect(await join(gold.socket)).toMatchObject({ ok: true, status: 'waiting' }); // before early access
    h.clock.advance(1_800_000);
    expect(await join(silver.socket)).toMatchObject({ ok: true, status: 'waiting' });
    expect(await join(fresh.socket)).toMatchObject({ ok: true, status: 'waiting' });
    const early = await join(gold.socket);
    expect(early).toMatchObject({ ok: true, status: 'admitted' });
    if (!early.ok || early.status !== 'admitted') return;
    // The pass opens the seats: Gold holds before the opening.
    expect(await ack(gold.socket, 'seat:hold', { showId: show.showId, seatIds: ['A1'], pass: early.pass })).toMatchObject({ ok: true });
    expect(await ack(silver.socket, 'seat:hold', { showId: show.showId, seatIds: ['A2'] })).toMatchObject({ ok: false, error: { code: 'QUEUE_REQUIRED' } });
  });
});

describe('loyalty points with a payment gateway (the built-in test gateway)', () => {
  let h: Harness;
  const WINDOW_S = 60;
  beforeAll(async () => {
    h = await startHarness({ payments: { gateway: 'test', windowSeconds: WINDOW_S } });
  });
  afterAll(() => h.close());
  const newShow = () => createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 3 * 24 * 3600_000 });
  const buyer = async () => {
    const u = await h.register('payer');
    return { ...u, socket: await h.connect(u.token) };
  };
  const orderRefOf = (b: Booking) => new URL(b.payment!.payUrl!).pathname.split('/').pop()!;
  const pay = (b: Booking) => call(h.url, 'POST', `/api/test-gateway/payments/${orderRefOf(b)}/succeed`, { body: {} });
  const bookingOf = async (token: string, id: string) => Booking.parse((await call(h.url, 'GET', `/api/bookings/${id}`, { token })).body.booking);

  it('the paid amount is the discounted total: points are reserved at confirm, earned on capture, and a full refund returns them', async () => {
    const u = await buyer();
    const first = await book(u.socket, (await newShow()).showId, row('A', 10));
    expect(first.status).toBe('pending_payment');
    expect((await accountOf(h, u.token)).points).toBe(0); // earned only once paid
    await pay(first);
    expect((await bookingOf(u.token, first.id)).status).toBe('confirmed');
    expect((await accountOf(h, u.token)).points).toBe(180);

    const show = await newShow();
    const q = Quote.parse((await call(h.url, 'GET', `/api/shows/${show.showId}/quote?seats=J1,J2&points=80`, { token: u.token })).body);
    const b = await book(u.socket, show.showId, ['J1', 'J2'], { usePoints: 80 });
    expect(b.breakdown.discount).toBe(8_000);
    expect(b.total).toBe(q.total);
    expect(b.payment!.amount).toBe(50_000 + 3_000 + 540 - 8_000);
    expect((await accountOf(h, u.token)).points).toBe(100); // reserved
    await pay(b);
    const paid = await bookingOf(u.token, b.id);
    expect(paid.payment).toMatchObject({ status: 'captured', amount: b.total });
    expect((await accountOf(h, u.token)).points).toBe(100 + 42); // earns on ₹420 paid
    const cancelled = await call(h.url, 'POST', `/api/bookings/${b.id}/cancel`, { token: u.token });
    expect(cancelled.body.booking.refund).toEqual({ percent: 100, amount: b.total });
    expect(cancelled.body.booking.payment.refunds).toMatchObject([{ amount: b.total }]);
    const acc = await accountOf(h, u.token);
    expect(acc.points).toBe(180);
    expectConsistent(acc);
  });

  it('a booking not paid in time gives its reserved points back, once', async () => {
    const u = await buyer();
    await pay(await book(u.socket, (await newShow()).showId, row('A', 10))); // 180
    const b = await book(u.socket, (await newShow()).showId, ['A1', 'A2'], { usePoints: 50 });
    expect((await accountOf(h, u.token)).points).toBe(130);
    h.clock.advance(WINDOW_S * 1000 + 1000);
    await h.app.services.sweeper.sweep();
    await h.app.services.sweeper.sweep();
    expect((await bookingOf(u.token, b.id)).status).toBe('expired');
    const acc = await accountOf(h, u.token);
    expect(acc.points).toBe(180);
    expect(acc.ledger.filter((e) => e.bookingId === b.id).map((e) => [e.kind, e.points]).sort()).toEqual([['redeem', -50], ['return', 50]]);
    expectConsistent(acc);
  });
});
