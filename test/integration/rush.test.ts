/**
 * A small rush through the real `rush` runner: 100 users sell out 120 seats exactly once.
 * Besides the runner's own `verify`, each test checks the outcome itself, from the server's
 * seat map and the store's bookings, in both directions (test/support/invariants.ts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runRush, runRushOnShows } from '../../scripts/rush/run.js';
import { createShow } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { mapVersusBookings } from '../support/invariants.js';

let h: Harness;
/**
 * The harness clock stands still, so a per-socket rate-limit bucket would never refill: a user's 21st hold, release or
 * session renewal (a minute of 2 s tokens is 30) would be refused for good, and the run would stall. Lifted, as on a
 * load-test rig; abuse.test.ts tests that limit.
 */
const LOAD_RIG = { authPerIp: null, seatEventsPerSocket: null };

beforeAll(async () => {
  h = await startHarness({ config: { limits: LOAD_RIG } });
});
afterAll(() => h.close());

it('100 virtual users, 120 seats, until sold out: every seat sold exactly once, nothing left held', async () => {
  const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 12, perRow: 10 });
  const report = await runRush({
    url: h.url,
    show: show.showId,
    users: 100,
    rampSeconds: 2,
    durationSeconds: 120,
    untilSoldOut: true,
    mode: 'random',
    thinkMs: 50,
    releaseChance: 0.2,
    password: 'rush-password-123',
  });
  console.log(`[rush] ${JSON.stringify({ seconds: report.seconds, attempts: report.attempts, holdsWon: report.holdsWon, seatTaken: report.seatTaken, bookings: report.bookings, hold: report.holdLatencyMs, confirm: report.confirmLatencyMs, fanout: report.fanoutMs })}`);
  expect(report.errorsByCode).toEqual({});
  expect(report.verify).toMatchObject({ doubleBooked: 0, holdsLeft: 0, mapMatchesBookings: true, bookedInMap: 120, ok: true });
  expect(report.seatsSold).toBe(120);
  const own = await mapVersusBookings(h.url, h.app, show.showId, { noHolds: true });
  expect(own.violations).toEqual([]);
  expect(own).toMatchObject({ bookedInMap: 120, seats: 120, bookings: report.bookings });
});

it('several shows at once: users split across them, each sold exactly once and verified on its own', async () => {
  const shows = [
    await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 3, perRow: 10 }),
    await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 3, perRow: 10 }),
  ];
  const multi = await runRushOnShows({
    url: h.url,
    showIds: shows.map((s) => s.showId),
    users: 60,
    rampSeconds: 1,
    durationSeconds: 120,
    untilSoldOut: true,
    mode: 'best',
    thinkMs: 20,
    releaseChance: 0.1,
    password: 'rush-password-123',
  });
  expect(multi.shows.map((r) => r.users)).toEqual([30, 30]);
  expect(multi.verify).toEqual({ doubleBooked: 0, holdsLeft: 0, ok: true });
  expect(multi.totals.seatsSold).toBe(60);
  for (const [i, s] of shows.entries()) {
    const own = await mapVersusBookings(h.url, h.app, s.showId, { noHolds: true });
    expect(own.violations, s.showId).toEqual([]);
    expect(own).toMatchObject({ bookedInMap: 30, seats: 30, bookings: multi.shows[i]!.bookings });
  }
});

it('a rush that outlives its access tokens renews them in place and carries on: no errors, every seat sold once', async () => {
  const short = await startHarness({ config: { accessTokenSeconds: 2, limits: LOAD_RIG } });
  try {
    const show = await createShow(short.app.stores.catalog, { now: short.clock.now(), rows: 4, perRow: 10 });
    const report = await runRush({
      url: short.url,
      show: show.showId,
      users: 30,
      rampSeconds: 4, // users keep arriving after the tokens (issued at sign-up, before the start) ran out
      durationSeconds: 60,
      untilSoldOut: true,
      mode: 'random',
      thinkMs: 400, // slow users: the sale lasts several token lifetimes
      releaseChance: 0.3,
      password: 'rush-password-123',
    });
    console.log(`[rush] with 2 s tokens: ${report.seconds} s, ${report.sessionsRenewed} sessions renewed, ${report.retriedAfterRenewal} events retried after renewing, ${report.bookings} bookings, errors ${JSON.stringify(report.errorsByCode)}`);
    expect(report.sessionsRenewed).toBeGreaterThan(0);
    expect(report.errorsByCode).toEqual({});
    expect(report.verify).toMatchObject({ doubleBooked: 0, holdsLeft: 0, mapMatchesBookings: true, ok: true });
    expect(report.seatsSold).toBe(40);
    const own = await mapVersusBookings(short.url, short.app, show.showId, { noHolds: true });
    expect(own.violations).toEqual([]);
    expect(own).toMatchObject({ bookedInMap: 40, seats: 40, bookings: report.bookings });
  } finally {
    await short.close();
  }
});
