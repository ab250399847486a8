import { cleanup, fireEvent, render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Booking, Snapshot } from '../../../protocol/schemas.js';
import { fakeFetch, fakeSocket } from '../lib/test-server.js';
import { T0, booking, payment } from '../lib/test-bookings.js';

const socket = fakeSocket();
let confirmAnswer: { ok: true; booking: Booking };
const emitted: string[] = [];
const snapshot = (): Snapshot => ({
  showId: 'show_1',
  version: 1,
  currency: 'INR',
  categories: [{ id: 'prime', label: 'Prime', kind: 'standard', price: 25_000 }],
  seats: ['G7', 'G8'].map((id, i) => ({ id, row: 'G', number: 7 + i, col: i, category: 'prime', price: 25_000, status: 'held', accessible: false })),
  mine: { seatIds: ['G7', 'G8'], expiresAt: new Date(Date.now() + 300_000).toISOString() },
});
vi.mock('../lib/socket.js', () => ({
  getSocket: () => socket,
  onIdentityChange: () => () => undefined,
  emit: vi.fn(async (event: string) => {
    emitted.push(event);
    if (event === 'show:join') return { ok: true, snapshot: snapshot() };
    if (event === 'booking:confirm') return confirmAnswer;
    return { ok: true };
  }),
}));
const { session } = await import('../lib/session.svelte.js');
const { router } = await import('../lib/router.svelte.js');
const { default: Checkout } = await import('./Checkout.svelte');

const quote = { showId: 'show_1', currency: 'INR', lines: booking().lines, breakdown: booking().breakdown, total: 53_100 };
const text = (sel: string) => document.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();

