/**
 * Issue 6: staff occupancy, schedule and layout management, reports and check-in,
 * with role and theatre checks on every staff route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking, Occupancy, SeatMap } from '../../protocol/index.js';
import { createShow, testLayout, type ShowFixture } from '../support/fixtures.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let staffA: string;
let staffB: string;
let admin: string;
let customer: { token: string; userId: string; email: string };

async function token(role: 'staff' | 'admin', theatres: string[] = []) {
  const r = await h.app.services.auth.register(
    { name: 'Staff', email: `staff-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' },
    role,
    theatres,
  );
  if (!r.ok) throw new Error('register failed');
  return r.value.token;
}

const http = async (method: string, path: string, tok?: string, body?: unknown) => {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: { ...(tok ? { authorization: `Bearer ${tok}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.includes('json') ? ((await res.json()) as any) : await res.text() };
};

beforeAll(async () => {
  h = await startHarness();
  await h.app.stores.catalog.putTheatres([{ id: 'other-theatre', name: 'Other Theatre', address: '2 Other Road', cityId: 'testville', timeZone: 'Asia/Kolkata' }]);
  await h.app.stores.catalog.putScreens([{ id: 'other-screen', theatreId: 'other-theatre', name: 'Other 1', layout: testLayout(4, 6) }]);
  staffA = await token('staff', ['test-theatre']);
  staffB = await token('staff', ['other-theatre']);
  admin = await token('admin');
  customer = await h.register('customer');
});
afterAll(() => h.close());

async function book(showId: string, seatIds: string[], key: string): Promise<Booking> {
  const u = await h.register('buyer');
  const s = await h.connect(u.token);
  await ack(s, 'seat:hold', { showId, seatIds });
  const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId, idempotencyKey: `${key}-${Math.random().toString(36).slice(2)}` });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.booking;
}

describe('occupancy', () => {
  it('matches the seat states exactly after holds, releases, bookings and cancellations', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 6, perRow: 8 });
    const a = await book(show.showId, ['A1', 'A2', 'D4'], 'occ-1');
    const b = await book(show.showId, ['B1'], 'occ-2');
    await book(show.showId, ['F8', 'F7'], 'occ-3');
    const holder = await h.register('holder');
    const s = await h.connect(holder.token);
    await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['C1', 'C2', 'C3'] });
    await ack(s, 'seat:release', { showId: show.showId, seatIds: ['C2'] });
    const buyerA = a; // cancel one booking as its owner would, via staff (admin) here
    expect((await http('POST', `/api/bookings/${buyerA.id}/cancel`, admin)).status).toBe(200);

    const occ = await http('GET', `/api/staff/shows/${show.showId}/occupancy`, staffA);
    expect(occ.status).toBe(200);
    const map = (await http('GET', `/api/shows/${show.showId}/seats`)).body as SeatMap;
    const count = (st: string) => map.seats.filter((x) => x.status === st).length;
    const bookings = (await h.app.stores.bookings.listByShow(show.showId)).filter((x) => x.status === 'confirmed');
    expect(occ.body as Occupancy).toEqual({
      showId: show.showId,
      capacity: 48,
      booked: count('booked'),
      held: count('held'),
      free: count('free'),
      revenue: bookings.reduce((n, x) => n + x.breakdown.tickets, 0),
      currency: 'INR',
    });
    expect(occ.body).toMatchObject({ booked: 3, held: 2, free: 43, revenue: b.breakdown.tickets + 2 * 25_000 });
    // The day board of the theatre lists the show with the same figures.
    const day = await http('GET', `/api/staff/theatres/test-theatre/shows?date=${show.show.localDate}`, staffA);
    expect(day.body.shows.find((x: { show: { id: string } }) => x.show.id === show.showId)?.occupancy).toEqual(occ.body);
  });
});

describe('schedule management', () => {
  const date = (ms: number) => new Date(ms + 5.5 * 3600_000).toISOString().slice(0, 10);
  const time = (ms: number) => new Date(ms + 5.5 * 3600_000).toISOString().slice(11, 16);

  it('creates a show in the theatre zone; rejects overlaps, the past and foreign screens, changing nothing', async () => {
    const base = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 48 * 3600_000 });
    const start = base.show.startsAt;
    const req = (ms: number, extra: object = {}) => ({
      screenId: base.show.screenId,
      movieId: 'test-movie',
      date: date(ms),
      time: time(ms),
      language: 'Telugu',
      prices: { classic: 15_000, premium: 20_000 },
      ...extra,
    });
    const path = '/api/staff/theatres/test-theatre/shows';
    const before = await h.app.stores.catalog.showsOn('testville', base.show.localDate);

    // The base show runs 120 min + 20 min cleaning (its start is not on a whole minute, so 141 is the first free minute).
    const overlap = await http('POST', path, staffA, req(start + 139 * 60_000));
    expect(overlap.status).toBe(400);
    expect(overlap.body.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/Overlaps show/) });
    const past = await http('POST', path, staffA, req(h.clock.now() - 3600_000));
    expect(past.body.error.message).toMatch(/in the past/);
    expect((await http('POST', path, staffA, req(start + 141 * 60_000, { screenId: 'other-screen' }))).body.error.message).toMatch(/not in this theatre/);
    expect((await http('POST', path, staffA, req(start + 141 * 60_000, { language: 'Klingon' }))).body.error.message).toMatch(/not available in Klingon/);
    expect((await http('POST', path, staffA, req(start + 141 * 60_000, { prices: { classic: 1 } }))).body.error.message).toMatch(/Prices missing/);
    expect(await h.app.stores.catalog.showsOn('testville', base.show.localDate)).toHaveLength(before.length);

    const created = await http('POST', path, staffA, req(start + 141 * 60_000));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.show).toMatchObject({ theatreId: 'test-theatre', prices: { classic: 15_000, premium: 20_000 } });
    // It is on sale at once, and editing it into an overlap is refused.
    expect((await http('GET', `/api/shows/${created.body.show.id}/seats`)).status).toBe(200);
    const moved = await http('PATCH', `/api/staff/shows/${created.body.show.id}`, staffA, { date: date(start + 60 * 60_000), time: time(start + 60 * 60_000) });
    expect(moved.body.error.message).toMatch(/Overlaps show/);
    const repriced = await http('PATCH', `/api/staff/shows/${created.body.show.id}`, staffA, { prices: { classic: 16_000, premium: 21_000 } });
    expect(repriced.body.show.prices).toEqual({ classic: 16_000, premium: 21_000 });
  });

  it('cancelling a show with bookings cancels them with full refunds through the normal path', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 3 * 3600_000 });
    const b1 = await book(show.showId, ['A1'], 'cancel-show-1');
    const b2 = await book(show.showId, ['B2', 'B3'], 'cancel-show-2');
    const r = await http('POST', `/api/staff/shows/${show.showId}/cancel`, staffA);
    expect(r.body).toEqual({ showId: show.showId, bookingsCancelled: 2 });
    for (const b of [b1, b2]) {
      expect(await h.app.stores.bookings.get(b.id)).toMatchObject({ status: 'cancelled', refund: { percent: 100, amount: b.total } });
    }
    expect((await http('GET', `/api/shows/${show.showId}/seats`)).status).toBe(404);
    await h.app.services.notifications.drain();
    expect(await h.app.services.notifications.forBooking(b1.id)).toHaveLength(2); // confirmation + cancellation
  });
});

describe('layout management', () => {
  it('refuses a layout that would drop booked seats, accepts one that keeps them', async () => {
    const show: ShowFixture = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 6, perRow: 8 });
    await book(show.showId, ['F8'], 'layout-1');
    const path = `/api/staff/screens/${show.show.screenId}/layout`;
    const smaller = await http('PUT', path, staffA, { layout: testLayout(5, 8) });
    expect(smaller.status).toBe(400);
    expect(smaller.body.error.message).toMatch(/drops booked seats: F8/);
    const narrower = await http('PUT', path, staffA, { layout: testLayout(6, 7) });
    expect(narrower.body.error.message).toMatch(/F8/);
    expect((await h.app.stores.catalog.getScreen(show.show.screenId))?.layout).toEqual(testLayout(6, 8));
    const bigger = await http('PUT', path, staffA, { layout: testLayout(8, 8) });
    expect(bigger.body).toEqual({ screenId: show.show.screenId, seats: 64 });
    expect((await http('GET', `/api/shows/${show.showId}/seats`)).body.seats).toHaveLength(64);
    const broken = await http('PUT', path, staffA, { layout: { ...testLayout(2, 2), rows: [{ label: 'A', category: 'nope', blocks: [2] }] } });
    expect(broken.body.error.code).toBe('VALIDATION');
  });
});

describe('reports', () => {
  it("the CSV's totals equal the bookings in the store", async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 5 * 24 * 3600_000 });
    await book(show.showId, ['A1', 'A2'], 'report-1');
    await book(show.showId, ['E5'], 'report-2');
    const day = show.show.localDate;
    const csv = await http('GET', `/api/staff/theatres/test-theatre/report?from=${day}&to=${day}&format=csv`, staffA);
    expect(csv.status).toBe(200);
    const lines = (csv.body as string).trim().split('\n');
    expect(lines[0]).toBe('date,time,movie,screen,show_id,capacity,seats_sold,bookings,occupancy_percent,revenue,currency');
    const total = lines.at(-1)!.split(',');
    const shows = await h.app.stores.catalog.showsOn('testville', day);
    const bookings = (await Promise.all(shows.filter((s) => s.theatreId === 'test-theatre').map((s) => h.app.stores.bookings.listByShow(s.id))))
      .flat()
      .filter((b) => b.status === 'confirmed');
    expect(total[0]).toBe('TOTAL');
    expect(Number(total[6])).toBe(bookings.reduce((n, b) => n + b.seats.length, 0));
    expect(Number(total[7])).toBe(bookings.length);
    expect(total[9]).toBe((bookings.reduce((n, b) => n + b.breakdown.tickets, 0) / 100).toFixed(2));
    expect(lines.some((l) => l.includes(show.showId) && l.includes(',3,2,'))).toBe(true);
  });
});

describe('who may do what', () => {
  it('customers get 403 on every staff route; staff of theatre A get 403 on theatre B; no token 401', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now() });
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/staff/theatres'],
      ['GET', '/api/staff/theatres/test-theatre/screens'],
      ['GET', '/api/staff/theatres/test-theatre/shows'],
      ['POST', '/api/staff/theatres/test-theatre/shows', {}],
      ['GET', `/api/staff/shows/${show.showId}/occupancy`],
      ['PATCH', `/api/staff/shows/${show.showId}`, { language: 'Telugu' }],
      ['POST', `/api/staff/shows/${show.showId}/cancel`],
      ['PUT', `/api/staff/screens/${show.show.screenId}/layout`, { layout: testLayout(10, 10) }],
      ['GET', '/api/staff/theatres/test-theatre/report?from=2026-01-01&to=2026-01-02'],
      ['POST', '/api/tickets/verify', { code: 'x' }],
      ['GET', '/api/staff/notifications/failed'],
    ];
    for (const [method, path, body] of routes) {
      expect((await http(method, path, undefined, body)).status, `${method} ${path} without a token`).toBe(401);
      expect((await http(method, path, customer.token, body)).status, `${method} ${path} as a customer`).toBe(403);
    }
    // Theatre-scoped routes: staff of the other theatre get 403 and change nothing.
    for (const [method, path, body] of routes.filter(([, p]) => p.includes('test-theatre') || p.includes(show.showId) || p.includes(show.show.screenId))) {
      expect((await http(method, path, staffB, body)).status, `${method} ${path} as staff of another theatre`).toBe(403);
    }
    expect((await http('GET', '/api/staff/theatres', staffB)).body.theatres.map((t: { id: string }) => t.id)).toEqual(['other-theatre']);
    expect((await h.app.stores.catalog.getShow(show.showId))?.status).toBe('scheduled');
  });

  it('check-in: staff of the theatre mark a ticket used once; another theatre cannot; forged is rejected', async () => {
    // Within the door window (from an hour before the start).
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 30 * 60_000 });
    const b = await book(show.showId, ['C3'], 'door-1');
    expect((await http('POST', '/api/tickets/verify', staffB, { code: b.ticketCode })).body.result).toBe('forged');
    expect((await http('POST', '/api/tickets/verify', staffA, { code: b.ticketCode })).body).toMatchObject({ result: 'valid', message: expect.stringMatching(/admit 1/) });
    expect((await http('POST', '/api/tickets/verify', staffA, { code: b.ticketCode })).body.result).toBe('already_used');
    expect((await http('POST', '/api/tickets/verify', staffA, { code: `${b.ticketCode}x` })).body.result).toBe('forged');
    // Staff see the booking of their theatre; the other theatre does not.
    expect((await http('GET', `/api/bookings/${b.id}`, staffA)).status).toBe(200);
    expect((await http('GET', `/api/bookings/${b.id}`, staffB)).status).toBe(404);
  });
});
