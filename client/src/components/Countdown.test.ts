import { render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Countdown from './Countdown.svelte';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe('Countdown', () => {
  it('counts down, warns near expiry and calls onexpire once', async () => {
    let now = 1_000_000;
    const onexpire = vi.fn();
    render(Countdown, { expiresAt: now + 125_000, now: () => now, onexpire });
    const timer = () => document.querySelector('[role=timer]')!;
    expect(timer().textContent!.trim()).toBe('Seats held for 2:05');
    expect(timer().classList.contains('warning')).toBe(false);

    now += 66_000;
    await vi.advanceTimersByTimeAsync(300);
    expect(timer().textContent!.trim()).toBe('Hurry: your seats are released in 0:59');
    expect(timer().classList.contains('warning')).toBe(true);

    now += 59_000;
    await vi.advanceTimersByTimeAsync(300);
    expect(timer().textContent!.trim()).toContain('0:00');
    expect(onexpire).toHaveBeenCalledTimes(1);
    now += 5_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(onexpire).toHaveBeenCalledTimes(1);
  });

  it('compact mode shows the clock and keeps the sentence as its label', () => {
    const now = 0;
    render(Countdown, { expiresAt: 480_000, now: () => now, compact: true });
    const timer = document.querySelector('[role=timer]')!;
    expect(timer.textContent!.trim()).toBe('8:00');
    expect(timer.getAttribute('aria-label')).toBe('Seats held for 8:00');
  });
});
