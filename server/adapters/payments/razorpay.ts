/**
 * Razorpay (India, INR) through the official SDK: an order per payment, Checkout on a page
 * of ours (razorpay-checkout.ts), webhooks signed with the webhook secret, refunds.
 */
import Razorpay from 'razorpay';
import type { Logger } from 'pino';
import type { Dynamo } from '../dynamo/client.js';
import type { Clock, GatewayEvent, GatewayPaymentState, PaymentGateway } from '../../ports.js';
import { createRazorpayClient, razorpayCall, type RazorpaySettings } from './razorpay-client.js';

export type { RazorpaySettings } from './razorpay-client.js';
export { razorpayCheckoutRoutes } from './razorpay-checkout.js';

export interface RazorpayGatewayDeps {
  dynamo?: Dynamo;
  clock?: Clock;
  logger?: Logger;
  /** Our public origin: `payUrl` is our checkout page under it. */
  publicUrl: string;
}

/** Razorpay caps a receipt at 40 characters and each note at 256. */
const RECEIPT_MAX = 40;
const NOTE_MAX = 256;

interface RzpPayment {
  id: string;
  order_id?: string | null;
  amount: number | string;
  currency: string;
  status: string;
  notes?: Record<string, unknown> | unknown[];
  error_description?: string | null;
  created_at?: number;
}
interface RzpOrder {
  id: string;
  amount: number | string;
  amount_paid?: number | string;
  currency: string;
  receipt?: string | null;
  status?: string;
  notes?: Record<string, unknown> | unknown[];
}

export function createRazorpayGateway(settings: RazorpaySettings, deps: RazorpayGatewayDeps): PaymentGateway {
  const rzp = createRazorpayClient(settings);
  const publicUrl = deps.publicUrl.replace(/\/$/, '');
  return {
    name: 'razorpay',
    createOrder: (p) => createOrder(rzp, publicUrl, p),
    status: (orderRef) => orderStatus(rzp, orderRef),
    parseWebhook: (raw, headers) => parseWebhook(settings.webhookSecret, raw, headers, deps.logger),
    refund: (r) => refund(rzp, r),
    async refundStatus({ refundRef }) {
      const refund = await razorpayCall('refunds.fetch', () => rzp.refunds.fetch(refundRef));
      return refundState(refund.status);
    },
  };
}

type CreateOrder = Parameters<PaymentGateway['createOrder']>[0];

/** Orders have no idempotency key: the receipt (our payment id) finds an order made before. */
async function createOrder(rzp: Razorpay, publicUrl: string, p: CreateOrder) {
  if (p.currency !== 'INR') throw new Error(`Razorpay takes INR only; payment ${p.paymentId} is in ${p.currency}.`);
  if (p.paymentId.length > RECEIPT_MAX) throw new Error(`Razorpay receipts hold ${RECEIPT_MAX} characters; payment id ${p.paymentId} is longer.`);
  if (p.returnUrl.length > NOTE_MAX) throw new Error(`Razorpay notes hold ${NOTE_MAX} characters; the return URL is longer.`);
  const found = await razorpayCall('orders.all', () => rzp.orders.all({ receipt: p.paymentId, count: 10 }));
  let order = (found.items as RzpOrder[]).find((o) => o.receipt === p.paymentId);
  if (order && (Number(order.amount) !== p.amount || order.currency !== p.currency)) {
    throw new Error(`Razorpay order ${order.id} for payment ${p.paymentId} is for ${order.amount} ${order.currency}, not ${p.amount} ${p.currency}.`);
  }
  order ??= (await razorpayCall('orders.create', () =>
    rzp.orders.create({
      amount: p.amount,
      currency: 'INR',
      receipt: p.paymentId,
      notes: { paymentId: p.paymentId, bookingId: p.bookingId, returnUrl: p.returnUrl, description: p.description.slice(0, NOTE_MAX) },
    }),
  )) as RzpOrder;
  return { orderRef: order.id, payUrl: `${publicUrl}/pay/razorpay/${encodeURIComponent(order.id)}` };
}

