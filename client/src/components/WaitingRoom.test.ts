import { render } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueWaiting } from '../../../protocol/schemas.js';

let joinAnswer: unknown;
const handlers = new Map<string, (m: unknown) => void>();
const fakeSocket = {
  on: (e: string, h: (m: unknown) => void) => handlers.set(e, h),
  off: (e: string) => handlers.delete(e),
};
vi.mock('../lib/socket.js', () => ({
  getSocket: () => fakeSocket,
  emit: vi.fn(async () => joinAnswer),
}));
const { default: WaitingRoom } = await import('./WaitingRoom.svelte');

const waiting = (position: number | null, estimatedWaitSeconds = 600): QueueWaiting => ({
  showId: 's1',
  position,
  ahead: position === null ? null : position - 1,
  estimatedWaitSeconds,
  opensAt: '2026-12-03T04:30:00.000Z',
});
const text = (id: string) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim();
const settle = async () => {
  for (let i = 0; i < 3; i++) await tick();
  await new Promise((r) => setTimeout(r, 0));
};

beforeEach(() => {
  handlers.clear();
  sessionStorage.clear();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe('WaitingRoom', () => {
  it('shows the place with grouped digits, who is ahead, the wait in words and the bar; announces a new place only after another tenth of the line or 30 s', async () => {
    joinAnswer = { ok: true, status: 'waiting', ...waiting(1234, 23 * 60) };
    render(WaitingRoom, { showId: 's1', timeZone: 'Asia/Kolkata', onadmitted: async () => true });
    await settle();
    expect(text('queue-position')).toBe('You are number 1,234 in line');
    expect(text('queue-ahead')).toBe('1,233 people ahead of you');
    expect(text('queue-wait')).toBe('Estimated wait: about 25 minutes');
    expect(document.querySelector('[data-testid=queue-progress]')!.getAttribute('value')).toBe('0');
    const first = text('queue-announcement');
    expect(first).toContain('1,234');

    vi.setSystemTime(2_000);
    handlers.get('queue:update')!(waiting(1200));
    await settle();
    expect(text('queue-position')).toBe('You are number 1,200 in line');
    expect(text('queue-announcement')).toBe(first); // not every update

    vi.setSystemTime(4_000);
    handlers.get('queue:update')!(waiting(1100)); // past a tenth of the 1,233 ahead
    await settle();
    expect(text('queue-announcement')).toContain('1,100');

    vi.setSystemTime(40_000);
    handlers.get('queue:update')!(waiting(1090)); // 30 s on
    await settle();
    expect(text('queue-announcement')).toContain('1,090');
  });

  it('before opening: no number, the opening time in the theatre zone and the random-place promise', async () => {
    joinAnswer = { ok: true, status: 'waiting', ...waiting(null, 300) };
    render(WaitingRoom, { showId: 's1', timeZone: 'Asia/Kolkata', onadmitted: async () => true });
    await settle();
    expect(document.querySelector('[data-testid=queue-position]')).toBeNull();
    expect(text('queue-opens')).toBe('The queue opens at 10:00 am. Everyone who arrives before then gets a random place — no need to refresh.');
  });

  it('queue:admitted stores the pass for the show and calls onadmitted once', async () => {
    joinAnswer = { ok: true, status: 'waiting', ...waiting(2) };
    const onadmitted = vi.fn(async () => true);
    render(WaitingRoom, { showId: 's1', onadmitted });
    await settle();
    handlers.get('queue:admitted')!({ showId: 's1', pass: 'qp.turn', expiresAt: new Date(900_000).toISOString() });
    handlers.get('queue:admitted')!({ showId: 's1', pass: 'qp.turn', expiresAt: new Date(900_000).toISOString() });
    await settle();
    expect(onadmitted).toHaveBeenCalledTimes(1);
    expect(JSON.parse(sessionStorage.getItem('mm.pass.s1')!)).toEqual({ pass: 'qp.turn', expiresAt: 900_000 });
  });

  it('a busy line (UNAVAILABLE) is said in words and asked again 5 s later, then the place shows', async () => {
    vi.useFakeTimers();
    joinAnswer = { ok: false, error: { code: 'UNAVAILABLE', message: 'x' } };
    render(WaitingRoom, { showId: 's1', onadmitted: async () => true });
    await vi.advanceTimersByTimeAsync(0);
    await tick();
    expect(document.querySelector('[role=alert]')!.textContent).toBe('We are very busy right now. Please try again in a moment.');
    joinAnswer = { ok: true, status: 'waiting', ...waiting(7) };
    await vi.advanceTimersByTimeAsync(5_000);
    await tick();
    expect(text('queue-position')).toBe('You are number 7 in line');
  });
});
