import { render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Countdown from './Countdown.svelte';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

const timer = () => document.querySelector('[role=timer]')!;
const announced = () => document.querySelector('[data-testid=timer-announcement]')!.textContent!.trim();

describe('Countdown', () => {
  it('reads as time left (never a clock time), warns near expiry and calls onexpire once', async () => {
    let now = 1_000_000;
    const onexpire = vi.fn();
    render(Countdown, { expiresAt: now + 125_000, now: () => now, onexpire });
    expect(timer().textContent!.trim()).toBe('2:05 left');
    expect(timer().classList.contains('warning')).toBe(false);

    now += 66_000;
    await vi.advanceTimersByTimeAsync(300);
    expect(timer().textContent!.trim()).toBe('Hurry: only 0:59 left');
    expect(timer().classList.contains('warning')).toBe(true);

    now += 59_000;
    await vi.advanceTimersByTimeAsync(300);
    expect(timer().textContent!.trim()).toContain('0:00');
    expect(onexpire).toHaveBeenCalledTimes(1);
    now += 5_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(onexpire).toHaveBeenCalledTimes(1);
  });

  it('compact mode says "left" too and keeps the full sentence as its label', () => {
    const now = 0;
    render(Countdown, { expiresAt: 480_000, now: () => now, compact: true });
    expect(timer().textContent!.trim()).toBe('8:00 left');
    expect(timer().getAttribute('aria-label')).toBe('8:00 left');
  });

  it('announces politely when the hold starts and at 5, 2 and 1 minutes and 30 s left, not every second', async () => {
    let now = 0;
    render(Countdown, { expiresAt: 480_000, now: () => now });
    const region = document.querySelector('[data-testid=timer-announcement]')!;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(announced()).toBe('Your seats are held for you: 8 minutes to book them.');
    const heard: string[] = [];
    for (let s = 1; s <= 480; s++) {
      now = s * 1000;
      await vi.advanceTimersByTimeAsync(250);
      if (heard.at(-1) !== announced()) heard.push(announced());
    }
    expect(heard).toEqual([
      'Your seats are held for you: 8 minutes to book them.',
      '5 minutes left to book your seats.',
      '2 minutes left to book your seats.',
      '1 minute left to book your seats.',
      '30 seconds left to book your seats.',
    ]);
  });

  it('for a payment, the announcements speak of paying, not of booking', async () => {
    let now = 0;
    render(Countdown, { expiresAt: 150_000, now: () => now, purpose: 'payment' });
    expect(announced()).toBe('Your seats are reserved: 3 minutes to pay.');
    now = 31_000;
    await vi.advanceTimersByTimeAsync(300);
    expect(announced()).toBe('2 minutes left to pay.');
    now = 121_000;
    await vi.advanceTimersByTimeAsync(300);
    expect(announced()).toBe('30 seconds left to pay.');
  });

  it('announce=false leaves out the live region (several timers on one page)', () => {
    render(Countdown, { expiresAt: 60_000, now: () => 0, announce: false });
    expect(document.querySelector('[data-testid=timer-announcement]')).toBeNull();
    expect(timer().textContent!.trim()).toContain('1:00');
  });
});
