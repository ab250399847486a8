/** The shared per-show seat view: version rules, out-of-order patches, gaps (a stub store port). */
import { describe, expect, it } from 'vitest';
import type { SeatRecord } from '../../server/domain/holds.js';
import type { SeatStore } from '../../server/ports.js';
import { createSeatView } from '../../server/services/seat-view.js';

function setup(initial: SeatRecord[] = []) {
  let reads = 0;
  const store = { seats: async () => (reads++, initial.map((r) => ({ ...r }))) } as unknown as SeatStore;
  const clock = { ms: 1_000_000, now() { return this.ms; } };
  const view = createSeatView(store, clock);
  return { view, clock, reads: () => reads };
}
const held = (userId: string) => ({ record: { showId: 's', status: 'held' as const, userId, expiresAt: 2_000_000 } });
const ids = async (p: Promise<SeatRecord[]>) => (await p).map((r) => `${r.seatId}:${r.status}`).sort();

describe('seat view', () => {
  it('serves one read per version, patched in order, without going back to the store', async () => {
    const { view, reads } = setup();
    expect(await ids(view.read('s', 0))).toEqual([]);
    view.apply('s', 1, [{ seatIds: ['A1'], ...held('u1') }]);
    view.apply('s', 2, [{ seatIds: ['A2'], ...held('u2') }, { seatIds: ['A1'], record: null }]);
    expect(await ids(view.read('s', 2))).toEqual(['A2:held']);
    expect(reads()).toBe(1);
    expect(view.knownTaken('s', 2, 'u1', ['A1', 'A2'], 1_000_000)).toEqual(['A2']);
    expect(view.knownTaken('s', 2, 'u2', ['A2'], 1_000_000)).toEqual([]); // your own hold is not "taken"
  });

  it('waits for a missing version and then applies the later ones in order', async () => {
    const { view, reads } = setup();
    await view.read('s', 0);
    view.apply('s', 2, [{ seatIds: ['A1'], record: null }]); // v2 (release) before v1 (hold)
    expect(view.knownTaken('s', 2, 'x', ['A1'], 1_000_000)).toEqual([]); // not current yet: no fast answers
    view.apply('s', 1, [{ seatIds: ['A1'], ...held('u1') }]);
    expect(await ids(view.read('s', 2))).toEqual([]);
    expect(reads()).toBe(1);
  });

  it('drops the view on a gap that does not close, on unknown changes, and on a newer version', async () => {
    const { view, clock, reads } = setup();
    await view.read('s', 0);
    view.apply('s', 2, []);
    clock.ms += 1500;
    view.apply('s', 3, []);
    await view.read('s', 3);
    expect(reads()).toBe(2);
    view.apply('s', 4, null); // the sweeper's release: no record
    await view.read('s', 4);
    expect(reads()).toBe(3);
    await view.read('s', 9); // another process moved on and we never heard
    expect(reads()).toBe(4);
  });

  it('ignores versions at or below its own: they were in the store before its read', async () => {
    const { view } = setup([{ showId: 's', seatId: 'B1', status: 'booked', userId: 'u9', bookingId: 'b' }]);
    await view.read('s', 5);
    view.apply('s', 5, [{ seatIds: ['B1'], record: null }]);
    view.apply('s', 4, [{ seatIds: ['B1'], record: null }]);
    expect(await ids(view.read('s', 5))).toEqual(['B1:booked']);
  });
});
