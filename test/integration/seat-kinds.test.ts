/**
 * Couple seats against the real server and DynamoDB Local: the two halves of a couple seat are
 * held, released, counted and booked as one unit, and a layout whose couple block cannot pair up
 * is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking, HoldResult, Layout, ReleaseResult, SeatsChanged } from '../../protocol/index.js';
import { SeatMap } from '../../protocol/index.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, recordChanges, startHarness, waitFor, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** Row A: 10 classic seats (A1 a wheelchair space, A2 its companion); rows B and C: couple seats, (B1,B2)...(B7,B8), (C1,C2), (C3,C4). */
const coupleLayout: Layout = {
  categories: [
    { id: 'classic', label: 'Classic', kind: 'standard' },
    { id: 'premium', label: 'Love seats', kind: 'couple' },
  ],
  rows: [
    { label: 'A', category: 'classic', blocks: [5, 5] },
    { label: 'B', category: 'premium', blocks: [4, 4] },
    { label: 'C', category: 'premium', blocks: [2, 2] },
  ],
  accessible: ['A1'],
  companions: ['A2'],
};

/** A fresh show whose screen has the couple layout (written before anything reads the screen). */
async function coupleShow(): Promise<ShowFixture> {
  const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 3, perRow: 8 });
  const screen = (await h.app.stores.catalog.getScreen(show.show.screenId))!;
  await h.app.stores.catalog.putScreens([{ ...screen, layout: coupleLayout }]);
  return show;
}

const seatMap = async (showId: string) => SeatMap.parse(await (await fetch(`${h.url}/api/shows/${showId}/seats`)).json());
const statusOf = async (showId: string) => Object.fromEntries((await seatMap(showId)).seats.map((s) => [s.id, s.status]));
const user = async (name: string) => h.connect((await h.register(name)).token);
const seen = (log: SeatsChanged[], status: string) => new Set(log.flatMap((m) => m.changes.filter((c) => c.status === status).map((c) => c.seatId)));

