import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot, SeatsChanged } from '../../../protocol/schemas.js';

const emitted: { event: string; payload: unknown }[] = [];
let nextSnapshot: Snapshot;
const identityListeners: (() => void)[] = [];
vi.mock('./socket.js', () => ({
  getSocket: () => fakeSocket,
  onIdentityChange: (fn: () => void) => (identityListeners.push(fn), () => undefined),
  emit: vi.fn(async (event: string, payload: unknown) => {
    emitted.push({ event, payload });
    if (event === 'show:join') return { ok: true, snapshot: structuredClone(nextSnapshot) };
    return { ok: true };
  }),
}));
const handlers = new Map<string, (m: unknown) => void>();
const fakeSocket = {
  on: (e: string, h: (m: unknown) => void) => handlers.set(e, h),
  off: (e: string) => handlers.delete(e),
};
const { ShowState } = await import('./show-state.svelte.js');

function snapshot(version: number, held: string[] = []): Snapshot {
  return {
    showId: 's1',
    version,
    currency: 'INR',
    categories: [{ id: 'c', label: 'C', kind: 'standard', price: 100 }],
    seats: ['A1', 'A2', 'A3'].map((id, i) => ({ id, row: 'A', number: i + 1, col: i, category: 'c', price: 100, status: held.includes(id) ? 'held' : 'free', accessible: false })),
  };
}
const changed = (version: number, seatId: string, status: 'free' | 'held' | 'booked'): SeatsChanged => ({
  showId: 's1',
  version,
  changes: [{ seatId, status }],
});

beforeEach(() => {
  emitted.length = 0;
  handlers.clear();
});

describe('ShowState', () => {
  it('applies diffs in order and tells subscribers which seats changed', async () => {
    nextSnapshot = snapshot(5);
    const s = new ShowState('s1', fakeSocket as never);
    await s.join();
    const seen: (number[] | 'all')[] = [];
    s.subscribe((c) => seen.push(c));
    handlers.get('seats:changed')!(changed(6, 'A2', 'held'));
    expect(s.viewOf(1)).toBe('held');
    expect(seen).toEqual([[1]]);
    handlers.get('seats:changed')!(changed(6, 'A2', 'free')); // a repeat: ignored
    expect(s.viewOf(1)).toBe('held');
  });

  it('resyncs with a fresh snapshot when a version is missing', async () => {
    nextSnapshot = snapshot(5);
    const s = new ShowState('s1', fakeSocket as never);
    await s.join();
    expect(emitted.filter((e) => e.event === 'show:join')).toHaveLength(1);
    nextSnapshot = snapshot(8, ['A1', 'A3']);
    handlers.get('seats:changed')!(changed(8, 'A3', 'held')); // 6 and 7 were missed
    await s.join();
    expect(emitted.filter((e) => e.event === 'show:join')).toHaveLength(2);
    expect([s.viewOf(0), s.viewOf(1), s.viewOf(2)]).toEqual(['held', 'free', 'held']);
    handlers.get('seats:changed')!(changed(9, 'A1', 'free'));
    expect(s.viewOf(0)).toBe('free');
  });

  it('rejoins after a reconnect', async () => {
    nextSnapshot = snapshot(1);
    const s = new ShowState('s1', fakeSocket as never);
    await s.join();
    handlers.get('connect')!(undefined);
    await s.join();
    expect(emitted.filter((e) => e.event === 'show:join').length).toBeGreaterThanOrEqual(2);
  });
});
