/**
 * Payments through the REAL built-in test gateway (wired by the harness as main.ts wires it),
 * on the real server and DynamoDB Local. The gateway is driven only from outside, as a
 * customer and a bank would: its hosted pay page's form and its HTTP drive routes. Its
 * webhooks travel over HTTP to our endpoint, signed with the key derived from the JWT secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, SeatMap, type Ack } from '../../protocol/index.js';
import { createHmac } from 'node:crypto';
import { signature } from '../../server/adapters/payments/test-gateway-webhooks.js';
import { buyer as buyerOf, holdAndConfirm, registerAdmin, showDaysAhead } from '../support/payment-buyers.js';
import { ack, call, recordChanges, startHarness, waitFor, type ClientSocket, type Harness } from '../support/harness.js';

let h: Harness;
const WINDOW_S = 60;
let admin: string;

beforeAll(async () => {
  h = await startHarness({ payments: { gateway: 'test', windowSeconds: WINDOW_S } });
  admin = await registerAdmin(h);
});
afterAll(() => h.close());

const payments = () => h.app.services.payments!;
const newShow = () => showDaysAhead(h);
const buyer = () => buyerOf(h);
const confirm = holdAndConfirm;


/** The gateway's order ref: the last path segment of the pay page's address. */
const orderRefOf = (b: Booking) => new URL(b.payment!.payUrl!).pathname.split('/').pop()!;
/** A drive route of the test gateway (what its bank would do), over HTTP. */
const drive = (b: Booking, action: 'succeed' | 'fail' | 'succeed-late', body: object = {}) =>
  call(h.url, 'POST', `/api/test-gateway/payments/${orderRefOf(b)}/${action}`, { body });
const gatewayOrder = async (b: Booking) => (await call(h.url, 'GET', `/api/test-gateway/payments/${orderRefOf(b)}`)).body.order;

/** The customer on the hosted page: fills the card form and submits it, as the browser would (no redirects followed). */
async function payByCard(b: Booking, number: string) {
  const res = await fetch(b.payment!.payUrl!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ method: 'card', number, expiry: '12/39', cvv: '123' }).toString(),
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location') };
}

