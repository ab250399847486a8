/**
 * The waiting-room service around its line: what a line that fails or stalls (Redis gone)
 * turns into, and the wait estimate a waiter is told.
 */
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryLine } from '../../server/adapters/queue/memory-line.js';
import type { QueueLine } from '../../server/ports.js';
import { createWaitingRoom } from '../../server/services/waiting-room.js';

const T0 = Date.UTC(2026, 11, 24, 4, 30);

function room(line: QueueLine, now = { ms: T0 }) {
  return createWaitingRoom({
    line,
    clock: { now: () => now.ms },
    logger: pino({ level: 'silent' }),
    key: 'k'.repeat(32),
    randomInt: () => 0,
    showStartsAt: async () => T0 + 86_400_000,
    activeBuyers: () => 0,
    roomShows: () => [],
    admitted: () => undefined,
    safetyNet: null,
  });
}

describe('the waiting room service', () => {
  it('answers UNAVAILABLE when the line fails, and within 2 s when it stalls, instead of an internal error or a hang', async () => {
    const broken = { ...createMemoryLine(), join: () => Promise.reject(new Error('ECONNREFUSED')) } as QueueLine;
    const w = room(broken);
    await w.put('s1', { admitPerMinute: 10 });
    await expect(w.join('u1', 's1')).rejects.toMatchObject({ error: { code: 'UNAVAILABLE' } });

    vi.useFakeTimers();
    try {
      const stalled = { ...createMemoryLine(), join: () => new Promise<never>(() => undefined) } as QueueLine;
      const s = room(stalled);
      await s.put('s1', { admitPerMinute: 10 });
      const answer = s.join('u1', 's1').catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(2000);
      expect(await answer).toMatchObject({ error: { code: 'UNAVAILABLE' } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells a waiter the time to the opening, then their place at the set rate', async () => {
    const now = { ms: T0 };
    const w = room(createMemoryLine(), now);
    await w.put('s1', { admitPerMinute: 30, opensAt: new Date(T0 + 90_000).toISOString() });
    expect(await w.join('u0', 's1')).toMatchObject({ ok: true, value: { status: 'waiting', position: null, estimatedWaitSeconds: 90 } });
    now.ms = T0 + 90_000;
    for (let i = 1; i < 5; i++) await w.join(`u${i}`, 's1');
    await w.tick(); // opens: u0 first (the only one drawn), then u1..u4 in arrival order; one slot admitted
    // u4 is 4th now (3 ahead): at 30 a minute, one each 2 s: (3 + 1) × 2 s.
    expect(await w.join('u4', 's1')).toMatchObject({ ok: true, value: { status: 'waiting', position: 4, ahead: 3, estimatedWaitSeconds: 8 } });
  });
});
