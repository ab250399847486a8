/**
 * Payments through a gateway (the scripted test double), on the real server and DynamoDB
 * Local: confirm waits for the money; the webhook, the user's return, the sweeper and
 * reconciliation each move the booking exactly once; money never stays without a seat.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, SeatMap, type Ack } from '../../protocol/index.js';
import { buyer as buyerOf, holdAndConfirm, registerAdmin, showDaysAhead } from '../support/payment-buyers.js';
import { ack, call, recordChanges, startHarness, waitFor, type ClientSocket, type Harness } from '../support/harness.js';
import { ScriptedGateway } from '../support/scripted-gateway.js';

let h: Harness;
const gw = new ScriptedGateway();
const WINDOW_S = 60;
let admin: string;

beforeAll(async () => {
  h = await startHarness({ config: { payments: { gateway: gw, windowSeconds: WINDOW_S, refundIntervalMs: 0, reconcileIntervalMs: 0 } } });
  admin = await registerAdmin(h);
});
afterAll(() => h.close());

const payments = () => h.app.services.payments!;
const newShow = () => showDaysAhead(h);
const buyer = () => buyerOf(h);
const confirm = holdAndConfirm;


const postWebhook = (body: string, headers: Record<string, string>, gateway = 'test') =>
  fetch(`${h.url}/api/payments/webhook/${gateway}`, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
const webhook = (paymentId: string) => {
  const w = gw.webhook(paymentId);
  return postWebhook(w.body, w.headers);
};
const bookingOf = async (token: string, id: string) => Booking.parse((await call(h.url, 'GET', `/api/bookings/${id}`, { token })).body.booking);
const seatMap = async (showId: string) => SeatMap.parse((await call(h.url, 'GET', `/api/shows/${showId}/seats`)).body);
const statusOf = async (showId: string, seatId: string) => (await seatMap(showId)).seats.find((s) => s.id === seatId)!.status;
async function mailsFor(bookingId: string) {
  await h.app.services.notifications.drain();
  const { mails } = (await (await fetch(`${h.url}/dev/mail`, { headers: { accept: 'application/json' } })).json()) as { mails: { id: string }[] };
  return mails.map((m) => m.id).filter((id) => id.endsWith(`:${bookingId}`));
}
const expireWindow = async () => {
  h.clock.advance(WINDOW_S * 1000 + 1000);
  await h.app.services.sweeper.sweep();
};

describe('payments', () => {
  it('confirm answers a pending_payment booking for the server quote with a payUrl; seats are booked by it and no mail goes yet', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['A1', 'J2']);
    expect(b.status).toBe('pending_payment');
    expect(b.payment).toMatchObject({ gateway: 'test', amount: b.total, currency: 'INR', status: 'pending', refunds: [] });
    expect(b.payment!.payUrl).toMatch(/^https:\/\/scripted-gateway\.test\/pay\//);
    expect(Date.parse(b.payment!.expiresAt) - h.clock.now()).toBe(WINDOW_S * 1000);
    expect(gw.orderOf(b.payment!.id).amount).toBe(b.total);
    expect(await statusOf(show.showId, 'A1')).toBe('booked');
    // Nobody else can take them, and the buyer cannot release them one by one.
    const other = await buyer();
    expect(await ack(other.socket, 'seat:hold', { showId: show.showId, seatIds: ['A1'] })).toMatchObject({ ok: false, error: { code: 'SEAT_TAKEN' } });
    expect(await ack(u.socket, 'seat:release', { showId: show.showId, seatIds: ['A1'] })).toMatchObject({ ok: true, released: [] });
    expect(await mailsFor(b.id)).toEqual([]);
  });

  it('success: the webhook confirms the booking, tells the owner on the socket, and mails the confirmation once', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['B1']);
    gw.capture(b.payment!.id);
    expect((await webhook(b.payment!.id)).status).toBe(200);
    const after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('confirmed');
    expect(after.payment!.status).toBe('captured');
    expect(after.ticketCode).toBeTruthy();
    await waitFor(() => u.changes.some((c) => c.booking.status === 'confirmed'), 5000, 'booking:changed');
    expect(await mailsFor(b.id)).toEqual([`booking.confirmed:${b.id}`]);
  });

  it('decline then success: the decline leaves it pending with the error; the return after a good card confirms it', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['B2']);
    gw.decline(b.payment!.id, 'insufficient funds');
    await webhook(b.payment!.id);
    const declined = await bookingOf(u.token, b.id);
    expect(declined.status).toBe('pending_payment');
    expect(declined.payment!.lastError).toBe('insufficient funds');
    await waitFor(() => u.changes.some((c) => c.booking.payment?.lastError === 'insufficient funds'), 5000, 'decline on the socket');
    gw.capture(b.payment!.id);
    const back = await call(h.url, 'POST', `/api/bookings/${b.id}/payment/check`, { token: u.token });
    expect(back.status).toBe(200);
    expect(back.body.booking.status).toBe('confirmed');
  });

  it('abandoned: at the deadline the booking and payment expire, the seats are freed and broadcast, and a short mail goes', async () => {
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
    expect(await statusOf(show.showId, 'C1')).toBe('free');
    await waitFor(() => seen.some((m) => m.changes.some((c) => c.seatId === 'C1' && c.status === 'free')), 5000, 'free broadcast');
    expect(await mailsFor(b.id)).toEqual([`booking.expired:${b.id}`]);
    await waitFor(() => u.changes.some((c) => c.booking.status === 'expired'), 5000, 'expired on the socket');
  });

  it('the sweeper asks the gateway before expiring: money without its webhook confirms instead', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['C5']);
    gw.capture(b.payment!.id);
    await expireWindow();
    expect((await bookingOf(u.token, b.id)).status).toBe('confirmed');
  });

  it('a gateway that times out at the deadline does not keep the seats: the booking expires, and its money, if it comes, is still applied', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['C8']);
    gw.timeoutNext('status');
    await expireWindow();
    expect((await bookingOf(u.token, b.id)).status).toBe('expired');
    gw.capture(b.payment!.id);
    await payments().reconcile({ leaseMs: 1 }); // no webhook: reconciliation still watches expired bookings
    expect((await bookingOf(u.token, b.id)).status).toBe('confirmed');
  });

  it('late payment with the seats still free: booked again and confirmed', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['D1']);
    await expireWindow();
    expect(await statusOf(show.showId, 'D1')).toBe('free');
    gw.capture(b.payment!.id);
    await webhook(b.payment!.id);
    const after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('confirmed');
    expect(after.payment!.status).toBe('captured');
    expect(await statusOf(show.showId, 'D1')).toBe('booked');
    expect((await mailsFor(b.id)).sort()).toEqual([`booking.confirmed:${b.id}`, `booking.expired:${b.id}`]);
  });

  it('late payment with a seat taken: the whole payment is refunded and the user mailed; the other buyer keeps the seat', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['D3', 'D4']);
    await expireWindow();
    const other = await buyer();
    const theirs = await confirm(other.socket, show.showId, ['D4']);
    gw.capture(b.payment!.id);
    await webhook(b.payment!.id);
    let after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('expired');
    expect(after.payment!.status).toBe('captured');
    expect(after.payment!.refunds).toMatchObject([{ amount: b.total, status: 'pending', reason: 'late_payment' }]);
    expect(await statusOf(show.showId, 'D3')).toBe('free');
    expect((await h.app.stores.seats.seat(show.showId, 'D4'))!.bookingId).toBe(theirs.id);
    await payments().settleRefunds();
    after = await bookingOf(u.token, b.id);
    expect(after.payment!.refunds[0]!.status).toBe('succeeded');
    expect(gw.refundedFor(gw.orderOf(b.payment!.id).orderRef)).toBe(b.total);
    expect(await mailsFor(b.id)).toContain(`booking.refunded:${b.id}`);
  });

  it('a replayed webhook, and the return before or after it, change nothing twice', async () => {
    const show = await newShow();
    const u = await buyer();
    const first = await confirm(u.socket, show.showId, ['E1']);
    gw.capture(first.payment!.id);
    await webhook(first.payment!.id);
    await webhook(first.payment!.id);
    await call(h.url, 'POST', `/api/bookings/${first.id}/payment/check`, { token: u.token });
    const second = await confirm(u.socket, show.showId, ['E2']);
    gw.capture(second.payment!.id);
    const back = await call(h.url, 'POST', `/api/bookings/${second.id}/payment/check`, { token: u.token });
    expect(back.body.booking.status).toBe('confirmed');
    await Promise.all([webhook(second.payment!.id), webhook(second.payment!.id)]);
    for (const b of [first, second]) {
      const after = await bookingOf(u.token, b.id);
      expect(after.status).toBe('confirmed');
      expect(after.payment!.refunds).toEqual([]);
      expect(await mailsFor(b.id)).toEqual([`booking.confirmed:${b.id}`]);
    }
  });

  it('a forged or unsigned webhook is 400 and changes nothing; another gateway name is 404', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['F1']);
    gw.capture(b.payment!.id);
    const real = gw.webhook(b.payment!.id);
    const forged = await postWebhook(real.body.replace(/"amount":\d+/, '"amount":1'), real.headers);
    expect(forged).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION' } } });
    const { 'x-scripted-signature': _s, ...unsigned } = real.headers;
    expect((await postWebhook(real.body, unsigned)).status).toBe(400);
    expect((await postWebhook(real.body, { ...real.headers, 'x-scripted-signature': 'f'.repeat(64) })).status).toBe(400);
    expect((await postWebhook(real.body, real.headers, 'stripe')).status).toBe(404);
    expect((await postWebhook(real.body, real.headers, 'nonsense')).status).toBe(404);
    const after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('pending_payment');
    expect(after.payment).toMatchObject({ status: 'pending', refunds: [] });
    expect(after.payment!.lastError).toBeUndefined();
  });

  it('amount tampering: a capture that is not the quote never books; it is refunded as it came and flagged for admins', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['G1']);
    gw.capture(b.payment!.id, { amount: 100 });
    await webhook(b.payment!.id);
    await webhook(b.payment!.id);
    const after = await bookingOf(u.token, b.id);
    expect(after.status).toBe('pending_payment');
    expect(after.payment!.status).toBe('pending');
    expect(after.payment!.refunds).toMatchObject([{ amount: 100, reason: 'mismatch', status: 'pending' }]);
    await payments().settleRefunds();
    expect(gw.refundedFor(gw.orderOf(b.payment!.id).orderRef)).toBe(100);
    const problems = await call(h.url, 'GET', '/api/staff/payments/problems', { token: admin });
    expect(problems.body.flagged.map((f: { bookingId: string }) => f.bookingId)).toContain(b.id);
    // Whatever the client sends, the amount is the server's quote.
    const other = await buyer();
    await ack(other.socket, 'seat:hold', { showId: show.showId, seatIds: ['G2'] });
    const r = await ack<Ack<{ booking: Booking }>>(other.socket, 'booking:confirm', { showId: show.showId, idempotencyKey: `tamper-${Date.now()}`, amount: 1, total: 1 });
    // G2 is premium: 250.00 + 6 % fee 15.00 + 18 % GST on the fee 2.70.
    expect(r.ok && r.booking.payment!.amount).toBe(25_000 + 1_500 + 270);
  });

  it('cancelling a paid booking refunds it by the policy through the gateway; the refund settles as succeeded', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['H1']);
    gw.capture(b.payment!.id);
    await webhook(b.payment!.id);
    const cancelled = await call(h.url, 'POST', `/api/bookings/${b.id}/cancel`, { token: u.token });
    expect(cancelled.body.booking).toMatchObject({ status: 'cancelled', refund: { percent: 100, amount: b.total } });
    expect(cancelled.body.booking.payment.refunds).toMatchObject([{ amount: b.total, reason: 'cancelled' }]);
    await waitFor(() => gw.refundedFor(gw.orderOf(b.payment!.id).orderRef) === b.total, 5000, 'the refund at the gateway');
    await payments().settleRefunds();
    expect((await bookingOf(u.token, b.id)).payment!.refunds[0]!.status).toBe('succeeded');
    expect(gw.refundedFor(gw.orderOf(b.payment!.id).orderRef)).toBe(b.total);
  });

  it('a cancelled show refunds its paid bookings in full, ends the unpaid ones, and refunds money that comes for them anyway', async () => {
    const show = await newShow();
    const paid = await buyer();
    const waiting = await buyer();
    const p = await confirm(paid.socket, show.showId, ['H7']);
    gw.capture(p.payment!.id);
    await webhook(p.payment!.id);
    const w = await confirm(waiting.socket, show.showId, ['H8']);
    const r = await call(h.url, 'POST', `/api/staff/shows/${show.showId}/cancel`, { token: admin });
    expect(r.status).toBe(200);
    expect((await bookingOf(paid.token, p.id)).payment!.refunds).toMatchObject([{ amount: p.total, reason: 'show_cancelled' }]);
    expect((await bookingOf(waiting.token, w.id)).status).toBe('expired');
    expect((await h.app.stores.seats.seat(show.showId, 'H8'))!.status).toBe('free'); // the map of a cancelled show is 404
    gw.capture(w.payment!.id);
    await webhook(w.payment!.id);
    const late = await bookingOf(waiting.token, w.id);
    expect(late.status).toBe('expired');
    expect(late.payment!.refunds).toMatchObject([{ amount: w.total, reason: 'late_payment' }]);
    await payments().settleRefunds();
    expect(gw.refundedFor(gw.orderOf(p.payment!.id).orderRef)).toBe(p.total);
    expect(gw.refundedFor(gw.orderOf(w.payment!.id).orderRef)).toBe(w.total);
  });

  it('a show cancelled by another process (this one still caches it as on sale) takes no money: a capture for it is refunded, never booked', async () => {
    const show = await newShow();
    const u = await buyer();
    await h.app.services.catalog.showContext(show.showId); // cached here as on sale
    const record = (await h.app.stores.catalog.getShow(show.showId))!;
    await h.app.stores.catalog.putShows([{ ...record, status: 'cancelled' }]); // another process cancelled it
    const b = await confirm(u.socket, show.showId, ['H9']); // this process's stale cache lets the payment start
    gw.capture(b.payment!.id);
    await webhook(b.payment!.id);
    const after = (await h.app.stores.bookings.get(b.id))!;
    expect(after.status).not.toBe('confirmed');
    expect(after.payment!.refunds).toMatchObject([{ amount: b.total, reason: 'late_payment' }]);
  });

  it('failing refunds are retried with backoff and listed for admins until they succeed', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['H5']);
    gw.capture(b.payment!.id);
    await webhook(b.payment!.id);
    gw.failRefunds = 2;
    gw.timeoutNext('refund', 1);
    await call(h.url, 'POST', `/api/bookings/${b.id}/cancel`, { token: u.token });
    await new Promise((r) => setTimeout(r, 200));
    await payments().settleRefunds(); // the one the cancel started may have run already
    const listed = async () => (await call(h.url, 'GET', '/api/staff/payments/problems', { token: admin })).body.failedRefunds.map((j: { bookingId: string }) => j.bookingId);
    expect(await listed()).toContain(b.id);
    expect((await bookingOf(u.token, b.id)).payment!.refunds[0]!.status).toBe('failed');
    expect(await payments().settleRefunds()).toBe(0); // not due yet: backoff
    for (let i = 0; i < 4 && (await bookingOf(u.token, b.id)).payment!.refunds[0]!.status !== 'succeeded'; i++) {
      h.clock.advance(5 * 60_000); // past the backoff (5 s, 10 s, ...; bounded at 30 min)
      await payments().settleRefunds();
    }
    expect((await bookingOf(u.token, b.id)).payment!.refunds[0]!.status).toBe('succeeded');
    expect(gw.refundedFor(gw.orderOf(b.payment!.id).orderRef)).toBe(b.total);
    expect(await listed()).not.toContain(b.id);
    expect((await call(h.url, 'GET', '/api/staff/payments/problems', { token: u.token })).status).toBe(403);
  });

  it('reconcile: money the gateway captured without a webhook or a return books the booking', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['I1']);
    gw.capture(b.payment!.id);
    await payments().reconcile();
    expect((await bookingOf(u.token, b.id)).status).toBe('confirmed');
  });

  it('reconcile flags a confirmed booking whose payment is not captured for admins', async () => {
    const show = await newShow();
    const u = await buyer();
    const b = await confirm(u.socket, show.showId, ['I3']);
    gw.capture(b.payment!.id);
    await webhook(b.payment!.id);
    // A booking confirmed without its money (a bug, a hand edit): only reconciliation can see it.
    await h.dynamo.doc.send(
      new UpdateCommand({
        TableName: h.dynamo.tables.main,
        Key: { pk: `BOOKING#${b.id}`, sk: 'BOOKING' },
        UpdateExpression: 'SET #p.#s = :pending',
        ExpressionAttributeNames: { '#p': 'payment', '#s': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending' },
      }),
    );
    await payments().reconcile({ leaseMs: 1 });
    const problems = await call(h.url, 'GET', '/api/staff/payments/problems', { token: admin });
    expect(problems.body.flagged).toContainEqual(expect.objectContaining({ bookingId: b.id, reason: 'confirmed without a captured payment' }));
  });

  it('a gateway that fails to open the order still answers the booking; POST /pay opens it', async () => {
    const show = await newShow();
    const u = await buyer();
    gw.timeoutNext('createOrder');
    const b = await confirm(u.socket, show.showId, ['I5']);
    expect(b.status).toBe('pending_payment');
    expect(b.payment!.payUrl).toBeNull();
    const r = await call(h.url, 'POST', `/api/bookings/${b.id}/pay`, { token: u.token });
    expect(r.body.booking.payment.payUrl).toMatch(/^https:/);
    const other = await h.register('stranger');
    expect((await call(h.url, 'POST', `/api/bookings/${b.id}/pay`, { token: other.token })).status).toBe(404);
  });
});
