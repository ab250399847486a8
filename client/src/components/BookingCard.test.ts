import { cleanup, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Booking } from '../../../protocol/schemas.js';
import { fakeSocket } from '../lib/test-server.js';
import { booking, payment, refund, T0 } from '../lib/test-bookings.js';

vi.mock('../lib/socket.js', () => ({ getSocket: () => fakeSocket(), emit: vi.fn(), onIdentityChange: () => () => undefined }));
const { default: BookingCard } = await import('./BookingCard.svelte');
const { i18n } = await import('../lib/i18n.svelte.js');

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  i18n.set('en');
});

const text = (sel: string) => document.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();
const card = (b: Booking, detailed = false) => render(BookingCard, { booking: b, detailed });

describe('BookingCard: payment and refunds in My bookings and on the booking page', () => {
  it('labels every status', () => {
    const labels: [Booking['status'], string][] = [
      ['confirmed', 'Confirmed'],
      ['cancelled', 'Cancelled'],
      ['pending_payment', 'Awaiting payment'],
      ['expired', 'Expired'],
    ];
    for (const [status, label] of labels) {
      card(booking({ status }));
      expect(text('[data-testid=booking-status]'), status).toBe(label);
      cleanup();
    }
  });

  it('a booking to pay shows what is awaited, "Pay now" and the time left (in the list, not on the detailed page)', () => {
    vi.useFakeTimers({ now: T0 });
    card(booking());
    expect(text('[data-testid=payment-status]')).toBe('Awaiting ₹531');
    expect(text('[data-testid=pay]')).toBe('Pay now');
    expect(text('[role=timer]')).toBe('10:00 left');
    cleanup();
    card(booking(), true);
    expect(document.querySelector('[data-testid=pay]')).toBeNull();
  });

  it('a paid booking says when it was paid; an expired one that no money was taken', () => {
    card(booking({ status: 'confirmed', payment: payment({ status: 'captured', capturedAt: '2026-12-02T04:31:00Z' }) }));
    // In the theatre's zone, named when the viewer is elsewhere.
    expect(text('[data-testid=payment-status]')).toMatch(/^Paid ₹531 on Wed, 2 Dec, 10:01 am( IST)?$/);
    cleanup();
    card(booking({ status: 'expired', payment: payment({ status: 'expired' }) }));
    expect(text('[data-testid=payment-status]')).toBe('Not paid: time ran out, no money taken');
    expect(document.querySelector('[data-testid=pay]')).toBeNull();
  });

  it('lists each refund with its amount, reason and status (pending, succeeded with its date, failed and retried)', () => {
    const refunds = [
      refund({ id: 'r1', amount: 26_550, reason: 'cancelled', status: 'succeeded', settledAt: '2026-12-03T06:30:00Z' }),
      refund({ id: 'r2', amount: 53_100, reason: 'late_payment', status: 'pending' }),
      refund({ id: 'r3', amount: 100, reason: 'show_cancelled', status: 'failed' }),
      refund({ id: 'r4', amount: 200, reason: 'mismatch', status: 'succeeded' }),
    ];
    card(booking({ status: 'cancelled', payment: payment({ status: 'captured', refunds }) }));
    const items = [...document.querySelectorAll('li.refund')].map((li) => li.textContent!.trim());
    expect(items[0]).toMatch(/^₹265\.50 · booking cancelled · Refunded on Thu, 3 Dec, 12:00 pm( IST)?$/);
    expect(items.slice(1)).toEqual([
      '₹531 · paid after the time ran out · Refund on its way',
      '₹1 · show cancelled · Refund delayed: we are retrying it',
      '₹2 · payment did not match the price · Refunded',
    ]);
  });

  it('a booking without a gateway (box office) has no payment line, as before', () => {
    card(booking({ status: 'confirmed', payment: undefined }));
    expect(document.querySelector('[data-testid=payment-status]')).toBeNull();
    expect(text('[data-testid=booking-status]')).toBe('Confirmed');
  });

  it('in Hindi and Telugu too', () => {
    i18n.set('hi');
    card(booking({ status: 'expired', payment: payment({ status: 'captured', refunds: [refund()] }) }));
    expect(text('[data-testid=booking-status]')).toBe('समय खत्म');
    expect(text('li.refund')).toBe('₹531 · समय खत्म होने के बाद भुगतान · रिफ़ंड भेजा जा रहा है');
    cleanup();
    i18n.set('te');
    card(booking({ status: 'pending_payment' }));
    expect(text('[data-testid=booking-status]')).toBe('చెల్లింపు పెండింగ్');
  });
});
