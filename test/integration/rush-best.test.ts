/**
 * `npm run rush -- --mode best` through the real runner: virtual users ask seat:hold-best for a
 * count, the sale ends sold out, and the runner's verify and the store's own invariants are clean.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runRush } from '../../scripts/rush/run.js';
import { createShow } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { mapVersusBookings } from '../support/invariants.js';

let h: Harness;
beforeAll(async () => {
  // The harness clock stands still, so per-socket rate limits would never refill (see rush.test.ts).
  h = await startHarness({ config: { limits: { authPerIp: null, seatEventsPerSocket: null } } });
});
afterAll(() => h.close());

it('best mode, 40 users asking for 2: every seat sold once through best available (fewer or map picks only at the end), nothing left held', async () => {
  const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 8, perRow: 12 });
  const report = await runRush({
    url: h.url,
    show: show.showId,
    users: 40,
    rampSeconds: 1,
    durationSeconds: 120,
    untilSoldOut: true,
    mode: 'best',
    count: 2,
    bookingsPerUser: 0,
    thinkMs: 20,
    releaseChance: 0.1,
    password: 'rush-password-123',
  });
  console.log(`[rush best] ${JSON.stringify({ seconds: report.seconds, best: report.best, bookings: report.bookings, hold: report.holdLatencyMs })}`);
  expect(report.errorsByCode).toEqual({});
  expect(report.verify).toMatchObject({ doubleBooked: 0, holdsLeft: 0, mapMatchesBookings: true, bookedInMap: 96, ok: true });
  expect(report.seatsSold).toBe(96);
  expect(report.best).toMatchObject({ count: 2 });
  // Most of the hall goes in best-available pairs; picking on the map is the last resort.
  expect(report.best!.held * 2).toBeGreaterThan(report.best!.mapPicks);
  expect(report.best!.requests).toBeGreaterThanOrEqual(report.best!.held);
  const own = await mapVersusBookings(h.url, h.app, show.showId, { noHolds: true });
  expect(own.violations).toEqual([]);
  expect(own).toMatchObject({ bookedInMap: 96, seats: 96, bookings: report.bookings });
});
