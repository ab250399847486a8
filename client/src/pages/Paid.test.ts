import { cleanup, render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Booking } from '../../../protocol/schemas.js';
import { fakeFetch, fakeSocket } from '../lib/test-server.js';
import { booking, DEADLINE, payment, refund, T0 } from '../lib/test-bookings.js';

const socket = fakeSocket();
vi.mock('../lib/socket.js', () => ({ getSocket: () => socket, emit: vi.fn(), onIdentityChange: () => () => undefined }));
const { session } = await import('../lib/session.svelte.js');
const { default: Paid } = await import('./Paid.svelte');

const pending = booking();
const paid = booking({ status: 'confirmed', payment: payment({ status: 'captured', capturedAt: new Date(T0 + 60_000).toISOString() }) });
const declined = booking({ payment: payment({ lastError: 'Card declined by the bank' }) });
const refunding = booking({ status: 'expired', payment: payment({ status: 'captured', refunds: [refund()] }) });
const refunded = booking({ status: 'expired', payment: payment({ status: 'captured', refunds: [refund({ status: 'succeeded', settledAt: new Date(DEADLINE + 3_600_000).toISOString() })] }) });
const expired = booking({ status: 'expired', payment: payment({ status: 'expired' }) });

const CHECK = 'POST /api/bookings/bk_1/payment/check';
const GET = 'GET /api/bookings/bk_1';
const answer = (b: Booking) => () => ({ body: { booking: b } });
const text = (sel: string) => document.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();
const heading = () => document.querySelector('section h2');
const news = (b: Booking) => socket.serverSends('booking:changed', { booking: b });
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  session.user = { id: 'u1', name: 'Meera', email: 'meera@example.com', role: 'customer', emailVerified: true };
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('the page the gateway sends the user back to (/bookings/:id/paid)', () => {
  it('asks the server to check once, waits live (polite status, spinner), then on the news says paid and booked with a link to the booking, focused', async () => {
    const { calls } = fakeFetch({ [CHECK]: answer(pending) });
    render(Paid, { bookingId: 'bk_1', now: () => T0 });
    await vi.waitFor(() => expect(calls).toEqual([CHECK]));
    const live = document.querySelector('[role=status]')!;
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(text('[data-testid=pay-waiting]')).toBe('Waiting for the payment service to confirm your payment…');
    expect(document.querySelector('.spinner')!.getAttribute('aria-hidden')).toBe('true');

    news(paid);
    await vi.waitFor(() => expect(text('section h2')).toBe('✓ Paid and booked!'));
    expect(text('[data-testid=outcome-paid] p')).toBe('We received ₹531. Booking bk_1: a confirmation is on its way to your email.');
    expect(document.querySelector('[data-testid=outcome-paid] a')!.getAttribute('href')).toBe('/bookings/bk_1');
    expect(document.activeElement).toBe(heading());
    expect(document.querySelector('[data-testid=pay-waiting]')).toBeNull();
    expect(calls).toEqual([CHECK]);
  });

  it('a check that finds the money says paid at once', async () => {
    fakeFetch({ [CHECK]: answer(paid) });
    render(Paid, { bookingId: 'bk_1', now: () => T0 });
    await vi.waitFor(() => expect(text('section h2')).toBe('✓ Paid and booked!'));
  });

  it('a declined payment says "Payment failed — try again" with the reason, and offers Pay again', async () => {
    fakeFetch({ [CHECK]: answer(declined) });
    render(Paid, { bookingId: 'bk_1', now: () => T0 });
    await vi.waitFor(() => expect(document.querySelector('[data-testid=pay-declined]')).not.toBeNull());
    expect(text('[data-testid=pay-declined]')).toContain('Payment failed — try again');
    expect(text('[data-testid=pay-declined]')).toContain('“Card declined by the bank”');
    expect(text('button[data-testid=pay]')).toBe('Pay again');
    expect(document.querySelector('[data-testid=pay-waiting]')).toBeNull();
  });

  it('money after the deadline: "time ran out — your money is being refunded", then "was refunded" when the refund settles', async () => {
    fakeFetch({ [CHECK]: answer(pending) });
    render(Paid, { bookingId: 'bk_1', now: () => T0 });
    await settle();
    news(refunding);
    await vi.waitFor(() => expect(text('section h2')).toBe('Time ran out — your money is being refunded'));
    expect(text('[data-testid=outcome-refund] p')).toContain('Your payment of ₹531 arrived after the seats were released, so we are refunding all of it.');
    news(refunded);
    await vi.waitFor(() => expect(text('section h2')).toBe('Time ran out — your money was refunded'));
  });

  it('expired without money: says no money was taken and leads back to the seats', async () => {
    fakeFetch({ [CHECK]: answer(expired) });
    render(Paid, { bookingId: 'bk_1', now: () => T0 });
    await vi.waitFor(() => expect(text('section h2')).toBe('Time ran out — no money was taken'));
    expect(document.querySelector('[data-testid=outcome-expired] a')!.getAttribute('href')).toBe('/shows/show_1');
  });

  it('past the deadline with no news yet it keeps waiting and says it is checking', async () => {
    fakeFetch({ [CHECK]: answer(pending) });
    render(Paid, { bookingId: 'bk_1', now: () => DEADLINE + 1 });
    await vi.waitFor(() => expect(text('[data-testid=pay-waiting]')).toBe('The time to pay is up. Checking with the payment service…'));
  });

  it('news of another booking changes nothing; a late, stale check answer does not undo the news', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    fakeFetch({ [CHECK]: async () => (await gate, { body: { booking: pending } }) });
    render(Paid, { bookingId: 'bk_1', now: () => T0 });
    news(booking({ id: 'bk_2', status: 'confirmed', payment: payment({ status: 'captured' }) }));
    await settle();
    expect(heading()).toBeNull();
    news(paid);
    await vi.waitFor(() => expect(text('section h2')).toBe('✓ Paid and booked!'));
    release();
    await settle();
    await settle();
    expect(text('section h2')).toBe('✓ Paid and booked!');
  });

  it('when the check cannot run, it shows the booking as it stands and keeps listening', async () => {
    const { calls } = fakeFetch({ [CHECK]: () => ({ status: 503, body: { error: { code: 'UNAVAILABLE', message: 'busy' } } }), [GET]: answer(pending) });
    render(Paid, { bookingId: 'bk_1', now: () => T0 });
    await vi.waitFor(() => expect(calls).toEqual([CHECK, GET]));
    expect(text('[data-testid=pay-waiting]')).toBe('Waiting for the payment service to confirm your payment…');
    news(paid);
    await vi.waitFor(() => expect(text('section h2')).toBe('✓ Paid and booked!'));
  });

  it('a booking that is not theirs (404) says so, without waiting forever', async () => {
    fakeFetch({});
    render(Paid, { bookingId: 'bk_1', now: () => T0 });
    await vi.waitFor(() => expect(text('[role=alert]')).toBe('We could not find that.'));
    expect(document.querySelector('[data-testid=pay-waiting]')).toBeNull();
  });

  it('after a reconnect (news may have been missed) it reads the booking again; leaving the page stops listening', async () => {
    const { calls } = fakeFetch({ [CHECK]: answer(pending), [GET]: answer(paid) });
    const view = render(Paid, { bookingId: 'bk_1', now: () => T0 });
    await settle();
    socket.serverSends('connect');
    await vi.waitFor(() => expect(text('section h2')).toBe('✓ Paid and booked!'));
    expect(calls).toEqual([CHECK, GET]);
    expect(socket.listeners('booking:changed')).toBe(1);
    view.unmount();
    expect(socket.listeners('booking:changed')).toBe(0);
    expect(socket.listeners('connect')).toBe(0);
  });
});
