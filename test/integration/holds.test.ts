import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, HoldResult, ReleaseResult, Snapshot } from '../../protocol/index.js';
import { SeatMap } from '../../protocol/index.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, recordChanges, startHarness, waitFor, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const newShow = (rows = 10, perRow = 10) => createShow(h.app.stores.catalog, { now: h.clock.now(), rows, perRow });
const seatMap = async (showId: string) => SeatMap.parse(await (await fetch(`${h.url}/api/shows/${showId}/seats`)).json());

describe('seat holds', () => {
  it('50 clients race for the same 4 seats: one wins all 4, 49 get SEAT_TAKEN, every watcher sees it', async () => {
    const show = await newShow();
    const wanted = ['C4', 'C5', 'C6', 'C7'];
    const racers = await Promise.all(Array.from({ length: 50 }, (_, i) => h.register(`racer${i}`)));
    const sockets = await Promise.all(racers.map((r) => h.connect(r.token)));
    const watchers = await Promise.all([h.connect(), h.connect(), h.connect()]);
    const everyone = [...sockets, ...watchers];
    const logs = everyone.map(recordChanges);
    await Promise.all(everyone.map((s) => ack(s, 'show:join', { showId: show.showId })));

    const results = await Promise.all(
      sockets.map((s) => ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: wanted })),
    );
    const winners = results.filter((r) => r.ok);
    const losers = results.filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const l of losers) {
      if (l.ok) continue;
      expect(l.error.code).toBe('SEAT_TAKEN');
      expect(l.error.seatIds!.length).toBeGreaterThan(0);
      expect(wanted).toEqual(expect.arrayContaining(l.error.seatIds!));
    }
    const heldSeen = (log: typeof logs[number]) =>
      new Set(log.flatMap((m) => m.changes.filter((c) => c.status === 'held').map((c) => c.seatId)));
    const elapsed = await waitFor(() => logs.every((log) => wanted.every((id) => heldSeen(log).has(id))), 5000, 'every watcher to see the hold');
    console.log(`[race] all ${everyone.length} room members saw the hold within ${elapsed} ms of the last ack`);
    const map = await seatMap(show.showId);
    expect(map.seats.filter((s) => s.status === 'held').map((s) => s.id).sort()).toEqual([...wanted].sort());
  });

  it('holds are all-or-nothing: one taken seat fails the whole request and holds none', async () => {
    const show = await newShow();
    const [a, b] = await Promise.all([h.register('a'), h.register('b')]);
    const [sa, sb] = await Promise.all([h.connect(a.token), h.connect(b.token)]);
    expect((await ack<Ack<HoldResult>>(sa, 'seat:hold', { showId: show.showId, seatIds: ['A2'] })).ok).toBe(true);
    const r = await ack<Ack<HoldResult>>(sb, 'seat:hold', { showId: show.showId, seatIds: ['A1', 'A2', 'A3'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'SEAT_TAKEN', seatIds: ['A2'] } });
    const map = await seatMap(show.showId);
    expect(map.seats.filter((s) => s.status === 'held').map((s) => s.id)).toEqual(['A2']);
  });

  it('re-holding your own seat succeeds without extending the shared expiry; added seats share it', async () => {
    const show = await newShow();
    const u = await h.register();
    const s = await h.connect(u.token);
    const first = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['B1'] });
    h.clock.advance(60_000);
    const again = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['B1', 'B2'] });
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.expiresAt).toBe(first.expiresAt);
    expect(again.seatIds).toEqual(['B1', 'B2']);
    expect(new Date(first.expiresAt).getTime()).toBe(h.clock.now() - 60_000 + 480_000);
  });

  it('enforces the per-user seat limit across requests (HOLD_LIMIT)', async () => {
    const show = await newShow();
    const u = await h.register();
    const s = await h.connect(u.token);
    const eight = ['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8'];
    expect((await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: eight })).ok).toBe(true);
    const over = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['D9', 'D10', 'E1'] });
    expect(over).toMatchObject({ ok: false, error: { code: 'HOLD_LIMIT' } });
    expect((await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['D9', 'D10'] })).ok).toBe(true);
  });

  it('release frees only your own holds, is idempotent, and is broadcast', async () => {
    const show = await newShow();
    const [a, b] = await Promise.all([h.register('a'), h.register('b')]);
    const [sa, sb, watcher] = await Promise.all([h.connect(a.token), h.connect(b.token), h.connect()]);
    await ack(watcher, 'show:join', { showId: show.showId });
    const log = recordChanges(watcher);
    await ack(sa, 'seat:hold', { showId: show.showId, seatIds: ['E1', 'E2'] });
    await ack(sb, 'seat:hold', { showId: show.showId, seatIds: ['E3'] });
    const byB = await ack<Ack<ReleaseResult>>(sb, 'seat:release', { showId: show.showId, seatIds: ['E1', 'E2', 'E3'] });
    expect(byB).toEqual({ ok: true, showId: show.showId, released: ['E3'], seatIds: [], expiresAt: null });
    const byA = await ack<Ack<ReleaseResult>>(sa, 'seat:release', { showId: show.showId, seatIds: ['E1'] });
    expect(byA).toMatchObject({ ok: true, showId: show.showId, released: ['E1'], seatIds: ['E2'], expiresAt: expect.any(String) });
    const twice = await ack<Ack<ReleaseResult>>(sa, 'seat:release', { showId: show.showId, seatIds: ['E1'] });
    expect(twice).toMatchObject({ ok: true, showId: show.showId, released: [], seatIds: ['E2'] });
    await waitFor(() => log.some((m) => m.changes.some((c) => c.seatId === 'E1' && c.status === 'free')));
    const map = await seatMap(show.showId);
    expect(map.seats.filter((s) => s.status === 'held').map((s) => s.id)).toEqual(['E2']);
    // A released seat can be held by someone else at once.
    expect((await ack<Ack<HoldResult>>(sb, 'seat:hold', { showId: show.showId, seatIds: ['E1'] })).ok).toBe(true);
  });

  it('anonymous watchers may join but not hold; the snapshot carries "mine" for logged-in users', async () => {
    const show = await newShow();
    const anon = await h.connect();
    const joined = await ack<Ack<{ snapshot: Snapshot }>>(anon, 'show:join', { showId: show.showId });
    expect(joined.ok && joined.snapshot.mine).toBeUndefined();
    expect(await ack(anon, 'seat:hold', { showId: show.showId, seatIds: ['A1'] })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    const u = await h.register();
    const s = await h.connect(u.token);
    const held = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['F5'] });
    const snap = await ack<Ack<{ snapshot: Snapshot }>>(s, 'show:join', { showId: show.showId });
    expect(snap.ok && snap.snapshot.mine).toEqual({ seatIds: ['F5'], expiresAt: held.ok ? held.expiresAt : null });
    expect(snap.ok && snap.snapshot.seats.find((x) => x.id === 'F5')?.status).toBe('held');
  });

  it('a forged or expired token is refused at connect', async () => {
    await expect(h.connect('not.a.token')).rejects.toThrow('UNAUTHENTICATED');
    const u = await h.register();
    const [head, body] = u.token.split('.');
    await expect(h.connect(`${head}.${body}.AAAAforgedsignature`)).rejects.toThrow('UNAUTHENTICATED');
  });

  it('versions increase by one per broadcast message', async () => {
    const show = await newShow();
    const u = await h.register();
    const [s, watcher] = await Promise.all([h.connect(u.token), h.connect()]);
    const join = await ack<Ack<{ snapshot: Snapshot }>>(watcher, 'show:join', { showId: show.showId });
    const log = recordChanges(watcher);
    await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['G1', 'G2'] });
    await ack(s, 'seat:release', { showId: show.showId, seatIds: ['G1'] });
    await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['G3'] });
    await waitFor(() => log.length === 3);
    const start = join.ok ? join.snapshot.version : -1;
    expect(log.map((m) => m.version)).toEqual([start + 1, start + 2, start + 3]);
    expect(log[0]!.changes).toEqual([
      { seatId: 'G1', status: 'held' },
      { seatId: 'G2', status: 'held' },
    ]);
  });

  it('shows close at their start time (SHOW_CLOSED)', async () => {
    const show: ShowFixture = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 60_000 });
    const u = await h.register();
    const s = await h.connect(u.token);
    expect((await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['A1'] })).ok).toBe(true);
    h.clock.advance(60_000);
    expect(await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['A2'] })).toMatchObject({
      ok: false,
      error: { code: 'SHOW_CLOSED' },
    });
    expect(await ack(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'closed-show-1' })).toMatchObject({
      ok: false,
      error: { code: 'SHOW_CLOSED' },
    });
  });
});
