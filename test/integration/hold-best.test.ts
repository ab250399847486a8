import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, CartChanged, HoldBestResult, HoldResult, Layout, Seat } from '../../protocol/index.js';
import { SeatMap } from '../../protocol/index.js';
import { prepareHall, strandedSingles } from '../../server/domain/seat-pick.js';
import { HOLD_BEST_TRIES } from '../../server/services/seats/hold-best.js';
import { createShow } from '../support/fixtures.js';
import { ack, recordChanges, startHarness, waitFor, type Harness } from '../support/harness.js';
import { seatInvariantViolations } from '../support/invariants.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const newShow = (rows: number, perRow: number) => createShow(h.app.stores.catalog, { now: h.clock.now(), rows, perRow });
const seatMap = async (showId: string) => SeatMap.parse(await (await fetch(`${h.url}/api/shows/${showId}/seats`)).json());
const heldIn = async (showId: string) => (await seatMap(showId)).seats.filter((s) => s.status !== 'free').map((s) => s.id).sort();
const best = (socket: Awaited<ReturnType<Harness['connect']>>, payload: Record<string, unknown>) => ack<Ack<HoldBestResult>>(socket, 'seat:hold-best', payload);

/** Same row, columns one after another (no aisle between). */
function sideBySide(seats: Seat[], ids: string[]): boolean {
  const picked = ids.map((id) => seats.find((s) => s.id === id)!).sort((a, b) => a.col - b.col);
  return picked.every((s, i) => s.row === picked[0]!.row && s.col === picked[0]!.col + i);
}

/** Free seats the final state leaves alone between taken seats, aisles or walls. */
function lonelySeats(seats: Seat[]): string[] {
  const hall = prepareHall(seats);
  return strandedSingles(hall, () => false, seats.filter((s) => s.status !== 'free').map((s) => s.id));
}

/** The violations once there are none, or the last ones found within 5 s. */
async function settled(check: () => Promise<string[]>): Promise<string[]> {
  const until = Date.now() + 5000;
  let found = await check();
  while (found.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    found = await check();
  }
  return found;
}

/** A hold written straight into the store, behind the room's back (as another process would, before its message arrives). */
const holdBehindTheRoom = (showId: string, seatId: string, userId = 'someone-elsewhere') =>
  h.app.stores.seats.hold({ showId, seatId, userId, expiresAt: h.clock.now() + 480_000, now: h.clock.now(), at: h.clock.now() });