const note = (notes: RzpOrder['notes'], key: string): string | undefined => {
  const v = notes && !Array.isArray(notes) ? notes[key] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/** A refunded payment was captured first: the refund is tracked on its own. */
const wasCaptured = (p: RzpPayment) => p.status === 'captured' || p.status === 'refunded';

async function orderStatus(rzp: Razorpay, orderRef: string): Promise<GatewayPaymentState> {
  const order = (await razorpayCall('orders.fetch', () => rzp.orders.fetch(orderRef))) as RzpOrder;
  const payments = (await razorpayCall('orders.fetchPayments', () => rzp.orders.fetchPayments(orderRef))).items as RzpPayment[];
  const base = { paymentId: note(order.notes, 'paymentId') ?? order.receipt ?? '', orderRef, amount: Number(order.amount), currency: order.currency };
  const captured = payments.find(wasCaptured);
  if (captured) return { ...base, state: 'captured', captureRef: captured.id, amount: Number(captured.amount), currency: captured.currency };
  const latest = [...payments].sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0))[0];
  if (latest?.status === 'failed') return { ...base, state: 'failed', error: latest.error_description ?? 'payment failed' };
  return { ...base, state: 'pending' };
}

const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

const EVENTS = new Set(['payment.captured', 'payment.failed', 'order.paid']);

function parseWebhook(
  secret: string,
  raw: Buffer,
  headers: Record<string, string | string[] | undefined>,
  logger?: Logger,
): GatewayEvent | null {
  const signature = header(headers, 'x-razorpay-signature');
  if (!signature) return null;
  const body = raw.toString('utf8');
  if (!Razorpay.validateWebhookSignature(body, signature, secret)) return null;
  let event: { event?: string; created_at?: number; payload?: { payment?: { entity?: RzpPayment }; order?: { entity?: RzpOrder } } };
  try {
    event = JSON.parse(body);
  } catch {
    return null;
  }
  if (!event.event || !EVENTS.has(event.event)) return null;
  const payment = event.payload?.payment?.entity;
  const order = event.payload?.order?.entity;
  // Checkout passes our notes to the payment; order.paid also carries the order (its receipt is ours).
  const paymentId = note(payment?.notes, 'paymentId') ?? note(order?.notes, 'paymentId') ?? order?.receipt ?? undefined;
  const orderRef = payment?.order_id ?? order?.id;
  if (!paymentId || !orderRef) {
    logger?.warn({ event: event.event, payment: payment?.id }, 'razorpay webhook names none of our payments; ignored');
    return null;
  }
  const eventId = header(headers, 'x-razorpay-event-id') ?? `${event.event}:${payment?.id ?? orderRef}:${event.created_at ?? ''}`;
  const amount = Number(payment?.amount ?? order?.amount_paid ?? order?.amount ?? 0);
  const currency = payment?.currency ?? order?.currency ?? 'INR';
  const base = { eventId, paymentId, orderRef, amount, currency };
  if (event.event === 'payment.failed') return { ...base, state: 'failed', error: payment?.error_description ?? 'payment failed' };
  return { ...base, state: 'captured', captureRef: payment?.id };
}

interface RzpRefund {
  id: string;
  status: string;
  notes?: Record<string, unknown> | unknown[];
}

const refundState = (status: string): 'pending' | 'succeeded' | 'failed' =>
  status === 'processed' ? 'succeeded' : status === 'failed' ? 'failed' : 'pending';

/** Idempotent by our refund id, kept in the refund's notes: a retry finds the refund made before. */
async function refund(rzp: Razorpay, r: Parameters<PaymentGateway['refund']>[0]) {
  if (r.currency !== 'INR') throw new Error(`Razorpay refunds INR only; refund ${r.refundId} is in ${r.currency}.`);
  const made = await razorpayCall('payments.fetchMultipleRefund', () => rzp.payments.fetchMultipleRefund(r.captureRef, { count: 100 }));
  let found = (made.items as RzpRefund[]).find((x) => note(x.notes, 'refundId') === r.refundId);
  found ??= (await razorpayCall('payments.refund', () =>
    rzp.payments.refund(r.captureRef, {
      amount: r.amount,
      notes: { refundId: r.refundId, orderRef: r.orderRef },
      ...(r.refundId.length <= RECEIPT_MAX ? { receipt: r.refundId } : {}),
    }),
  )) as RzpRefund;
  return { refundRef: found.id, state: refundState(found.status) };
}
