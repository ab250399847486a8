import { render } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueView } from '../../../../protocol/schemas.js';

const calls: string[] = [];
let current: QueueView | null = null;
let putFails: unknown = null;
vi.mock('../../lib/staff-queue.js', async (original) => ({
  ...(await original<typeof import('../../lib/staff-queue.js')>()),
  readQueue: vi.fn(async () => (calls.push('GET'), current)),
  putQueue: vi.fn(async (_id: string, body: unknown) => {
    calls.push(`PUT ${JSON.stringify(body)}`);
    if (putFails) throw putFails;
    return current;
  }),
  endQueue: vi.fn(async () => (calls.push('DELETE'), (current = null), 7)),
}));
const { ApiFailure } = await import('../../lib/api.js');
const { messages } = await import('../../lib/messages.js');
const { default: QueuePanel } = await import('./QueuePanel.svelte');

const show = { id: 's1', startsAt: '2026-12-03T10:00:00+05:30', movie: { title: 'Leo' } } as never;
const view = (over: Partial<QueueView> = {}): QueueView => ({
  showId: 's1',
  source: 'staff',
  opensAt: '2026-12-03T04:00:00.000Z',
  admitPerMinute: 30,
  maxActiveBuyers: null,
  passMinutes: 15,
  stats: { waiting: 420, admitted: 12, activePasses: 9, admittedPerMinute: 30, medianWaitSeconds: 41.5 },
  ...over,
});
const text = (id: string) => document.querySelector(`[data-testid=${id}]`)?.textContent?.trim();
const settle = async () => {
  await new Promise((r) => setTimeout(r, 0));
  await tick();
};
const click = async (id: string) => {
  (document.querySelector(`[data-testid=${id}]`) as HTMLElement).click();
  await settle();
};

beforeEach(() => {
  calls.length = 0;
  putFails = null;
});
afterEach(() => document.body.replaceChildren());

describe('the staff waiting-room panel', () => {
  it('a queue the safety net turned on says so in words, with its live stats', async () => {
    current = view({ source: 'safety_net' });
    render(QueuePanel, { show });
    await settle();
    expect(text('queue-state')).toBe('Turned on automatically (busy show)');
    expect(text('queue-waiting')).toBe('420');
    expect(text('queue-admitted')).toBe('12');
  });

  it('turns the queue on with the form (admit per minute, pass minutes; max buyers only when given)', async () => {
    current = null;
    render(QueuePanel, { show });
    await settle();
    expect(text('queue-state')).toContain('The queue is off');
    const admit = document.querySelector('[data-testid=queue-admit-per-minute]') as HTMLInputElement;
    admit.value = '5';
    admit.dispatchEvent(new Event('input', { bubbles: true }));
    current = view({ admitPerMinute: 5 });
    await click('queue-save');
    expect(calls).toContain('PUT {"admitPerMinute":5,"passMinutes":15}');
    expect(text('queue-state')).toBe('The queue is on (turned on by staff).');
  });

  it('ends the queue only after the confirm step, and says how many were admitted', async () => {
    current = view();
    render(QueuePanel, { show });
    await settle();
    await click('queue-end');
    expect(calls).not.toContain('DELETE');
    await click('queue-end-yes');
    expect(calls).toContain('DELETE');
    expect(text('queue-done')).toBe('Queue ended: 7 people admitted.');
    expect(text('queue-state')).toContain('The queue is off');
  });

  it('words a refused change from its code, not the server message', async () => {
    current = view();
    putFails = new ApiFailure({ code: 'SHOW_CLOSED', message: 'server words' }, 409);
    render(QueuePanel, { show });
    await settle();
    await click('queue-save');
    const alert = document.querySelector('[role=alert]')!.textContent!;
    expect(alert.trim()).toBe(messages.en.showClosed);
  });
});
