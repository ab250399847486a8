/**
 * Leaving a show (show:leave with `release`) and the cart timer after releasing everything,
 * against the real server and store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, HoldResult, Snapshot } from '../../protocol/index.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { leaveGraceMs: 300 } });
});
afterAll(() => h.close());

const newShow = () => createShow(h.app.stores.catalog, { now: h.clock.now() });
const heldSeats = async (showId: string) =>
  ((await (await fetch(`${h.url}/api/shows/${showId}/seats`)).json()) as Snapshot).seats.filter((s) => s.status === 'held').map((s) => s.id);

async function userHolding(showId: string, seatIds: string[]) {
  const u = await h.register('leaver');
  const socket = await h.connect(u.token);
  await ack(socket, 'show:join', { showId });
  const held = await ack<Ack<HoldResult>>(socket, 'seat:hold', { showId, seatIds });
  expect(held.ok).toBe(true);
  return { ...u, socket };
}

describe('show:leave', () => {
  it('release "now" frees every seat the caller holds on the show, and only theirs', async () => {
    const { showId } = await newShow();
    const a = await userHolding(showId, ['A1', 'A2']);
    await userHolding(showId, ['B1']);
    expect(await ack(a.socket, 'show:leave', { showId, release: 'now' })).toEqual({ ok: true });
    expect(await heldSeats(showId)).toEqual(['B1']);
  });

  it('without "release" (on the way to checkout) the seats stay held', async () => {
    const { showId } = await newShow();
    const a = await userHolding(showId, ['A1']);
    await ack(a.socket, 'show:leave', { showId });
    expect(await heldSeats(showId)).toEqual(['A1']);
  });

  it('keeps the seats while another socket of the same user still has the show open', async () => {
    const { showId } = await newShow();
    const a = await userHolding(showId, ['A1']);
    const otherTab = await h.connect(a.token);
    await ack(otherTab, 'show:join', { showId });
    await ack(a.socket, 'show:leave', { showId, release: 'now' });
    expect(await heldSeats(showId)).toEqual(['A1']);
    await ack(otherTab, 'show:leave', { showId, release: 'now' });
    expect(await heldSeats(showId)).toEqual([]);
  });

  it('release "later" frees the seats after the grace, unless the show is opened again (a reload)', async () => {
    const { showId } = await newShow();
    const closed = await userHolding(showId, ['A1']);
    await ack(closed.socket, 'show:leave', { showId, release: 'later' });
    closed.socket.disconnect();
    expect(await heldSeats(showId)).toEqual(['A1']);
    const freedAfter = await (async () => {
      const start = Date.now();
      while ((await heldSeats(showId)).length > 0) {
        if (Date.now() - start > 5000) throw new Error('not released');
        await new Promise((r) => setTimeout(r, 50));
      }
      return Date.now() - start;
    })();
    console.log(`[leave] closed tab released ${freedAfter} ms after it said so (grace 300 ms)`);

    const reloaded = await userHolding(showId, ['C1']);
    await ack(reloaded.socket, 'show:leave', { showId, release: 'later' });
    reloaded.socket.disconnect();
    const again = await h.connect(reloaded.token);
    await ack(again, 'show:join', { showId });
    await new Promise((r) => setTimeout(r, 900));
    expect(await heldSeats(showId)).toEqual(['C1']);
  });

  it('an anonymous watcher leaving with release changes nothing', async () => {
    const { showId } = await newShow();
    await userHolding(showId, ['A1']);
    const watcher = await h.connect();
    await ack(watcher, 'show:join', { showId });
    expect(await ack(watcher, 'show:leave', { showId, release: 'now' })).toEqual({ ok: true });
    expect(await heldSeats(showId)).toEqual(['A1']);
  });
});

describe('the cart timer', () => {
  it('after "release all", the next hold gets a full fresh timer, not the rest of the first one', async () => {
    const { showId } = await newShow();
    const a = await userHolding(showId, ['A1']);
    const first = await ack<Ack<HoldResult>>(a.socket, 'seat:hold', { showId, seatIds: ['A1'] });
    h.clock.advance(200_000);
    await ack(a.socket, 'seat:release', { showId, seatIds: ['A1'] });
    const fresh = await ack<Ack<HoldResult>>(a.socket, 'seat:hold', { showId, seatIds: ['A2'] });
    expect(fresh.ok && first.ok).toBe(true);
    if (!fresh.ok || !first.ok) return;
    expect(Date.parse(fresh.expiresAt)).toBe(h.clock.now() + 480_000);
    // While the cart has seats, added seats share its timer.
    h.clock.advance(10_000);
    const added = await ack<Ack<HoldResult>>(a.socket, 'seat:hold', { showId, seatIds: ['A3'] });
    expect(added.ok && added.expiresAt).toBe(fresh.expiresAt);
    const snap = await ack<{ ok: true; snapshot: Snapshot }>(a.socket, 'show:join', { showId });
    expect(snap.snapshot.mine).toEqual({ seatIds: ['A2', 'A3'], expiresAt: fresh.expiresAt });
  });
});
