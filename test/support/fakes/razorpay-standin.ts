/**
 * FAKE Razorpay: a local stand-in for api.razorpay.com (which cannot be reached from here),
 * speaking the part of its documented REST API our adapter uses — JSON bodies, HTTP basic
 * auth with key id and secret, `{error: {code, description}}` errors, paise amounts:
 *   POST /v1/orders, GET /v1/orders?receipt=, GET /v1/orders/:id, GET /v1/orders/:id/payments,
 *   POST /v1/payments/:id/refund, GET /v1/payments/:id/refunds, GET /v1/refunds/:id.
 * The test drives it like a customer would (pay, decline), and makes it fail refunds or hang.
 * Webhooks and Checkout's handler response are signed as Razorpay documents: HMAC-SHA256 hex
 * of the raw body with the webhook secret, and of `order_id|payment_id` with the key secret.
 */
import { createHmac } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { gatewayId, startStandinServer, type StandinServer } from './standin-server.js';

type Notes = Record<string, string>;
export interface FakeRazorpayOrder {
  id: string;
  entity: 'order';
  amount: number;
  amount_paid: number;
  amount_due: number;
  currency: string;
  receipt: string | null;
  status: 'created' | 'attempted' | 'paid';
  attempts: number;
  notes: Notes;
  created_at: number;
}
export interface FakeRazorpayPayment {
  id: string;
  entity: 'payment';
  amount: number;
  currency: string;
  status: 'created' | 'authorized' | 'captured' | 'refunded' | 'failed';
  order_id: string;
  method: string;
  captured: boolean;
  amount_refunded: number;
  notes: Notes;
  error_code: string | null;
  error_description: string | null;
  created_at: number;
}
export interface FakeRazorpayRefund {
  id: string;
  entity: 'refund';
  amount: number;
  currency: string;
  payment_id: string;
  notes: Notes;
  receipt: string | null;
  status: 'pending' | 'processed' | 'failed';
  created_at: number;
}
export type RazorpayWebhookEvent = 'payment.captured' | 'payment.failed' | 'order.paid';

export interface RazorpayStandin extends StandinServer {
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  orders: Map<string, FakeRazorpayOrder>;
  payments: Map<string, FakeRazorpayPayment>;
  refunds: Map<string, FakeRazorpayRefund>;
  /** A customer pays through Checkout: a captured payment with Checkout's notes, the order paid, and the handler's signed response. */
  pay(orderId: string, notes?: Notes): { payment: FakeRazorpayPayment; checkoutResponse: Record<'razorpay_payment_id' | 'razorpay_order_id' | 'razorpay_signature', string> };
  /** A customer's attempt is declined (the order stays open for another). */
  decline(orderId: string, reason?: string, notes?: Notes): FakeRazorpayPayment;
  /** `error`: refund requests answer 500; `status`: refunds are made but fail; null: refunds work. */
  failRefunds(mode: 'error' | 'status' | null): void;
  /** New refunds start `pending` (true) or `processed` at once (false, the default). */
  refundsPending(on: boolean): void;
  settleRefund(refundId: string, status: 'processed' | 'failed'): void;
  /** A webhook as Razorpay sends it about one of its payments: body and headers, signed (or not). */
  webhook(event: RazorpayWebhookEvent, paymentId: string, opts?: { eventId?: string; secret?: string | null }): { body: Buffer; headers: Record<string, string> };
  /** POSTs a webhook to our endpoint; answers its status. */
  deliver(url: string, hook: { body: Buffer; headers: Record<string, string> }): Promise<number>;
}

