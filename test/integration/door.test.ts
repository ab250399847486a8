/**
 * Issue 12 (5, 6): a ticket is valid at the door only around its show, every verdict names
 * the show, and a ticket used at the door can no longer be cancelled for a refund.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking, SeatMap, VerifyTicketResponse } from '../../protocol/index.js';
import { formatLocal } from '../../server/domain/messages.js';
import { formatInZone } from '../../server/domain/show-time.js';
import { createShow } from '../support/fixtures.js';
import { ack, call, startHarness, TestClock, type Harness } from '../support/harness.js';

const MIN = 60_000;
const clock = new TestClock();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clock });
});
afterAll(() => h.close());

/** A fresh staff token (tokens live an hour on the test clock, which these tests move). */
async function doorStaff(): Promise<string> {
  const r = await h.app.services.auth.register(
    { name: 'Door', email: `door-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' },
    'staff',
    ['test-theatre'],
  );
  if (!r.ok) throw new Error('staff register failed');
  return r.value.token;
}

async function book(showId: string, seatIds: string[]) {
  const u = await h.register('guest');
  const s = await h.connect(u.token);
  await ack(s, 'seat:hold', { showId, seatIds });
  const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId, idempotencyKey: `door-${Math.random().toString(36).slice(2)}` });
  if (!r.ok) throw new Error(JSON.stringify(r));
  s.disconnect();
  return { booking: r.booking, user: u };
}

async function verify(code: string): Promise<VerifyTicketResponse> {
  const r = await call(h.url, 'POST', '/api/tickets/verify', { token: await doorStaff(), body: { code } });
  expect(r.status).toBe(200);
  return r.body as VerifyTicketResponse;
}

/** Every verdict about a real booking names the movie, the screen, the theatre-local date and time, and the seats. */
function expectShowDetails(v: VerifyTicketResponse, b: Booking) {
  expect(v.booking).toMatchObject({
    id: b.id,
    movieTitle: 'The Test Movie',
    theatreName: 'Test Theatre',
    screenName: 'Screen T',
    startsAt: b.show.startsAt,
    timeZone: 'Asia/Kolkata',
    seats: b.seats,
  });
  expect(v.booking!.startsAt).toMatch(/\+05:30$/);
}

describe('door window', () => {
  it("tomorrow's ticket is wrong_time, names its date and time and stays unused; from 60 min before the start it is valid", async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), startsInMs: 24 * 3600_000 });
    const { booking } = await book(show.showId, ['D4', 'D5']);

    const early = await verify(booking.ticketCode!);
    expect(early.result).toBe('wrong_time');
    expect(early.timing).toBe('early');
    expectShowDetails(early, booking);
    expect(early.message).toContain(formatLocal(booking.show.startsAt, booking.show.timeZone));
    expect(early.booking!.doorOpensAt).toBe(formatInZone(show.show.startsAt - 60 * MIN, 'Asia/Kolkata'));
    expect(early.booking!.endsAt).toBe(formatInZone(show.show.startsAt + 120 * MIN, 'Asia/Kolkata'));
    expect((await h.app.stores.bookings.get(booking.id))?.usedAt).toBeUndefined();

    const saved = clock.ms;
    try {
      clock.ms = show.show.startsAt - 60 * MIN - 1;
      expect((await verify(booking.ticketCode!)).result).toBe('wrong_time');
      expect((await h.app.stores.bookings.get(booking.id))?.usedAt).toBeUndefined();

      clock.ms = show.show.startsAt - 60 * MIN;
      const valid = await verify(booking.ticketCode!);
      expect(valid.result).toBe('valid');
      expectShowDetails(valid, booking);
      expect((await h.app.stores.bookings.get(booking.id))?.usedAt).toBe(new Date(clock.ms).toISOString());
    } finally {
      clock.ms = saved;
    }
  });

  it('a ticket shown once the show has ended (start + runtime) is wrong_time and stays unused; a minute before the end it is valid', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), startsInMs: 2 * 3600_000 });
    const late = await book(show.showId, ['E1']);
    const last = await book(show.showId, ['E2']);
    const saved = clock.ms;
    try {
      clock.ms = show.show.startsAt + 120 * MIN;
      const v = await verify(late.booking.ticketCode!);
      expect(v).toMatchObject({ result: 'wrong_time', timing: 'late' });
      expectShowDetails(v, late.booking);
      expect((await h.app.stores.bookings.get(late.booking.id))?.usedAt).toBeUndefined();

      clock.ms = show.show.startsAt + 119 * MIN;
      expect((await verify(last.booking.ticketCode!)).result).toBe('valid');
    } finally {
      clock.ms = saved;
    }
  });

  it('already_used says when in the theatre-local time, not UTC; cancelled names the show too', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), startsInMs: 30 * MIN });
    const { booking } = await book(show.showId, ['F3']);
    const checkIn = clock.now();
    expect((await verify(booking.ticketCode!)).result).toBe('valid');
    clock.advance(5 * MIN);

    const again = await verify(booking.ticketCode!);
    expect(again.result).toBe('already_used');
    expectShowDetails(again, booking);
    const local = formatInZone(checkIn, 'Asia/Kolkata');
    expect(again.booking!.usedAt).toBe(local);
    expect(again.message).toContain(formatLocal(new Date(checkIn).toISOString(), 'Asia/Kolkata'));
    expect(again.message).not.toContain(new Date(checkIn).toISOString().slice(0, 16));

    const other = await book(show.showId, ['F4']);
    expect((await call(h.url, 'POST', `/api/bookings/${other.booking.id}/cancel`, { token: other.user.token })).status).toBe(200);
    const cancelled = await verify(other.booking.ticketCode!);
    expect(cancelled.result).toBe('cancelled');
    expectShowDetails(cancelled, other.booking);
  });
});

describe('a used ticket cannot be refunded', () => {
  it('cancelling after check-in answers 409 TICKET_USED and changes nothing: booking, seats, notices', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), startsInMs: 40 * MIN });
    const { booking, user } = await book(show.showId, ['G1', 'G2']);
    expect((await verify(booking.ticketCode!)).result).toBe('valid');
    const before = await h.app.stores.bookings.get(booking.id);

    const r = await call(h.url, 'POST', `/api/bookings/${booking.id}/cancel`, { token: user.token });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('TICKET_USED');

    expect(await h.app.stores.bookings.get(booking.id)).toEqual(before);
    const map = (await call(h.url, 'GET', `/api/shows/${show.showId}/seats`)).body as SeatMap;
    expect(map.seats.filter((s) => ['G1', 'G2'].includes(s.id)).map((s) => s.status)).toEqual(['booked', 'booked']);
    const page = await call(h.url, 'GET', `/api/bookings/${booking.id}`, { token: user.token });
    expect(page.body.booking.refundIfCancelledNow).toBeUndefined();
    expect(page.body.booking.usedAt).toBeDefined();
    await h.app.services.notifications.drain();
    expect((await h.app.services.notifications.forBooking(booking.id)).map((n) => n.kind)).toEqual(['booking.confirmed']);
    // Staff of the theatre cancelling that one booking are refused the same way.
    const staff = await call(h.url, 'POST', `/api/bookings/${booking.id}/cancel`, { token: await doorStaff() });
    expect(staff.body.error?.code).toBe('TICKET_USED');
  });

  it('the cancel write itself requires an unused ticket: a booking read before its check-in is not cancelled after it', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), startsInMs: 40 * MIN });
    const { booking } = await book(show.showId, ['H1']);
    const stale = (await h.app.stores.bookings.get(booking.id))!;
    expect(await h.app.stores.bookings.markUsed(booking.id, new Date(clock.now()).toISOString())).toBe(true);

    const write = await h.app.stores.seats.cancel({ booking: stale, refund: { percent: 0, amount: 0 }, now: clock.now(), at: clock.now() + 1, unusedOnly: true });
    expect(write.ok).toBe(false);
    expect(await h.app.stores.bookings.get(booking.id)).toMatchObject({ status: 'confirmed' });
    expect((await h.app.stores.seats.seats(show.showId)).find((s) => s.seatId === 'H1')).toMatchObject({ status: 'booked', bookingId: booking.id });
  });

  it('staff cancelling the whole show refund checked-in bookings in full too (the show did not happen)', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), startsInMs: 45 * MIN });
    const used = await book(show.showId, ['J1']);
    const unused = await book(show.showId, ['J2']);
    expect((await verify(used.booking.ticketCode!)).result).toBe('valid');
    const r = await call(h.url, 'POST', `/api/staff/shows/${show.showId}/cancel`, { token: await doorStaff() });
    expect(r.body).toEqual({ showId: show.showId, bookingsCancelled: 2 });
    for (const b of [used.booking, unused.booking]) {
      expect(await h.app.stores.bookings.get(b.id)).toMatchObject({ status: 'cancelled', refund: { percent: 100, amount: b.total } });
    }
  });
});
