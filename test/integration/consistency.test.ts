/**
 * Issue 18 (8): secondary-index reads are eventually consistent on AWS, which neither
 * emulator shows. Here an index lags on purpose (test/support/faults.ts lagIndexes): the
 * paths a user, staff or the rush's verify depend on stay right (docs/data-model.md,
 * "Consistency").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { runRush } from '../../scripts/rush/run.js';
import { createShow, testLayout } from '../support/fixtures.js';
import { lagIndexes } from '../support/faults.js';
import { ack, startHarness, testDynamo, type Harness } from '../support/harness.js';

let h: Harness;
let staff: string;
let lag: ReturnType<typeof lagIndexes>;

/** The index has not seen any booking yet (the catalogue's entries, older, it has). */
const withoutBookings = (items: Record<string, unknown>[]) => items.filter((i) => !String(i.pk).startsWith('BOOKING#'));

const http = async (method: string, path: string, tok: string, body?: unknown) => {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tok}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  const dynamo = testDynamo();
  lag = lagIndexes(dynamo);
  // A load rig's limits (rush.test.ts): the harness clock stands still, so rate buckets would never refill.
  h = await startHarness({ dynamo, config: { limits: { authPerIp: null, seatEventsPerSocket: null } } });
  const r = await h.app.services.auth.register(
    { name: 'Staff', email: `staff-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' },
    'staff',
    ['test-theatre'],
  );
  if (!r.ok) throw new Error('register failed');
  staff = r.value.token;
});
afterAll(() => h.close());

async function book(showId: string, seatIds: string[], token?: string): Promise<Booking> {
  const s = await h.connect(token ?? (await h.register('buyer')).token);
  await ack(s, 'seat:hold', { showId, seatIds });
  const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId, idempotencyKey: `consistency-${Math.random().toString(36).slice(2)}` });
  s.close();
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.booking;
}

describe('while the bookings index has not seen the latest bookings', () => {
  it('cancelling a show still cancels and refunds every confirmed booking on it', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 3 * 3600_000 });
    const b1 = await book(show.showId, ['A1']);
    const b2 = await book(show.showId, ['B2', 'B3']);
    lag.set(withoutBookings);
    try {
      const r = await http('POST', `/api/staff/shows/${show.showId}/cancel`, staff);
      expect(r.body).toEqual({ showId: show.showId, bookingsCancelled: 2 });
    } finally {
      lag.set(null);
    }
    for (const b of [b1, b2]) expect(await h.app.stores.bookings.get(b.id)).toMatchObject({ status: 'cancelled', refund: { percent: 100 } });
  });

  it('a layout change still refuses to drop a booked seat, and a sold show keeps its screen', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 6, perRow: 8, startsInMs: 5 * 3600_000 });
    await book(show.showId, ['F8']);
    lag.set(withoutBookings);
    try {
      const smaller = await http('PUT', `/api/staff/screens/${show.show.screenId}/layout`, staff, { layout: testLayout(5, 8) });
      expect(smaller.body.error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/drops booked seats: F8/) });
      const other = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 30 * 24 * 3600_000 });
      const moved = await http('PATCH', `/api/staff/shows/${show.showId}`, staff, { screenId: other.show.screenId });
      expect(moved.body.error?.message).toMatch(/has bookings/);
    } finally {
      lag.set(null);
    }
    expect((await h.app.stores.catalog.getScreen(show.show.screenId))?.layout).toEqual(testLayout(6, 8));
  });

  it('occupancy counts the revenue of a booking the index does not list yet', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 4, perRow: 4, startsInMs: 7 * 3600_000 });
    const b = await book(show.showId, ['A1', 'A2']);
    lag.set(withoutBookings);
    try {
      const occ = await http('GET', `/api/staff/shows/${show.showId}/occupancy`, staff);
      expect(occ.body).toMatchObject({ booked: 2, revenue: b.breakdown.tickets });
    } finally {
      lag.set(null);
    }
  });
});

describe('while the bookings index still has an old copy of a booking', () => {
  it("my bookings shows the booking's current status, read from the booking itself", async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 9 * 3600_000 });
    const u = await h.register('buyer');
    const b = await book(show.showId, ['C1'], u.token);
    expect((await http('POST', `/api/bookings/${b.id}/cancel`, u.token)).status).toBe(200);
    // The index's copy says confirmed still (its update has not arrived).
    lag.set((items) => items.map((i) => (i.status ? { ...i, status: 'confirmed' } : i)));
    try {
      const list = await http('GET', '/api/bookings', u.token);
      expect(list.body.bookings.map((x: Booking) => [x.id, x.status])).toEqual([[b.id, 'cancelled']]);
    } finally {
      lag.set(null);
    }
    expect(lag.queries).toBeGreaterThan(0);
  });
});

describe("while the bookings index lags the rush's last bookings", () => {
  it("the rush's verify still finds every booking it made (read one by one) and passes", async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 3, perRow: 10, startsInMs: 11 * 3600_000 });
    lag.set(withoutBookings);
    try {
      const report = await runRush({
        url: h.url,
        show: show.showId,
        users: 12,
        rampSeconds: 1,
        durationSeconds: 60,
        untilSoldOut: true,
        mode: 'random',
        thinkMs: 20,
        releaseChance: 0,
        password: 'rush-password-123',
      });
      // Each virtual user books once, so a random rush need not sell out: the map shows what was sold.
      expect(report.bookings).toBeGreaterThan(0);
      expect(report.verify).toMatchObject({ doubleBooked: 0, holdsLeft: 0, mapMatchesBookings: true, bookedInMap: report.seatsSold, ok: true });
    } finally {
      lag.set(null);
    }
  });
});
