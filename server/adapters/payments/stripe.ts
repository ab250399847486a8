/**
 * Stripe (cards; AED for Dubai, INR) through the official SDK: a hosted Checkout Session per
 * payment, webhooks checked with `stripe.webhooks.constructEvent`, refunds on the PaymentIntent.
 */
import Stripe from 'stripe';
import type { Logger } from 'pino';
import type { Dynamo } from '../dynamo/client.js';
import type { Clock, GatewayEvent, GatewayPaymentState, PaymentGateway } from '../../ports.js';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Where the SDK sends its requests (a local stand-in in tests); unset: https://api.stripe.com. */
  apiUrl?: string;
  timeoutMs?: number;
  /** The SDK's own retries on connection errors and 5xx (it adds idempotency keys to them). */
  maxNetworkRetries?: number;
}

export interface StripeGatewayDeps {
  dynamo?: Dynamo;
  clock?: Clock;
  logger?: Logger;
  publicUrl?: string;
}

const CURRENCIES = new Set(['AED', 'INR']);
/**
 * Stripe keeps a Checkout Session open at least 30 minutes. The session closes that long after
 * our deadline (derived from the deadline alone, so a retry sends the very same parameters under
 * its idempotency key); money paid in between is the "late payment" case of docs/payments.md.
 */
const MIN_SESSION_SECONDS = 30 * 60;

export function createStripeGateway(settings: StripeSettings, deps: StripeGatewayDeps = {}): PaymentGateway {
  const stripe = new Stripe(settings.secretKey, {
    timeout: settings.timeoutMs ?? 20_000,
    maxNetworkRetries: settings.maxNetworkRetries ?? 1,
    telemetry: false,
    ...hostOptions(settings.apiUrl),
  });
  return {
    name: 'stripe',
    createOrder: (p) => createSession(stripe, p),
    async status(orderRef) {
      const session = await stripeCall('checkout.sessions.retrieve', () => stripe.checkout.sessions.retrieve(orderRef, { expand: ['payment_intent'] }));
      return sessionState(session);
    },
    parseWebhook: (raw, headers) => parseWebhook(stripe, settings.webhookSecret, raw, headers, deps.logger),
    refund: (r) => refund(stripe, r),
    async refundStatus({ refundRef }) {
      const refund = await stripeCall('refunds.retrieve', () => stripe.refunds.retrieve(refundRef));
      return refundState(refund.status);
    },
  };
}

function hostOptions(apiUrl: string | undefined): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (!apiUrl) return {};
  const u = new URL(apiUrl);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: u.port || (protocol === 'http' ? 80 : 443), protocol };
}

/** Any SDK failure becomes an Error naming the call and what Stripe said. */
async function stripeCall<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err as { type?: string; code?: string; statusCode?: number; message?: string };
    const status = e.statusCode ? `HTTP ${e.statusCode} ` : '';
    const code = e.code ? ` (${e.code})` : '';
    throw new Error(`Stripe ${what} failed: ${status}${e.type ?? 'error'}${code}: ${e.message ?? String(err)}`, { cause: err });
  }
}

type CreateOrder = Parameters<PaymentGateway['createOrder']>[0];

