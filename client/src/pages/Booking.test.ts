import { cleanup, render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Booking } from '../../../protocol/schemas.js';
import { fakeFetch, fakeSocket } from '../lib/test-server.js';
import { booking, payment } from '../lib/test-bookings.js';

const socket = fakeSocket();
vi.mock('../lib/socket.js', () => ({ getSocket: () => socket, emit: vi.fn(), onIdentityChange: () => () => undefined }));
const { session } = await import('../lib/session.svelte.js');
const { default: BookingPage } = await import('./Booking.svelte');

const text = (sel: string) => document.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();
beforeEach(() => {
  session.user = { id: 'u1', name: 'Meera', email: 'meera@example.com', role: 'customer', emailVerified: true };
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the booking page with payments', () => {
  it('a booking to pay shows Pay and the time left (the prices once, in the card); paid meanwhile, it is read again and offers the ticket and cancelling', async () => {
    let current: Booking = booking({ payment: payment({ expiresAt: new Date(Date.now() + 300_000).toISOString() }) });
    const { calls } = fakeFetch({ 'GET /api/bookings/bk_1': () => ({ body: { booking: current } }) });
    render(BookingPage, { bookingId: 'bk_1' });
    await vi.waitFor(() => expect(text('a[data-testid=pay]')).toBe('Pay ₹531'));
    expect(text('[data-testid=booking-status]')).toBe('Awaiting payment');
    expect(document.querySelectorAll('[data-testid=paybox] tbody tr')).toHaveLength(1);
    expect(document.querySelector('[data-testid=download-ticket]')).toBeNull();

    current = booking({ status: 'confirmed', payment: payment({ status: 'captured' }), refundIfCancelledNow: { percent: 100, amount: 53_100 } });
    // The news itself lacks what only GET answers (refundIfCancelledNow): the page reads the booking again.
    socket.serverSends('booking:changed', { booking: booking({ status: 'confirmed', payment: payment({ status: 'captured' }) }) });
    await vi.waitFor(() => expect(document.querySelector('[data-testid=cancel-booking]')).not.toBeNull());
    expect(document.querySelector('[data-testid=download-ticket]')).not.toBeNull();
    expect(document.querySelector('[data-testid=paybox]')).toBeNull();
    expect(text('[data-testid=booking-status]')).toBe('Confirmed');
    expect(calls).toEqual(['GET /api/bookings/bk_1', 'GET /api/bookings/bk_1']);
  });
});
