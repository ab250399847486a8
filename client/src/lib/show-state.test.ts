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
    if (event === 'seat:hold' || event === 'seat:hold-best') {
      const seatIds = (payload as { seatIds?: string[] }).seatIds ?? ['A1', 'A2'];
      return { ok: true, showId: 's1', seatIds, chosen: seatIds, expiresAt: new Date(Date.now() + 60_000).toISOString() };
    }
    return { ok: true };
  }),
}));
const handlers = new Map<string, (m: unknown) => void>();
const fakeSocket = {
  on: (e: string, h: (m: unknown) => void) => handlers.set(e, h),
  off: (e: string) => handlers.delete(e),
};
const { ShowState } = await import('./show-state.svelte.js');
const { emit } = await import('./socket.js');
const queueRequired = { ok: false, error: { code: 'QUEUE_REQUIRED', message: '', reason: 'pass_missing' } } as const;

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
  sessionStorage.clear();
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

  it('a show:join answered QUEUE_REQUIRED puts the user in the waiting room, not an error; with a pass stored it sends it and opens the map', async () => {
    nextSnapshot = snapshot(1);
    vi.mocked(emit).mockImplementationOnce(async (event, payload) => (emitted.push({ event, payload }), queueRequired as never));
    const s = new ShowState('s1', fakeSocket as never);
    await s.join();
    expect(s.inQueue).toBe(true);
    expect(s.error).toBeNull();
    expect(s.loading).toBe(false);

    sessionStorage.setItem('mm.pass.s1', JSON.stringify({ pass: 'qp.turn', expiresAt: Date.now() + 60_000 }));
    await s.join();
    expect(emitted.at(-1)).toEqual({ event: 'show:join', payload: { showId: 's1', pass: 'qp.turn' } });
    expect(s.inQueue).toBe(false);
    await s.hold(['A1']);
    await s.holdBest(2);
    await s.confirm('idem-key-123');
    expect(emitted.slice(-3).map((e) => (e.payload as { pass?: string }).pass)).toEqual(['qp.turn', 'qp.turn', 'qp.turn']);
  });

  it('a hold answered QUEUE_REQUIRED (the pass ran out) forgets the pass and goes back to the waiting room instead of a notice', async () => {
    nextSnapshot = snapshot(1);
    sessionStorage.setItem('mm.pass.s1', JSON.stringify({ pass: 'qp.turn', expiresAt: Date.now() + 60_000 }));
    const s = new ShowState('s1', fakeSocket as never);
    await s.join();
    vi.mocked(emit).mockImplementationOnce(async (event, payload) => (emitted.push({ event, payload }), queueRequired as never));
    await s.hold(['A2']);
    expect(s.inQueue).toBe(true);
    expect(s.notice).toBeNull();
    expect(s.mine).toEqual([]);
    expect(sessionStorage.getItem('mm.pass.s1')).toBeNull();
  });
});