const postWebhook = (body: string, headers: Record<string, string>) =>
  fetch(`${h.url}/api/payments/webhook/test`, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
const webhooksFor = (b: Booking) => h.webhooks.filter((w) => JSON.parse(w.body).data.paymentId === b.payment!.id);
const bookingOf = async (token: string, id: string) => Booking.parse((await call(h.url, 'GET', `/api/bookings/${id}`, { token })).body.booking);
const statusOf = async (showId: string, seatId: string) => SeatMap.parse((await call(h.url, 'GET', `/api/shows/${showId}/seats`)).body).seats.find((s) => s.id === seatId)!.status;
async function mailsFor(bookingId: string) {
  await h.app.services.notifications.drain();
  const { mails } = (await (await fetch(`${h.url}/dev/mail`, { headers: { accept: 'application/json' } })).json()) as { mails: { id: string }[] };
  return mails.map((m) => m.id).filter((id) => id.endsWith(`:${bookingId}`));
}
const expireWindow = async () => {
  h.clock.advance(WINDOW_S * 1000 + 1000);
  await h.app.services.sweeper.sweep();
};

describe('payments through the real test gateway', () => {
  it('confirm opens an order at the test gateway for the quote: its pay page is on this server and shows the amount', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['A1', 'A2']);
    expect(b.status).toBe('pending_payment');
    expect(b.payment!.payUrl).toBe(`${h.url}/test-gateway/pay/${orderRefOf(b)}`);
    expect(await gatewayOrder(b)).toMatchObject({ paymentId: b.payment!.id, bookingId: b.id, amount: b.total, currency: 'INR', state: 'pending' });
    const page = await fetch(`${b.payment!.payUrl}?lang=en`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Movie Magic');
  });

  it('the pay page keeps our origin on its form post (referrer-policy strict-origin): a browser\'s post names this site and is taken; one from "null" (what no-referrer makes of it) is refused', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['A5']);
    expect((await fetch(b.payment!.payUrl!)).headers.get('referrer-policy')).toBe('strict-origin');
    const post = (origin: string) =>
      fetch(b.payment!.payUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({ method: 'card', number: '4111 1111 1111 1111', expiry: '12/39', cvv: '123' }).toString(),
        redirect: 'manual',
      });
    expect((await post('null')).status).toBe(403);
    expect((await gatewayOrder(b)).state).toBe('pending');
    expect((await post(new URL(h.url).origin)).status).toBe(303);
    expect((await gatewayOrder(b)).state).toBe('captured');
  });

  it('success: the success card on the hosted page captures, its webhook confirms the booking and mails once; the user is sent to our return page', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['B1']);
    const paid = await payByCard(b, '4111 1111 1111 1111');
    expect(paid.status).toBe(303);
    expect(paid.location).toBe(`${h.url}/bookings/${b.id}/paid?order=${orderRefOf(b)}`);
    // The webhook's first attempt is awaited before the redirect: the booking is confirmed already.
    const after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('confirmed');
    expect(after.payment!.status).toBe('captured');
    expect(after.ticketCode).toBeTruthy();
    expect(webhooksFor(b).map((w) => [JSON.parse(w.body).type, w.status])).toEqual([['payment.captured', 200]]);
    await waitFor(() => u.changes.some((c) => c.booking.status === 'confirmed'), 5000, 'booking:changed confirmed');
    expect(await mailsFor(b.id)).toEqual([`booking.confirmed:${b.id}`]);
  });

  it('decline then success: the decline card leaves the booking pending with the reason; the success card then confirms it', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['B2', 'B3']);
    expect((await payByCard(b, '4000 0000 0000 0002')).location).toContain(`/bookings/${b.id}/paid`);
    const declined = await bookingOf(u.token, b.id);
    expect(declined.status).toBe('pending_payment');
    expect(declined.payment!.status).toBe('pending');
    expect(declined.payment!.lastError).toMatch(/declined/);
    expect((await gatewayOrder(b)).state).toBe('failed');
    await waitFor(() => u.changes.some((c) => !!c.booking.payment?.lastError), 5000, 'the decline on the socket');
    expect(await statusOf(show.showId, 'B2')).toBe('booked'); // the seats wait for the second try
    await payByCard(b, '4111 1111 1111 1111');
    const after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('confirmed');
    expect(webhooksFor(b).map((w) => JSON.parse(w.body).type)).toEqual(['payment.failed', 'payment.captured']);
    // Coming back, the user's check asks the gateway and finds it paid too.
    const back = await call(h.url, 'POST', `/api/bookings/${b.id}/payment/check`, { token: u.token });
    expect(back.body.booking.status).toBe('confirmed');
  });

  it('approve later (later@upi, like a slow UPI collect): the booking waits, with no decline; once the bank\'s 20 s are up, the user\'s return check finds it captured and confirms', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['B5']);
    const res = await fetch(b.payment!.payUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ method: 'upi', vpa: 'later@upi' }).toString(),
      redirect: 'manual',
    });
    expect(res.headers.get('location')).toBe(`${h.url}/bookings/${b.id}/paid?order=${orderRefOf(b)}`);
    let back = await call(h.url, 'POST', `/api/bookings/${b.id}/payment/check`, { token: u.token });
    expect(back.body.booking).toMatchObject({ status: 'pending_payment', payment: { status: 'pending' } });
    expect(back.body.booking.payment.lastError).toBeUndefined();
    expect(webhooksFor(b)).toEqual([]);
    h.clock.advance(20_000);
    back = await call(h.url, 'POST', `/api/bookings/${b.id}/payment/check`, { token: u.token });
    expect(back.body.booking).toMatchObject({ status: 'confirmed', payment: { status: 'captured' } });
  });

  it('abandoned: at the deadline the booking and payment expire, the seats are freed and broadcast, and the expiry mail goes', async () => {
    const show = await newShow();
    const u = await buyer();
    const watcher = await h.connect();
    await ack(watcher, 'show:join', { showId: show.showId });
    const seen = recordChanges(watcher);
    const b = await confirm(u.socket, show.showId, ['C1', 'C2']);
    await expireWindow();
    const after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('expired');
    expect(after.payment!.status).toBe('expired');
    for (const seat of ['C1', 'C2']) expect(await statusOf(show.showId, seat)).toBe('free');
    await waitFor(() => ['C1', 'C2'].every((id) => seen.some((m) => m.changes.some((c) => c.seatId === id && c.status === 'free'))), 5000, 'free broadcast');
    await waitFor(() => u.changes.some((c) => c.booking.status === 'expired'), 5000, 'expired on the socket');
    expect(await mailsFor(b.id)).toEqual([`booking.expired:${b.id}`]);
    // The hosted page now takes no payment: the form post only goes back to the page.
    const late = await payByCard(b, '4111 1111 1111 1111');
    expect(late.location).toMatch(/^\/test-gateway\/pay\//);
    expect((await gatewayOrder(b)).state).toBe('pending');
  });

  it('succeed-late after the deadline with the seats still free: the late webhook books them again and confirms', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['D1']);
    await expireWindow();
    expect((await bookingOf(u.token, b.id)).status).toBe('expired');
    const r = await drive(b, 'succeed-late', { delayMs: 100 });
    expect(r.body).toMatchObject({ changed: true, webhook: { delivered: false, delayMs: 100 } });
    await waitFor(() => webhooksFor(b).some((w) => w.status === 200), 5000, 'the late webhook');
    const after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('confirmed');
    expect(after.payment!.status).toBe('captured');
    expect(after.payment!.refunds).toEqual([]);
    expect(await statusOf(show.showId, 'D1')).toBe('booked');
    expect((await mailsFor(b.id)).sort()).toEqual([`booking.confirmed:${b.id}`, `booking.expired:${b.id}`]);
  });

  it('succeed-late after the deadline with a seat taken: the whole payment is refunded at the gateway and mailed; the other buyer keeps the seat', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['D3', 'D4']);
    await expireWindow();
    const other = await buyer();
    const theirs = await confirm(other.socket, show.showId, ['D4']);
    await drive(theirs, 'succeed');
    await drive(b, 'succeed-late', { delayMs: 50 });
    await waitFor(() => webhooksFor(b).some((w) => w.status === 200), 5000, 'the late webhook');
    let after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('expired');
    expect(after.payment!.status).toBe('captured');
    expect(after.payment!.refunds).toMatchObject([{ amount: b.total, status: 'pending', reason: 'late_payment' }]);
    expect(await statusOf(show.showId, 'D3')).toBe('free');
    expect((await h.app.stores.seats.seat(show.showId, 'D4'))!.bookingId).toBe(theirs.id);
    expect((await bookingOf(other.token, theirs.id)).status).toBe('confirmed');
    await payments().settleRefunds();
    after = await bookingOf(u.token, b.id);
    expect(after.payment!.refunds[0]!.status).toBe('succeeded');
    expect((await gatewayOrder(b)).refunded).toBe(b.total);
    expect(await mailsFor(b.id)).toContain(`booking.refunded:${b.id}`);
  });

  it('a replayed webhook (the same signed bytes, again and twice at once) changes nothing: one confirmation, one mail, no refund', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['E1']);
    await drive(b, 'succeed');
    const [sent] = webhooksFor(b);
    expect(sent!.status).toBe(200);
    const before = await bookingOf(u.token, b.id);
    for (const r of [await postWebhook(sent!.body, sent!.headers), ...(await Promise.all([postWebhook(sent!.body, sent!.headers), postWebhook(sent!.body, sent!.headers)]))]) {
      expect(r.status).toBe(200);
    }
    const after = await bookingOf(u.token, b.id);
    expect(after).toEqual(before);
    expect(after.payment!.refunds).toEqual([]);
    expect(await mailsFor(b.id)).toEqual([`booking.confirmed:${b.id}`]);
    // A second drive of an order already captured sends nothing.
    expect((await drive(b, 'succeed')).body).toMatchObject({ changed: false, webhook: null });
  });

  it('a forged webhook (body changed, signature wrong or missing, signed with another key) is 400 VALIDATION and changes nothing', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['F1']);
    const decoy = await confirm(u.socket, show.showId, ['F2']);
    await drive(decoy, 'succeed'); // a genuine signed webhook, to tamper with
    const [real] = webhooksFor(decoy);
    const retargeted = real!.body.replace(decoy.payment!.id, b.payment!.id).replace(orderRefOf(decoy), orderRefOf(b));
    const sig = real!.headers['x-test-gateway-signature']!;
    const forged = [
      { body: retargeted, headers: real!.headers },
      { body: real!.body.replace(/"amount":\d+/, '"amount":1'), headers: real!.headers },
      { body: retargeted, headers: { 'content-type': 'application/json' } },
      { body: retargeted, headers: { ...real!.headers, 'x-test-gateway-signature': sig.replace(/v1=[0-9a-f]+/, `v1=${'f'.repeat(64)}`) } },
      // Signed properly, but by a gateway with another secret (another deployment).
      { body: retargeted, headers: { ...real!.headers, 'x-test-gateway-signature': signature(createHmac('sha256', 'another-secret').update('test-gateway/webhook').digest(), retargeted, Math.floor(h.clock.now() / 1000)) } },
    ];
    for (const f of forged) expect(await postWebhook(f.body, f.headers)).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION' } } });
    const after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('pending_payment');
    expect(after.payment).toMatchObject({ status: 'pending', refunds: [] });
    expect(after.payment!.lastError).toBeUndefined();
    expect((await bookingOf(u.token, decoy.id)).payment!.refunds).toEqual([]);
  });

  it('a failing refund (refunds/fail-next) is listed for admins and retried with backoff until the gateway refunds it once', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['H5']);
    await drive(b, 'succeed');
    expect((await call(h.url, 'POST', '/api/test-gateway/refunds/fail-next', { body: { count: 2, mode: 'failed' } })).body).toEqual({ armed: 2, mode: 'failed' });
    const cancelled = await call(h.url, 'POST', `/api/bookings/${b.id}/cancel`, { token: u.token });
    expect(cancelled.body.booking).toMatchObject({ status: 'cancelled', refund: { percent: 100, amount: b.total } });
    await new Promise((r) => setTimeout(r, 200));
    await payments().settleRefunds(); // the one the cancel started may have run already
    const listed = async () => (await call(h.url, 'GET', '/api/staff/payments/problems', { token: admin })).body.failedRefunds.map((j: { bookingId: string }) => j.bookingId);
    expect((await bookingOf(u.token, b.id)).payment!.refunds[0]!.status).toBe('failed');
    expect(await listed()).toContain(b.id);
    expect((await gatewayOrder(b)).refunded).toBe(0);
    expect(await payments().settleRefunds()).toBe(0); // not due yet: backoff
    for (let i = 0; i < 5 && (await bookingOf(u.token, b.id)).payment!.refunds[0]!.status !== 'succeeded'; i++) {
      h.clock.advance(5 * 60_000); // past the backoff (bounded at 30 min)
      await payments().settleRefunds();
    }
    expect((await bookingOf(u.token, b.id)).payment!.refunds[0]!.status).toBe('succeeded');
    expect((await gatewayOrder(b)).refunded).toBe(b.total);
    expect(await listed()).not.toContain(b.id);
    // Settling again asks nothing more of the gateway.
    await payments().settleRefunds();
    expect((await gatewayOrder(b)).refunded).toBe(b.total);
  });
});
