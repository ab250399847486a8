/**
 * 200 real clients race to sell out a 300-seat show with random picks, releases and
 * confirms (through the `rush` runner), against the real server and DynamoDB Local.
 * The outcome is checked from the server's API and from the store itself: no seat
 * booked twice, booked seats in the map equal the union of all bookings, no hold left.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SeatMap } from '../../protocol/index.js';
import { runRush } from '../../scripts/rush/run.js';
import { createShow } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

it('200 clients sell out a 300-seat show: no seat booked twice, map equals bookings, no hold left', async () => {
  const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 15, perRow: 20 });
  const report = await runRush({
    url: h.url,
    show: show.showId,
    users: 200,
    rampSeconds: 0,
    durationSeconds: 170,
    untilSoldOut: true,
    mode: 'random',
    thinkMs: 0,
    releaseChance: 0.25,
    password: 'sellout-password-1',
  });
  console.log(`[sellout] ${JSON.stringify({ seconds: report.seconds, attempts: report.attempts, holdsWon: report.holdsWon, seatTaken: report.seatTaken, releases: report.releases, bookings: report.bookings })}`);

  expect(report.errorsByCode).toEqual({});
  expect(report.verify).toMatchObject({ doubleBooked: 0, mapMatchesBookings: true, holdsLeft: 0, bookedInMap: 300 });
  expect(report.releases).toBeGreaterThan(0);

  // The store's own booking records agree with the seat map, seat for seat.
  const stored = await h.app.stores.bookings.listByShow(show.showId);
  expect(stored).toHaveLength(report.bookings);
  const storedSeats = stored.flatMap((b) => b.seats);
  expect(new Set(storedSeats).size).toBe(storedSeats.length);
  const map = SeatMap.parse(await (await fetch(`${h.url}/api/shows/${show.showId}/seats`)).json());
  const bookedInMap = map.seats.filter((s) => s.status === 'booked').map((s) => s.id).sort();
  expect(bookedInMap).toEqual([...storedSeats].sort());
  expect(map.seats.filter((s) => s.status === 'held')).toEqual([]);
});