beforeEach(() => {
  // The fixtures' payment deadline is fixed (T0 + 10 min): read the clock a minute after T0, always.
  vi.useFakeTimers({ toFake: ['Date'], now: T0 + 60_000 });
  window.scrollTo = () => undefined; // jsdom has no layout
  emitted.length = 0;
  sessionStorage.clear();
  session.user = { id: 'u1', name: 'Meera', email: 'meera@example.com', role: 'customer', emailVerified: true };
  history.replaceState(null, '', '/shows/show_1/checkout');
  router.go('/shows/show_1/checkout', true);
  fakeFetch({ 'GET /api/shows/show_1/quote?seats=G7,G8': () => ({ body: quote }), 'GET /api/shows/show_1': () => ({ status: 404, body: {} }) });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

async function confirmWith(b: Booking) {
  confirmAnswer = { ok: true, booking: b };
  render(Checkout, { showId: 'show_1' });
  const confirm = await vi.waitFor(() => {
    const btn = document.querySelector<HTMLButtonElement>('button.confirm');
    expect(btn?.disabled).toBe(false);
    return btn!;
  });
  await fireEvent.click(confirm);
}

describe('Checkout with payments', () => {
  it('after confirm answers pending_payment it shows the amount and a Pay link to payUrl with the time left, and remembers the booking over a reload', async () => {
    await confirmWith(booking());
    await vi.waitFor(() => expect(document.querySelector('[data-testid=paybox]')).not.toBeNull());
    expect(text('[data-testid=pay-amount]')).toBe('₹531');
    expect(document.querySelector('a[data-testid=pay]')!.getAttribute('href')).toBe('https://pay.example/checkout/pay_1');
    expect(document.querySelector('[data-testid=paybox] [role=timer]')).not.toBeNull();
    expect(document.querySelector('button.confirm')).toBeNull();
    expect(router.path).toBe('/shows/show_1/checkout');
    expect(sessionStorage.getItem('mm.pay.show_1')).toBe('bk_1');

    cleanup(); // the page is reloaded: the holds are gone (they are the booking's), the booking is read again
    fakeFetch({ 'GET /api/bookings/bk_1': () => ({ body: { booking: booking() } }), 'GET /api/shows/show_1': () => ({ status: 404, body: {} }) });
    render(Checkout, { showId: 'show_1' });
    await vi.waitFor(() => expect(text('a[data-testid=pay]')).toBe('Pay ₹531'));
  });

  it('a remembered booking that is over by now is forgotten: the checkout is for the seats held now', async () => {
    sessionStorage.setItem('mm.pay.show_1', 'bk_1');
    fakeFetch({
      'GET /api/bookings/bk_1': () => ({ body: { booking: booking({ status: 'expired', payment: payment({ status: 'expired' }) }) } }),
      'GET /api/shows/show_1/quote?seats=G7,G8': () => ({ body: quote }),
      'GET /api/shows/show_1': () => ({ status: 404, body: {} }),
    });
    render(Checkout, { showId: 'show_1' });
    await vi.waitFor(() => expect(sessionStorage.getItem('mm.pay.show_1')).toBeNull());
    await vi.waitFor(() => expect(document.querySelector('button.confirm')).not.toBeNull());
    expect(document.querySelector('[data-testid=outcome-expired]')).toBeNull();
  });

  it('with PAYMENT_GATEWAY=none confirm answers confirmed and goes to the booking page, as before', async () => {
    await confirmWith(booking({ status: 'confirmed', payment: undefined }));
    await vi.waitFor(() => expect(router.path).toBe('/bookings/bk_1'));
    expect(router.query.get('new')).toBe('1');
    expect(sessionStorage.getItem('mm.pay.show_1')).toBeNull();
  });

  it('paid in another tab meanwhile (news by socket): on to the booking page', async () => {
    await confirmWith(booking());
    await vi.waitFor(() => expect(document.querySelector('[data-testid=paybox]')).not.toBeNull());
    socket.serverSends('booking:changed', { booking: booking({ status: 'confirmed', payment: payment({ status: 'captured' }) }) });
    await vi.waitFor(() => expect(router.path).toBe('/bookings/bk_1'));
  });

  it('time ran out while paying (news): says no money was taken and offers the seats again', async () => {
    await confirmWith(booking());
    await vi.waitFor(() => expect(document.querySelector('[data-testid=paybox]')).not.toBeNull());
    socket.serverSends('booking:changed', { booking: booking({ status: 'expired', payment: payment({ status: 'expired' }) }) });
    await vi.waitFor(() => expect(text('[data-testid=outcome-expired] h2')).toBe('Time ran out — no money was taken'));
    expect(document.querySelector('[data-testid=paybox]')).toBeNull();
    expect(sessionStorage.getItem('mm.pay.show_1')).toBeNull();
  });
});

describe('Checkout with loyalty points', () => {
  it("offers 'Use N points (saves X)' from the server's quote; ticked, it shows the server's discounted total and confirms with the points only", async () => {
    const points = { balance: 300, max: 100, maxDiscount: 10_000, applied: 0, discount: 0, earn: 50 };
    const discounted = { ...quote, breakdown: { ...quote.breakdown, discount: 10_000 }, total: 43_100, loyalty: { ...points, applied: 100, discount: 10_000, earn: 40 } };
    fakeFetch({
      'GET /api/shows/show_1/quote?seats=G7,G8': () => ({ body: { ...quote, loyalty: points } }),
      'GET /api/shows/show_1/quote?seats=G7,G8&points=1000000': () => ({ body: discounted }),
      'GET /api/shows/show_1': () => ({ status: 404, body: {} }),
    });
    confirmAnswer = { ok: true, booking: booking({ status: 'confirmed', payment: undefined, total: 43_100 }) };
    render(Checkout, { showId: 'show_1' });
    const box = await vi.waitFor(() => {
      const el = document.querySelector<HTMLInputElement>('[data-testid=use-points]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(box.closest('label')!.textContent!.replace(/\s+/g, ' ').trim()).toBe('Use 100 points (saves ₹100)');
    expect(text('[data-testid=total]')).toBe('₹531');
    await fireEvent.click(box);
    await vi.waitFor(() => expect(text('[data-testid=total]')).toBe('₹431'));
    expect(text('[data-testid=discount]')).toBe('−₹100');
    const { emit } = await import('../lib/socket.js');
    await fireEvent.click(document.querySelector<HTMLButtonElement>('button.confirm')!);
    await vi.waitFor(() => expect(router.path).toBe('/bookings/bk_1'));
    const sent = vi.mocked(emit).mock.calls.filter(([event]) => event === 'booking:confirm').at(-1)![1] as Record<string, unknown>;
    expect(sent).toMatchObject({ showId: 'show_1', usePoints: 100 });
    expect(Object.keys(sent).sort()).toEqual(['idempotencyKey', 'showId', 'usePoints']);
  });
});