describe('seat:hold-best', () => {
  it('50 users asking for 2 at once on an empty hall get 50 disjoint side-by-side pairs, strand no single seat, and the store agrees', async () => {
    const show = await newShow(10, 12);
    const users = await Promise.all(Array.from({ length: 50 }, (_, i) => h.register(`best${i}`)));
    const sockets = await Promise.all(users.map((u) => h.connect(u.token)));
    const results = await Promise.all(sockets.map((s) => best(s, { showId: show.showId, count: 2 })));

    const failed = results.filter((r) => !r.ok);
    expect(failed).toEqual([]);
    const pairs = results.map((r) => (r.ok ? r.chosen : []));
    const all = pairs.flat();
    expect(new Set(all).size).toBe(100);
    const map = await seatMap(show.showId);
    for (const pair of pairs) expect(sideBySide(map.seats, pair), `${pair} side by side`).toBe(true);
    for (const r of results) if (r.ok) expect(r.seatIds.sort()).toEqual([...r.chosen].sort());
    expect(map.seats.filter((s) => s.status === 'held').map((s) => s.id).sort()).toEqual([...all].sort());
    expect(lonelySeats(map.seats)).toEqual([]);
    expect(await seatInvariantViolations(h.app, show.showId, users.map((u) => u.userId), h.clock.now())).toEqual([]);
  });

  it('acks everything the caller holds (seat:hold seats included, one timer), tells watchers and the other tabs', async () => {
    const show = await newShow(6, 12);
    const u = await h.register();
    const [tab1, tab2, watcher] = await Promise.all([h.connect(u.token), h.connect(u.token), h.connect()]);
    await ack(watcher, 'show:join', { showId: show.showId });
    const log = recordChanges(watcher);
    const carts: CartChanged[] = [];
    tab2.on('cart:changed', (c) => carts.push(c));
    const first = await ack<Ack<HoldResult>>(tab1, 'seat:hold', { showId: show.showId, seatIds: ['A1'] });
    h.clock.advance(30_000);
    const r = await best(tab1, { showId: show.showId, count: 3 });
    expect(first.ok && r.ok).toBe(true);
    if (!r.ok || !first.ok) return;
    expect(r.chosen).toHaveLength(3);
    expect(r.chosen).not.toContain('A1');
    expect(r.seatIds.sort()).toEqual(['A1', ...r.chosen].sort());
    expect(r.expiresAt).toBe(first.expiresAt);
    await waitFor(() => r.chosen.every((id) => log.some((m) => m.changes.some((c) => c.seatId === id && c.status === 'held'))), 5000, 'the watcher to see the chosen seats');
    await waitFor(() => carts.some((c) => c.seatIds.length === 4), 5000, 'the other tab to hear of the cart');
    expect(carts.at(-1)).toEqual({ showId: show.showId, seatIds: r.seatIds, expiresAt: r.expiresAt });
  });

  it('keeps to the chosen category, and an accessible request for one is the wheelchair space', async () => {
    const show = await newShow(6, 12);
    const u = await h.register();
    const s = await h.connect(u.token);
    const premium = await best(s, { showId: show.showId, count: 4, categoryId: 'premium' });
    const access = await best(s, { showId: show.showId, count: 1, accessible: true });
    expect(premium.ok && access.ok).toBe(true);
    const map = await seatMap(show.showId);
    const categoryOf = (id: string) => map.seats.find((x) => x.id === id)!.category;
    if (premium.ok) expect(premium.chosen.map(categoryOf)).toEqual(['premium', 'premium', 'premium', 'premium']);
    if (access.ok) expect(access.chosen).toEqual(['A1']); // testLayout's wheelchair space
  });

  it('in couple seats, best available holds whole couple units (both halves); accessible for 2 is the wheelchair space with its companion', async () => {
    const layout: Layout = {
      categories: [
        { id: 'classic', label: 'Classic', kind: 'standard' },
        { id: 'premium', label: 'Love seats', kind: 'couple' },
      ],
      rows: [
        { label: 'A', category: 'classic', blocks: [5, 5] },
        { label: 'B', category: 'premium', blocks: [4, 4] },
      ],
      accessible: ['A1'],
      companions: ['A2'],
    };
    const show = await newShow(2, 8);
    const screen = (await h.app.stores.catalog.getScreen(show.show.screenId))!;
    await h.app.stores.catalog.putScreens([{ ...screen, layout }]);
    const u = await h.register();
    const s = await h.connect(u.token);
    const two = await best(s, { showId: show.showId, count: 2, categoryId: 'premium' });
    const four = await best(s, { showId: show.showId, count: 4, categoryId: 'premium' });
    expect(two.ok && four.ok).toBe(true);
    const seats = (await seatMap(show.showId)).seats;
    for (const r of [two, four]) {
      if (!r.ok) continue;
      for (const id of r.chosen) expect(r.chosen, `${id}'s other half`).toContain(seats.find((x) => x.id === id)!.pair);
    }
    expect(await heldIn(show.showId)).toHaveLength(6);
    const access = await best(s, { showId: show.showId, count: 2, accessible: true });
    expect(access.ok && access.chosen.sort()).toEqual(['A1', 'A2']);
  });

  it('a chosen seat found taken in the store (the room had not heard) is retried with the next best set', async () => {
    const show = await newShow(6, 12);
    const u = await h.register();
    const s = await h.connect(u.token);
    const probe = await best(s, { showId: show.showId, count: 2 });
    if (!probe.ok) throw new Error('probe failed');
    await ack(s, 'seat:release', { showId: show.showId, seatIds: probe.chosen });
    const stolen = [...probe.chosen].sort()[0]!;
    expect(await holdBehindTheRoom(show.showId, stolen)).not.toBeNull();

    const r = await best(s, { showId: show.showId, count: 2 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.chosen).not.toContain(stolen);
    expect(sideBySide((await seatMap(show.showId)).seats, r.chosen)).toBe(true);
    const record = await h.app.stores.seats.seat(show.showId, stolen);
    expect(record).toMatchObject({ status: 'held', userId: 'someone-elsewhere' });
    // The room repairs what it missed (room.suspect), and then agrees with the store.
    expect(await settled(() => seatInvariantViolations(h.app, show.showId, [u.userId], h.clock.now()))).toEqual([]);
  });

  it(`gives up after ${HOLD_BEST_TRIES} sets lost to others (NOT_ENOUGH_TOGETHER) and holds nothing`, async () => {
    const show = await newShow(4, 12);
    const u = await h.register();
    const s = await h.connect(u.token);
    await h.app.rooms.open(show.showId); // the room loads an empty hall first
    for (const id of show.seatIds) expect(await holdBehindTheRoom(show.showId, id)).not.toBeNull();
    const r = await best(s, { showId: show.showId, count: 2 });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_ENOUGH_TOGETHER', reason: 'concurrent_change' } });
    const mine = (await h.app.stores.seats.seats(show.showId)).filter((x) => x.userId === u.userId && x.status === 'held');
    expect(mine).toEqual([]);
  });

  it('answers SOLD_OUT when no seat of the choice is free, NOT_ENOUGH_TOGETHER when the free ones are apart', async () => {
    const show = await newShow(2, 4); // rows A (classic), B (premium), each 2 + 2 seats
    const [a, b] = await Promise.all([h.register('a'), h.register('b')]);
    const [sa, sb] = await Promise.all([h.connect(a.token), h.connect(b.token)]);
    expect((await ack<Ack<HoldResult>>(sa, 'seat:hold', { showId: show.showId, seatIds: ['B1', 'B2', 'B3', 'B4', 'A1', 'A3'] })).ok).toBe(true);
    expect(await best(sb, { showId: show.showId, count: 1, categoryId: 'premium' })).toMatchObject({ ok: false, error: { code: 'SOLD_OUT' } });
    expect(await best(sb, { showId: show.showId, count: 2 })).toMatchObject({ ok: false, error: { code: 'NOT_ENOUGH_TOGETHER' } });
    expect(await heldIn(show.showId)).toEqual(['A1', 'A3', 'B1', 'B2', 'B3', 'B4']);
    await ack(sa, 'seat:hold', { showId: show.showId, seatIds: ['A2', 'A4'] });
    expect(await best(sb, { showId: show.showId, count: 1 })).toMatchObject({ ok: false, error: { code: 'SOLD_OUT' } });
  });

  it('enforces the per-user limit (HOLD_LIMIT) before choosing, and holds nothing', async () => {
    const show = await newShow(6, 12);
    const u = await h.register();
    const s = await h.connect(u.token);
    const nine = ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9'];
    expect((await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: nine })).ok).toBe(true);
    expect(await best(s, { showId: show.showId, count: 2 })).toMatchObject({ ok: false, error: { code: 'HOLD_LIMIT', params: { limit: 10, left: 1 } } });
    expect(await heldIn(show.showId)).toEqual([...nine].sort());
    expect(await best(s, { showId: show.showId, count: 1 })).toMatchObject({ ok: true });
  });

  it('a bad count or an unknown category is VALIDATION and changes nothing; anonymous callers are UNAUTHENTICATED', async () => {
    const show = await newShow(6, 12);
    const u = await h.register();
    const s = await h.connect(u.token);
    for (const payload of [
      { showId: show.showId, count: 0 },
      { showId: show.showId, count: 11 },
      { showId: show.showId, count: 2.5 },
      { showId: show.showId, count: '2' },
      { showId: show.showId },
      { showId: show.showId, count: 2, accessible: 'yes' },
    ]) {
      expect(await best(s, payload), JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(await best(s, { showId: show.showId, count: 2, categoryId: 'balcony' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', reason: 'unknown_category', details: [{ path: 'categoryId' }] },
    });
    expect(await heldIn(show.showId)).toEqual([]);
    const anon = await h.connect();
    expect(await best(anon, { showId: show.showId, count: 2 })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await heldIn(show.showId)).toEqual([]);
  });

  it('answers SHOW_CLOSED once the show has started', async () => {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 60_000 });
    const u = await h.register();
    const s = await h.connect(u.token);
    h.clock.advance(60_000);
    expect(await best(s, { showId: show.showId, count: 2 })).toMatchObject({ ok: false, error: { code: 'SHOW_CLOSED' } });
  });
});
