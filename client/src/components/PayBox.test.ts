import { cleanup, fireEvent, render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, fakeSocket } from '../lib/test-server.js';
import { booking, DEADLINE, payment, T0 } from '../lib/test-bookings.js';

const socket = fakeSocket();
vi.mock('../lib/socket.js', () => ({ getSocket: () => socket, emit: vi.fn(), onIdentityChange: () => () => undefined }));
const { payPage } = await import('../lib/payment.js');
const { default: PayBox } = await import('./PayBox.svelte');
const { i18n } = await import('../lib/i18n.svelte.js');

let opened: string[];
beforeEach(() => {
  opened = [];
  payPage.open = (url) => void opened.push(url);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  i18n.set('en');
  document.body.replaceChildren();
});

const q = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const text = (sel: string) => q(sel)?.textContent?.replace(/\s+/g, ' ').trim();

describe('PayBox: a booking waiting for its money', () => {
  it('shows the server\'s total with its breakdown, a "Pay ₹…" link to payUrl in the same tab, the time left and that the seats are reserved', () => {
    render(PayBox, { booking: booking(), now: () => T0 });
    expect(text('[data-testid=pay-amount]')).toBe('₹531');
    const rows = [...document.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim()));
    expect(rows).toEqual([
      ['Tickets (G7, G8)', '₹500'],
      ['Convenience fee', '₹25'],
      ['Tax', '₹6'],
      ['Amount to pay', '₹531'],
    ]);
    const pay = q<HTMLAnchorElement>('a[data-testid=pay]')!;
    expect(pay.textContent!.trim()).toBe('Pay ₹531');
    expect(pay.getAttribute('href')).toBe('https://pay.example/checkout/pay_1');
    // target=_self: the app router leaves it alone and the browser opens it in this tab.
    expect(pay.getAttribute('target')).toBe('_self');
    expect(text('[role=timer]')).toBe('10:00 left');
    expect(text('[data-testid=timer-announcement]')).toBe('Your seats are reserved: 10 minutes to pay.');
    expect(text('.note')).toMatch(/^Your seats are reserved for you until .+\. Pay before then to book them; after that they go back on sale\.$/);
    expect(q('[data-testid=pay-declined]')).toBeNull();
  });

  it('breakdown=false (the booking page lists the prices already) keeps only the amount to pay', () => {
    render(PayBox, { booking: booking(), now: () => T0, breakdown: false });
    const rows = [...document.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim()));
    expect(rows).toEqual([['Amount to pay', '₹531']]);
  });

  it('with no payUrl yet the button opens the order first (POST /pay) and then goes to the payUrl it answers', async () => {
    const { calls } = fakeFetch({ 'POST /api/bookings/bk_1/pay': () => ({ body: { booking: booking({ payment: payment({ payUrl: 'https://pay.example/fresh' }) }) } }) });
    render(PayBox, { booking: booking({ payment: payment({ payUrl: null }) }), now: () => T0 });
    const pay = q<HTMLButtonElement>('button[data-testid=pay]')!;
    expect(pay.textContent!.trim()).toBe('Pay ₹531');
    await fireEvent.click(pay);
    await vi.waitFor(() => expect(opened).toEqual(['https://pay.example/fresh']));
    expect(calls).toEqual(['POST /api/bookings/bk_1/pay']);
  });

  it('a declined try says "Payment failed — try again" with the gateway\'s reason as an alert, and Pay again reopens the order', async () => {
    const { calls } = fakeFetch({ 'POST /api/bookings/bk_1/pay': () => ({ body: { booking: booking({ payment: payment({ payUrl: 'https://pay.example/retry' }) }) } }) });
    render(PayBox, { booking: booking({ payment: payment({ lastError: 'Card declined by the bank' }) }), now: () => T0 });
    const alert = q('[data-testid=pay-declined]')!;
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('Payment failed — try again');
    expect(alert.textContent).toContain('“Card declined by the bank”');
    const again = q<HTMLButtonElement>('button[data-testid=pay]')!;
    expect(again.textContent!.trim()).toBe('Pay again');
    await fireEvent.click(again);
    await vi.waitFor(() => expect(opened).toEqual(['https://pay.example/retry']));
    expect(calls).toEqual(['POST /api/bookings/bk_1/pay']);
  });

  it('a decline whose reason names its kind (card_declined: …) is said in the user\'s words, not the gateway\'s code', () => {
    render(PayBox, { booking: booking({ payment: payment({ lastError: 'card_declined: the issuer declined the card' }) }), now: () => T0 });
    const alert = q('[data-testid=pay-declined]')!;
    expect(alert.textContent).toContain('Your card was declined. No money was taken.');
    expect(alert.textContent).not.toContain('card_declined');
  });

  it('when reopening answers a booking that is no longer to pay (it expired meanwhile), no page opens and the page gets the booking', async () => {
    const expired = booking({ status: 'expired', payment: payment({ status: 'expired', payUrl: null }) });
    fakeFetch({ 'POST /api/bookings/bk_1/pay': () => ({ body: { booking: expired } }) });
    const onbooking = vi.fn();
    render(PayBox, { booking: booking({ payment: payment({ payUrl: null }) }), now: () => T0, onbooking });
    await fireEvent.click(q('button[data-testid=pay]')!);
    await vi.waitFor(() => expect(onbooking).toHaveBeenCalledWith(expired));
    expect(opened).toEqual([]);
  });

  it('a refused reopen (the server says why) is shown in the user\'s language and nothing opens', async () => {
    fakeFetch({ 'POST /api/bookings/bk_1/pay': () => ({ status: 409, body: { error: { code: 'PAYMENT_FAILED', message: 'x' } } }) });
    render(PayBox, { booking: booking({ payment: payment({ payUrl: null }) }), now: () => T0 });
    await fireEvent.click(q('button[data-testid=pay]')!);
    await vi.waitFor(() => expect(text('[role=alert]')).toBe('The payment did not go through. No money was taken; please try again.'));
    expect(opened).toEqual([]);
  });

  it('when the time to pay runs out it stops offering to pay and says it is checking', async () => {
    vi.useFakeTimers();
    let now = DEADLINE - 2_000;
    render(PayBox, { booking: booking(), now: () => now });
    expect(q('[data-testid=pay]')).not.toBeNull();
    now = DEADLINE;
    await vi.advanceTimersByTimeAsync(300);
    expect(q('[data-testid=pay]')).toBeNull();
    expect(text('[data-testid=pay-deciding]')).toBe('The time to pay is up. Checking with the payment service…');
  });

  it('compact (a card in a list): "Pay now" and the time left, no announcements, the decline in one line', () => {
    render(PayBox, { booking: booking({ payment: payment({ lastError: 'Insufficient funds' }) }), now: () => T0, compact: true });
    expect(text('[data-testid=pay]')).toBe('Pay again');
    expect(text('[role=timer]')).toBe('10:00 left');
    expect(q('[data-testid=timer-announcement]')).toBeNull();
    expect(text('[data-testid=pay-declined]')).toBe('Payment failed — try again');
    document.body.replaceChildren();
    render(PayBox, { booking: booking(), now: () => T0, compact: true });
    expect(text('[data-testid=pay]')).toBe('Pay now');
  });

  it('speaks Hindi and Telugu', () => {
    i18n.set('hi');
    render(PayBox, { booking: booking(), now: () => T0 });
    expect(text('[data-testid=pay]')).toBe('₹531 का भुगतान करें');
    document.body.replaceChildren();
    i18n.set('te');
    render(PayBox, { booking: booking(), now: () => T0 });
    expect(text('[data-testid=pay]')).toBe('₹531 చెల్లించండి');
  });

  it('renders nothing for a booking that is paid, expired or cancelled', () => {
    for (const status of ['confirmed', 'expired', 'cancelled'] as const) {
      render(PayBox, { booking: booking({ status }), now: () => T0 });
      expect(document.body.textContent!.trim()).toBe('');
      document.body.replaceChildren();
    }
  });
});