describe('couple seats', () => {
  it('the seat map names each half\'s partner and marks the companion seat; other seats carry neither field', async () => {
    const show = await coupleShow();
    const seats = new Map((await seatMap(show.showId)).seats.map((s) => [s.id, s]));
    expect(seats.get('B1')).toMatchObject({ pair: 'B2' });
    expect(seats.get('B4')).toMatchObject({ pair: 'B3' });
    expect(seats.get('B5')).toMatchObject({ pair: 'B6' });
    expect(seats.get('A2')).toMatchObject({ companion: true, accessible: false });
    expect(seats.get('A1')).toMatchObject({ accessible: true });
    expect('pair' in seats.get('A3')! || 'companion' in seats.get('A3')!).toBe(false);
  });

  it('holding one half holds both: the ack names both and every watcher sees both held in one message', async () => {
    const show = await coupleShow();
    const holder = await user('holder');
    const watchers = [await h.connect(), await user('watcher')];
    const logs = watchers.map(recordChanges);
    await Promise.all(watchers.map((s) => ack(s, 'show:join', { showId: show.showId })));

    const r = await ack<Ack<HoldResult>>(holder, 'seat:hold', { showId: show.showId, seatIds: ['B2'] });
    expect(r).toMatchObject({ ok: true, seatIds: ['B2', 'B1'] });
    await waitFor(() => logs.every((log) => seen(log, 'held').has('B1') && seen(log, 'held').has('B2')), 5000, 'watchers to see both halves held');
    for (const log of logs) {
      const message = log.find((m) => m.changes.some((c) => c.seatId === 'B2'))!;
      expect(message.changes.map((c) => c.seatId).sort()).toEqual(['B1', 'B2']);
    }
    const status = await statusOf(show.showId);
    expect([status.B1, status.B2, status.B3]).toEqual(['held', 'held', 'free']);
  });

  it('releasing one half releases both, and the watchers see both free', async () => {
    const show = await coupleShow();
    const holder = await user('holder');
    const watcher = await h.connect();
    const log = recordChanges(watcher);
    await ack(watcher, 'show:join', { showId: show.showId });
    expect((await ack<Ack<HoldResult>>(holder, 'seat:hold', { showId: show.showId, seatIds: ['B3', 'A5'] })).ok).toBe(true);

    const r = await ack<Ack<ReleaseResult>>(holder, 'seat:release', { showId: show.showId, seatIds: ['B4'] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.released].sort()).toEqual(['B3', 'B4']);
    expect(r.seatIds).toEqual(['A5']);
    await waitFor(() => seen(log, 'free').has('B3') && seen(log, 'free').has('B4'), 5000, 'the watcher to see both halves free');
    const status = await statusOf(show.showId);
    expect([status.B3, status.B4, status.A5]).toEqual(['free', 'free', 'held']);
  });

  it('two users racing for the two halves of one couple seat: exactly one gets both, the other SEAT_TAKEN, never half each', async () => {
    const show = await coupleShow();
    const units = [['B1', 'B2'], ['B3', 'B4'], ['B5', 'B6'], ['B7', 'B8'], ['C1', 'C2'], ['C3', 'C4']] as const;
    for (const [left, right] of units) {
      const [a, b] = [await user('left'), await user('right')];
      const [ra, rb] = await Promise.all([
        ack<Ack<HoldResult>>(a, 'seat:hold', { showId: show.showId, seatIds: [left] }),
        ack<Ack<HoldResult>>(b, 'seat:hold', { showId: show.showId, seatIds: [right] }),
      ]);
      const winners = [ra, rb].filter((r) => r.ok);
      expect(winners, `${left}/${right}`).toHaveLength(1);
      expect([...(winners[0] as HoldResult).seatIds].sort()).toEqual([left, right].sort());
      const loser = [ra, rb].find((r) => !r.ok)!;
      expect(loser).toMatchObject({ ok: false, error: { code: 'SEAT_TAKEN' } });
      // The loser holds nothing: its snapshot has no seats of its own.
      const loserSocket = ra.ok ? b : a;
      const snap = await ack<{ ok: true; snapshot: { mine?: { seatIds: string[] } } }>(loserSocket, 'show:join', { showId: show.showId });
      expect(snap.snapshot.mine?.seatIds).toEqual([]);
    }
    const status = await statusOf(show.showId);
    expect(units.flat().every((id) => status[id] === 'held')).toBe(true);
  });

  it('HOLD_LIMIT counts both halves: 9 seats plus a couple is refused and changes nothing; 8 plus a couple makes 10', async () => {
    const show = await coupleShow();
    const s = await user('limit');
    const nine = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9'];
    expect((await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: nine })).ok).toBe(true);
    const over = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['B5'] });
    expect(over).toMatchObject({ ok: false, error: { code: 'HOLD_LIMIT', params: { limit: 10, left: 1 } } });
    expect((await statusOf(show.showId)).B5).toBe('free');
    expect((await statusOf(show.showId)).B6).toBe('free');

    expect((await ack<Ack<ReleaseResult>>(s, 'seat:release', { showId: show.showId, seatIds: ['A9'] })).ok).toBe(true);
    const fits = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['B5'] });
    expect(fits.ok && fits.seatIds).toHaveLength(10);
  });

  it('confirming books both halves of a couple seat held by naming one', async () => {
    const show = await coupleShow();
    const s = await user('booker');
    expect((await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['C4'] })).ok).toBe(true);
    const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: `kinds-${Math.random().toString(36).slice(2)}` });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.booking.seats].sort()).toEqual(['C3', 'C4']);
    const status = await statusOf(show.showId);
    expect([status.C3, status.C4]).toEqual(['booked', 'booked']);
  });
});

describe('layouts with seat kinds', () => {
  it('a layout with an odd couple block is refused with VALIDATION (reason couple_block_odd) and changes nothing', async () => {
    const show = await coupleShow();
    const reg = await h.app.services.auth.register({ name: 'Staff', email: `kinds-staff-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' }, 'staff', ['test-theatre']);
    if (!reg.ok) throw new Error('register failed');
    const odd: Layout = { ...coupleLayout, rows: [...coupleLayout.rows.slice(0, 2), { label: 'C', category: 'premium', blocks: [2, 3] }] };
    const res = await fetch(`${h.url}/api/staff/screens/${show.show.screenId}/layout`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${reg.value.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ layout: odd }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { reason: string; params: unknown }[] } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.details).toEqual([expect.objectContaining({ reason: 'couple_block_odd', params: { row: 'C', block: 2, seats: 3 } })]);
    expect((await h.app.stores.catalog.getScreen(show.show.screenId))!.layout).toEqual(coupleLayout);
    expect((await seatMap(show.showId)).seats).toHaveLength(10 + 8 + 4);
  });
});
