/**
 * The listing (GET /api/shows) says how full each show is, what seat kinds its screen has and
 * whether it has wheelchair spaces; the count follows holds, bookings, releases and expiry, in
 * the process that holds the room and in one that does not (cached, refreshed by the feed).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ShowsResponse, type Ack, type ShowSummary } from '../../protocol/index.js';
import { createMemoryFeed } from '../../server/adapters/feed/memory-feed.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, startHarness, type ClientSocket, type Harness } from '../support/harness.js';

let h: Harness;
/** A second server on the same tables and feed, with no room open for the show. */
let other: Harness;
beforeAll(async () => {
  const feed = createMemoryFeed();
  h = await startHarness({ feed });
  other = await startHarness({ feed, dynamo: h.dynamo });
});
afterAll(async () => {
  await other?.app.close();
  await h?.close();
});

async function listed(server: Harness, show: ShowFixture): Promise<ShowSummary> {
  const res = await fetch(`${server.url}/api/shows?city=testville&date=${show.show.localDate}`);
  const found = ShowsResponse.parse(await res.json()).shows.find((s) => s.id === show.showId);
  if (!found) throw new Error(`show ${show.showId} not listed`);
  return found;
}

async function buyer(server = h): Promise<ClientSocket> {
  const u = await server.register('buyer');
  return server.connect(u.token);
}
const hold = async (s: ClientSocket, showId: string, seatIds: string[]) => expect(await ack<Ack<object>>(s, 'seat:hold', { showId, seatIds })).toMatchObject({ ok: true });
const book = async (s: ClientSocket, showId: string) =>
  expect(await ack<Ack<object>>(s, 'booking:confirm', { showId, idempotencyKey: `key-${Math.random().toString(36).slice(2)}` })).toMatchObject({ ok: true });

describe('availability in the listing', () => {
  it('lists seat kinds, wheelchair spaces and a fresh show as plenty with every seat free', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 2, perRow: 5 });
    const s = await listed(h, show);
    expect(s.capacity).toBe(10);
    expect(s.availability).toEqual({ level: 'plenty', free: 10 });
    expect([...s.seatKinds].sort()).toEqual(['premium', 'standard']);
    expect(s.wheelchair).toBe(true);
  });

  it('goes plenty → filling fast → almost full → sold out as seats are held and booked, and back when released', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 2, perRow: 5 });
    const a = await buyer();
    await hold(a, show.showId, ['A1', 'A2', 'A3', 'A4', 'A5', 'B1']);
    expect((await listed(h, show)).availability).toEqual({ level: 'filling', free: 4 });
    await book(a, show.showId);
    expect((await listed(h, show)).availability).toEqual({ level: 'filling', free: 4 });
    const b = await buyer();
    await hold(b, show.showId, ['B2', 'B3', 'B4']);
    expect((await listed(h, show)).availability).toEqual({ level: 'almost_full', free: 1 });
    await hold(b, show.showId, ['B5']);
    expect((await listed(h, show)).availability).toEqual({ level: 'sold_out', free: 0 });
    expect(await ack<Ack<object>>(b, 'seat:release', { showId: show.showId, seatIds: ['B2', 'B3', 'B4', 'B5'] })).toMatchObject({ ok: true });
    expect((await listed(h, show)).availability).toEqual({ level: 'filling', free: 4 });
  });

  it('counts a hold that ran out as free again', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 2, perRow: 5 });
    await hold(await buyer(), show.showId, ['A1', 'A2', 'A3', 'A4', 'A5', 'B1', 'B2']);
    expect((await listed(h, show)).availability).toEqual({ level: 'filling', free: 3 });
    h.clock.advance(481_000);
    expect((await listed(h, show)).availability).toEqual({ level: 'plenty', free: 10 });
  });

  it('a server without the room reads the seats once, keeps the count until the feed reports a change, then reads again', async () => {
    other.clock.ms = h.clock.ms;
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 2, perRow: 5 });
    const reads = vi.spyOn(other.app.stores.seats, 'seats');
    try {
      expect((await listed(other, show)).availability).toEqual({ level: 'plenty', free: 10 });
      expect((await listed(other, show)).availability).toEqual({ level: 'plenty', free: 10 });
      expect(reads.mock.calls.filter(([id]) => id === show.showId)).toHaveLength(1);

      const a = await buyer();
      await hold(a, show.showId, ['A1', 'A2', 'A3', 'A4', 'A5', 'B1', 'B2', 'B3', 'B4']);
      await book(a, show.showId);
      // Changed, but read at most once per 2 s while a show sells: still the old count...
      expect((await listed(other, show)).availability).toEqual({ level: 'plenty', free: 10 });
      // ...and the new one after that.
      other.clock.advance(2_000);
      expect((await listed(other, show)).availability).toEqual({ level: 'almost_full', free: 1 });
      expect(reads.mock.calls.filter(([id]) => id === show.showId)).toHaveLength(2);
      expect(other.app.rooms.peek(show.showId)).toBeUndefined();
    } finally {
      reads.mockRestore();
    }
  });
});