async function createSession(stripe: Stripe, p: CreateOrder) {
  if (!CURRENCIES.has(p.currency)) throw new Error(`Stripe is set up for AED and INR; payment ${p.paymentId} is in ${p.currency}.`);
  const ids = { paymentId: p.paymentId, bookingId: p.bookingId };
  const session = await stripeCall('checkout.sessions.create', () =>
    stripe.checkout.sessions.create(
      {
        mode: 'payment',
        line_items: [{ quantity: 1, price_data: { currency: p.currency.toLowerCase(), unit_amount: p.amount, product_data: { name: p.description } } }],
        client_reference_id: p.paymentId,
        metadata: ids,
        payment_intent_data: { metadata: ids },
        // Stripe fills in the placeholder; our return page can ask status() with it.
        success_url: `${p.returnUrl}${p.returnUrl.includes('?') ? '&' : '?'}session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: p.returnUrl,
        expires_at: Math.ceil(p.expiresAt / 1000) + MIN_SESSION_SECONDS,
      },
      { idempotencyKey: p.paymentId },
    ),
  );
  // A finished session has no url any more: the user goes straight back to our page.
  return { orderRef: session.id, payUrl: session.url ?? p.returnUrl };
}

const paymentIntentId = (pi: string | Stripe.PaymentIntent | null) => (typeof pi === 'string' ? pi : pi?.id);

function sessionState(s: Stripe.Checkout.Session): GatewayPaymentState {
  const base = {
    paymentId: s.client_reference_id ?? s.metadata?.paymentId ?? '',
    orderRef: s.id,
    amount: s.amount_total ?? 0,
    currency: (s.currency ?? '').toUpperCase(),
  };
  if (s.payment_status === 'paid') return { ...base, state: 'captured', captureRef: paymentIntentId(s.payment_intent) };
  if (s.status === 'expired') return { ...base, state: 'failed', error: 'Checkout Session expired' };
  const pi = typeof s.payment_intent === 'object' ? s.payment_intent : null;
  if (pi?.status === 'requires_payment_method' && pi.last_payment_error) {
    return { ...base, state: 'failed', error: pi.last_payment_error.message ?? pi.last_payment_error.code ?? 'payment declined' };
  }
  return { ...base, state: 'pending' };
}

const header = (headers: Record<string, string | string[] | undefined>, name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function parseWebhook(
  stripe: Stripe,
  secret: string,
  raw: Buffer,
  headers: Record<string, string | string[] | undefined>,
  logger?: Logger,
): GatewayEvent | null {
  const signature = header(headers, 'stripe-signature');
  if (!signature) return null;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(raw, signature, secret);
  } catch (err) {
    logger?.warn({ err: (err as Error).message }, 'stripe webhook: signature refused');
    return null;
  }
  const eventId = event.id;
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      // `completed` with payment_status `unpaid` is a delayed method (bank debit): still pending.
      return { eventId, ...sessionState(event.data.object) };
    case 'checkout.session.async_payment_failed':
      return { eventId, ...sessionState(event.data.object), state: 'failed', error: 'delayed payment failed' };
    case 'payment_intent.payment_failed': {
      const pi = event.data.object;
      const paymentId = pi.metadata?.paymentId;
      if (!paymentId) return null;
      // A PaymentIntent does not name the Checkout Session that made it: our payment id does.
      return {
        eventId,
        paymentId,
        orderRef: '',
        state: 'failed',
        amount: pi.amount,
        currency: pi.currency.toUpperCase(),
        error: pi.last_payment_error?.message ?? 'payment declined',
      };
    }
    default:
      return null;
  }
}

const refundState = (status: string | null): 'pending' | 'succeeded' | 'failed' =>
  status === 'succeeded' ? 'succeeded' : status === 'failed' || status === 'canceled' ? 'failed' : 'pending';

/**
 * Idempotent twice over: Stripe's idempotency key (kept 24 hours) and, for a retry after
 * that, the refund id in the refund's metadata, looked up on the PaymentIntent first.
 */
async function refund(stripe: Stripe, r: Parameters<PaymentGateway['refund']>[0]) {
  const made = await stripeCall('refunds.list', () => stripe.refunds.list({ payment_intent: r.captureRef, limit: 100 }));
  const found =
    made.data.find((x) => x.metadata?.refundId === r.refundId) ??
    (await stripeCall('refunds.create', () =>
      stripe.refunds.create({ payment_intent: r.captureRef, amount: r.amount, metadata: { refundId: r.refundId, orderRef: r.orderRef } }, { idempotencyKey: r.refundId }),
    ));
  return { refundRef: found.id, state: refundState(found.status) };
}