const now = () => Math.floor(Date.now() / 1000);
const hmac = (secret: string, text: string | Buffer) => createHmac('sha256', secret).update(text).digest('hex');
const fail = (res: Response, status: number, description: string, field?: string) =>
  res.status(status).json({ error: { code: status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST_ERROR', description, source: 'NA', step: 'NA', reason: 'NA', field } });

export async function startRazorpayStandin(opts: { keyId?: string; keySecret?: string; webhookSecret?: string } = {}): Promise<RazorpayStandin> {
  const keyId = opts.keyId ?? 'rzp_test_standin';
  const keySecret = opts.keySecret ?? 'standin_key_secret';
  const webhookSecret = opts.webhookSecret ?? 'standin_webhook_secret';
  const orders = new Map<string, FakeRazorpayOrder>();
  const payments = new Map<string, FakeRazorpayPayment>();
  const refunds = new Map<string, FakeRazorpayRefund>();
  let refundFailure: 'error' | 'status' | null = null;
  let refundsStartPending = false;

  const collection = <T>(items: T[], req: Request) => {
    const count = Math.min(Number(req.query.count ?? 10) || 10, 100);
    const skip = Number(req.query.skip ?? 0) || 0;
    const page = items.slice(skip, skip + count);
    return { entity: 'collection', count: page.length, items: page };
  };
  const newestFirst = <T extends { created_at: number; id: string }>(xs: T[]) => [...xs].reverse();

  const server = await startStandinServer((app) => {
    app.use('/v1', (req, res, next) => {
      const expected = `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return fail(res, 401, 'Authentication failed');
      next();
    });
    app.use(express.json());

    app.post('/v1/orders', (req, res) => {
      const b = req.body as { amount?: unknown; currency?: unknown; receipt?: unknown; notes?: unknown };
      if (!Number.isInteger(b.amount) || (b.amount as number) < 100) return fail(res, 400, 'The amount must be atleast INR 1.00', 'amount');
      if (b.currency !== 'INR') return fail(res, 400, 'Currency is not supported', 'currency');
      if (b.receipt !== undefined && (typeof b.receipt !== 'string' || b.receipt.length > 40)) return fail(res, 400, 'The receipt may not be greater than 40 characters.', 'receipt');
      const notes = (b.notes ?? {}) as Notes;
      if (Object.keys(notes).length > 15 || Object.values(notes).some((v) => String(v).length > 256)) return fail(res, 400, 'Notes: at most 15 keys of 256 characters', 'notes');
      const order: FakeRazorpayOrder = {
        id: gatewayId('order_'),
        entity: 'order',
        amount: b.amount as number,
        amount_paid: 0,
        amount_due: b.amount as number,
        currency: 'INR',
        receipt: (b.receipt as string | undefined) ?? null,
        status: 'created',
        attempts: 0,
        notes,
        created_at: now(),
      };
      orders.set(order.id, order);
      res.json(order);
    });
    app.get('/v1/orders', (req, res) => {
      const all = newestFirst([...orders.values()]).filter((o) => req.query.receipt === undefined || o.receipt === req.query.receipt);
      res.json(collection(all, req));
    });
    app.get('/v1/orders/:id', (req, res) => {
      const order = orders.get(req.params.id);
      if (!order) return fail(res, 400, 'The id provided does not exist', 'id');
      res.json(order);
    });
    app.get('/v1/orders/:id/payments', (req, res) => {
      if (!orders.has(req.params.id)) return fail(res, 400, 'The id provided does not exist', 'id');
      res.json(collection(newestFirst([...payments.values()].filter((p) => p.order_id === req.params.id)), req));
    });
    app.post('/v1/payments/:id/refund', (req, res) => {
      const payment = payments.get(req.params.id);
      if (!payment) return fail(res, 400, 'The id provided does not exist', 'id');
      if (refundFailure === 'error') return fail(res, 500, 'We are facing some trouble completing your request at the moment. Please try again shortly.');
      if (!payment.captured) return fail(res, 400, 'The payment has not been captured', 'payment_id');
      const b = req.body as { amount?: unknown; notes?: Notes; receipt?: string };
      const amount = b.amount === undefined ? payment.amount - payment.amount_refunded : b.amount;
      if (!Number.isInteger(amount) || (amount as number) < 100) return fail(res, 400, 'The amount must be atleast INR 1.00', 'amount');
      if ((amount as number) > payment.amount - payment.amount_refunded) return fail(res, 400, 'The refund amount provided is greater than amount captured', 'amount');
      const refund: FakeRazorpayRefund = {
        id: gatewayId('rfnd_'),
        entity: 'refund',
        amount: amount as number,
        currency: payment.currency,
        payment_id: payment.id,
        notes: b.notes ?? {},
        receipt: b.receipt ?? null,
        status: refundFailure === 'status' ? 'failed' : refundsStartPending ? 'pending' : 'processed',
        created_at: now(),
      };
      refunds.set(refund.id, refund);
      if (refund.status !== 'failed') {
        payment.amount_refunded += refund.amount;
        if (payment.amount_refunded === payment.amount) payment.status = 'refunded';
      }
      res.json(refund);
    });
    app.get('/v1/payments/:id/refunds', (req, res) => {
      if (!payments.has(req.params.id)) return fail(res, 400, 'The id provided does not exist', 'id');
      res.json(collection(newestFirst([...refunds.values()].filter((r) => r.payment_id === req.params.id)), req));
    });
    app.get('/v1/refunds/:id', (req, res) => {
      const refund = refunds.get(req.params.id);
      if (!refund) return fail(res, 400, 'The id provided does not exist', 'id');
      res.json(refund);
    });
  });

  function attempt(orderId: string, status: 'captured' | 'failed', notes: Notes | undefined, reason?: string): FakeRazorpayPayment {
    const order = orders.get(orderId);
    if (!order) throw new Error(`razorpay stand-in: no order ${orderId}`);
    order.attempts += 1;
    if (order.status === 'created') order.status = 'attempted';
    const payment: FakeRazorpayPayment = {
      id: gatewayId('pay_'),
      entity: 'payment',
      amount: order.amount,
      currency: order.currency,
      status,
      order_id: order.id,
      method: 'upi',
      captured: status === 'captured',
      amount_refunded: 0,
      // Checkout copies the notes given to it (ours: paymentId, bookingId) to the payment.
      notes: notes ?? { paymentId: order.notes.paymentId ?? '', bookingId: order.notes.bookingId ?? '' },
      error_code: status === 'failed' ? 'BAD_REQUEST_ERROR' : null,
      error_description: status === 'failed' ? (reason ?? 'Payment was declined by the bank') : null,
      created_at: now() + order.attempts, // orders of attempts stay distinct within a second
    };
    payments.set(payment.id, payment);
    if (status === 'captured') {
      order.status = 'paid';
      order.amount_paid = order.amount;
      order.amount_due = 0;
    }
    return payment;
  }

  return {
    ...server,
    keyId,
    keySecret,
    webhookSecret,
    orders,
    payments,
    refunds,
    pay(orderId, notes) {
      const payment = attempt(orderId, 'captured', notes);
      const checkoutResponse = {
        razorpay_payment_id: payment.id,
        razorpay_order_id: orderId,
        razorpay_signature: hmac(keySecret, `${orderId}|${payment.id}`),
      };
      return { payment, checkoutResponse };
    },
    decline: (orderId, reason, notes) => attempt(orderId, 'failed', notes, reason),
    failRefunds(mode) {
      refundFailure = mode;
    },
    refundsPending(on) {
      refundsStartPending = on;
    },
    settleRefund(refundId, status) {
      const r = refunds.get(refundId);
      if (!r) throw new Error(`razorpay stand-in: no refund ${refundId}`);
      r.status = status;
    },
    webhook(event, paymentId, o = {}) {
      const payment = payments.get(paymentId);
      if (!payment) throw new Error(`razorpay stand-in: no payment ${paymentId}`);
      const order = orders.get(payment.order_id)!;
      const body = Buffer.from(
        JSON.stringify({
          entity: 'event',
          account_id: 'acc_standin',
          event,
          contains: event === 'order.paid' ? ['payment', 'order'] : ['payment'],
          payload: { payment: { entity: payment }, ...(event === 'order.paid' ? { order: { entity: order } } : {}) },
          created_at: now(),
        }),
      );
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-razorpay-event-id': o.eventId ?? gatewayId('evt_') };
      const secret = o.secret === undefined ? webhookSecret : o.secret;
      if (secret !== null) headers['x-razorpay-signature'] = hmac(secret, body);
      return { body, headers };
    },
    async deliver(url, hook) {
      const res = await fetch(url, { method: 'POST', headers: hook.headers, body: new Uint8Array(hook.body) });
      return res.status;
    },
  };
}
