/**
 * 200 real clients race to sell out a 300-seat show with random picks, releases
 * and confirms, against the real server and DynamoDB Local. Then the outcome is
 * checked from the server's own API: no seat booked twice, booked seats in the
 * seat map equal the union of all bookings, every hold ended as booking or release.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ack, Booking, HoldResult } from '../../protocol/index.js';
import { SeatMap } from '../../protocol/index.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness, type ClientSocket, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

it('200 clients sell out a 300-seat show: no seat booked twice, map equals bookings, no hold left', async () => {
  const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 15, perRow: 20 });
  const users = await Promise.all(Array.from({ length: 200 }, (_, i) => h.register(`buyer${i}`)));
  const sockets = await Promise.all(users.map((u) => h.connect(u.token)));
  const bookings: Booking[] = [];
  const stats = { holds: 0, taken: 0, releases: 0, confirms: 0, errors: [] as string[] };
  let soldOut = false;

  async function shopper(socket: ClientSocket, index: number) {
    const random = rng(index + 1);
    const joined = await ack<Ack<{ snapshot: { seats: { id: string; status: string }[] } }>>(socket, 'show:join', {
      showId: show.showId,
    });
    if (!joined.ok) throw new Error(joined.error.message);
    const status = new Map(joined.snapshot.seats.map((s) => [s.id, s.status]));
    const free = new Set(joined.snapshot.seats.filter((s) => s.status === 'free').map((s) => s.id));
    let changed: () => void = () => undefined;
    socket.on('seats:changed', (m) => {
      for (const c of m.changes) {
        status.set(c.seatId, c.status);
        if (c.status === 'free') free.add(c.seatId);
        else free.delete(c.seatId);
      }
      changed();
    });
    const soldOutHere = () => [...status.values()].every((s) => s === 'booked');
    for (let round = 0; round < 60 && !soldOut; round++) {
      if (free.size === 0) {
        if (soldOutHere()) {
          soldOut = true;
          break;
        }
        // Wait for the next change (a release, an expiry or a booking) rather than polling.
        await new Promise<void>((r) => {
          const t = setTimeout(r, 1000);
          changed = () => {
            clearTimeout(t);
            changed = () => undefined;
            r();
          };
        });
        continue;
      }
      const pool = [...free];
      const want = Math.min(pool.length, 1 + Math.floor(random() * 4));
      const picks = new Set<string>();
      while (picks.size < want) picks.add(pool[Math.floor(random() * pool.length)]!);
      const held = await ack<Ack<HoldResult>>(socket, 'seat:hold', { showId: show.showId, seatIds: [...picks] });
      if (!held.ok) {
        if (held.error.code === 'SEAT_TAKEN') stats.taken++;
        else stats.errors.push(held.error.code);
        continue;
      }
      stats.holds++;
      if (random() < 0.25) {
        await ack(socket, 'seat:release', { showId: show.showId, seatIds: held.seatIds });
        stats.releases++;
        continue;
      }
      const key = `k-${index}-${round}-${Math.floor(random() * 1e9)}`;
      const done = await ack<Ack<{ booking: Booking }>>(socket, 'booking:confirm', { showId: show.showId, idempotencyKey: key });
      if (done.ok) {
        bookings.push(done.booking);
        stats.confirms++;
      } else stats.errors.push(done.error.code);
    }
  }

  const started = Date.now();
  await Promise.all(sockets.map((s, i) => shopper(s, i)));
  const elapsed = Date.now() - started;
  console.log(`[sellout] ${JSON.stringify({ ...stats, errors: stats.errors.length, bookings: bookings.length, ms: elapsed })}`);

  expect(stats.errors).toEqual([]);
  const seatCounts = new Map<string, number>();
  for (const b of bookings) for (const s of b.seats) seatCounts.set(s, (seatCounts.get(s) ?? 0) + 1);
  const doubleBooked = [...seatCounts.values()].filter((n) => n > 1).length;
  expect(doubleBooked).toBe(0);

  const map = SeatMap.parse(await (await fetch(`${h.url}/api/shows/${show.showId}/seats`)).json());
  const bookedInMap = map.seats.filter((s) => s.status === 'booked').map((s) => s.id).sort();
  expect(bookedInMap).toEqual([...seatCounts.keys()].sort());
  expect(map.seats.filter((s) => s.status === 'held')).toEqual([]);
  expect(bookedInMap).toHaveLength(300);

  // The server's own booking records agree with what the clients were told.
  const stored = await h.app.stores.bookings.listByShow(show.showId);
  expect(stored.map((b) => b.id).sort()).toEqual(bookings.map((b) => b.id).sort());
});
