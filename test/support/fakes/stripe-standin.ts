/**
 * FAKE Stripe: a local stand-in for api.stripe.com (which cannot be reached from here),
 * speaking the part of its documented v1 API our adapter uses — form-encoded bodies with
 * bracketed keys, `Authorization: Bearer <secret key>`, `Idempotency-Key` (same key and same
 * parameters → the first answer again; other parameters → 400 idempotency_error),
 * `{error: {type, code, message, param}}` errors, minor-unit amounts:
 *   POST /v1/checkout/sessions, GET /v1/checkout/sessions/:id (expand[]=payment_intent),
 *   POST /v1/refunds, GET /v1/refunds?payment_intent=, GET /v1/refunds/:id.
 * The test drives it like a customer would (pay, decline, a delayed method, let it expire),
 * and makes it fail refunds or hang. Webhooks are signed with the SDK's own
 * `stripe.webhooks.generateTestHeaderString`.
 */
import express, { type Request, type Response } from 'express';
import Stripe from 'stripe';
import { gatewayId, startStandinServer, type StandinServer } from './standin-server.js';

type Metadata = Record<string, string>;
export interface FakeStripeSession {
  id: string;
  object: 'checkout.session';
  mode: 'payment';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_total: number;
  amount_subtotal: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Metadata;
  payment_intent: string | null;
  success_url: string | null;
  cancel_url: string | null;
  expires_at: number;
  created: number;
  url: string | null;
  livemode: false;
  /** Not Stripe's: what payment_intent_data.metadata asked for, given to the PaymentIntent when it is made. */
  _piMetadata: Metadata;
}
export interface FakeStripePaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: 'requires_payment_method' | 'processing' | 'succeeded';
  metadata: Metadata;
  last_payment_error: { type: string; code: string; message: string } | null;
  amount_refunded: number;
}
export interface FakeStripeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  metadata: Metadata;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  failure_reason: string | null;
  created: number;
}
export type StripeWebhookType =
  | 'checkout.session.completed'
  | 'checkout.session.async_payment_succeeded'
  | 'checkout.session.async_payment_failed'
  | 'checkout.session.expired'
  | 'payment_intent.payment_failed';

export interface StripeStandin extends StandinServer {
  secretKey: string;
  webhookSecret: string;
  sessions: Map<string, FakeStripeSession>;
  paymentIntents: Map<string, FakeStripePaymentIntent>;
  refunds: Map<string, FakeStripeRefund>;
  /** The customer pays by card: session complete and paid, its PaymentIntent succeeded. */
  pay(sessionId: string): FakeStripePaymentIntent;
  /** The card is declined: the session stays open, the PaymentIntent keeps the error. */
  decline(sessionId: string, message?: string): FakeStripePaymentIntent;
  /** A delayed method (bank debit): the session completes unpaid, settled later by settleDelayed. */
  payDelayed(sessionId: string): FakeStripePaymentIntent;
  settleDelayed(sessionId: string, ok: boolean): void;
  expire(sessionId: string): void;
  /** `error`: refund requests answer 500; `status`: refunds are made but fail; null: refunds work. */
  failRefunds(mode: 'error' | 'status' | null): void;
  refundsPending(on: boolean): void;
  settleRefund(refundId: string, status: 'succeeded' | 'failed'): void;
  /** Stripe prunes idempotency keys after 24 hours: this is that day passing. */
  forgetIdempotencyKeys(): void;
  /** An event as Stripe sends it about a session (or its PaymentIntent), signed (or not). */
  webhook(type: StripeWebhookType, sessionId: string, opts?: { secret?: string | null }): { body: Buffer; headers: Record<string, string>; eventId: string };
  deliver(url: string, hook: { body: Buffer; headers: Record<string, string> }): Promise<number>;
}

const now = () => Math.floor(Date.now() / 1000);
const fail = (res: Response, status: number, type: string, message: string, extra: { code?: string; param?: string } = {}) =>
  res.status(status).json({ error: { type, message, ...extra } });
const notFound = (res: Response, what: string, id: string) => fail(res, 404, 'invalid_request_error', `No such ${what}: '${id}'`, { code: 'resource_missing', param: 'id' });
const publicSession = ({ _piMetadata, ...s }: FakeStripeSession) => s;

export async function startStripeStandin(opts: { secretKey?: string; webhookSecret?: string } = {}): Promise<StripeStandin> {
  const secretKey = opts.secretKey ?? 'sk_test_standin';
  const webhookSecret = opts.webhookSecret ?? 'whsec_standin';
  const sessions = new Map<string, FakeStripeSession>();
  const paymentIntents = new Map<string, FakeStripePaymentIntent>();
  const refunds = new Map<string, FakeStripeRefund>();
  const idempotent = new Map<string, { params: string; status: number; body: unknown }>();
  let refundFailure: 'error' | 'status' | null = null;
  let refundsStartPending = false;
  const signer = new Stripe(secretKey);
  let baseUrl = '';

  /** Answers a POST once per Idempotency-Key, as Stripe does. */
  const once = (handler: (req: Request) => { status: number; body: unknown }) => (req: Request, res: Response) => {
    const key = req.header('idempotency-key');
    const params = JSON.stringify(req.body ?? {});
    const seen = key ? idempotent.get(`${req.path}\0${key}`) : undefined;
    if (seen && seen.params !== params) {
      return fail(res, 400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
    }
    if (seen) return res.status(seen.status).setHeader('Idempotent-Replayed', 'true').json(seen.body);
    const answer = handler(req);
    if (key && answer.status < 500) idempotent.set(`${req.path}\0${key}`, { params, ...answer });
    res.status(answer.status).json(answer.body);
  };
  const error = (status: number, type: string, message: string, param?: string) => ({ status, body: { error: { type, message, param } } });

  const server = await startStandinServer((app) => {
    app.set('query parser', 'extended');
    app.use('/v1', (req, res, next) => {
      if (req.headers.authorization !== `Bearer ${secretKey}`) return fail(res, 401, 'invalid_request_error', 'Invalid API Key provided: sk_****');
      next();
    });
    app.use(express.urlencoded({ extended: true }));

    app.post(
      '/v1/checkout/sessions',
      once((req) => {
        const b = req.body as Record<string, any>;
        if (b.mode !== 'payment') return error(400, 'invalid_request_error', 'Only mode=payment is supported by this stand-in.', 'mode');
        const items = Array.isArray(b.line_items) ? b.line_items : [];
        if (!items.length) return error(400, 'invalid_request_error', 'Missing required param: line_items.', 'line_items');
        const currencies = new Set(items.map((i: any) => i.price_data?.currency));
        if (currencies.size !== 1 || ![...currencies].every((c) => /^[a-z]{3}$/.test(String(c)))) return error(400, 'invalid_request_error', 'Invalid currency.', 'line_items[0][price_data][currency]');
        let total = 0;
        for (const i of items) {
          const unit = Number(i.price_data?.unit_amount);
          const qty = Number(i.quantity ?? 1);
          if (!Number.isInteger(unit) || unit < 1 || !Number.isInteger(qty)) return error(400, 'invalid_request_error', 'Invalid integer: unit_amount.', 'line_items[0][price_data][unit_amount]');
          if (!i.price_data?.product_data?.name) return error(400, 'invalid_request_error', 'Missing required param: line_items[0][price_data][product_data][name].');
          total += unit * qty;
        }
        const created = now();
        const expiresAt = b.expires_at === undefined ? created + 86_400 : Number(b.expires_at);
        if (expiresAt < created + 1800 || expiresAt > created + 86_400) {
          return error(400, 'invalid_request_error', 'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
        }
        const id = gatewayId('cs_test_');
        const session: FakeStripeSession = {
          id,
          object: 'checkout.session',
          mode: 'payment',
          status: 'open',
          payment_status: 'unpaid',
          amount_total: total,
          amount_subtotal: total,
          currency: String([...currencies][0]),
          client_reference_id: b.client_reference_id ?? null,
          metadata: b.metadata ?? {},
          payment_intent: null,
          success_url: b.success_url ?? null,
          cancel_url: b.cancel_url ?? null,
          expires_at: expiresAt,
          created,
          url: `${baseUrl}/c/pay/${id}`,
          livemode: false,
          _piMetadata: b.payment_intent_data?.metadata ?? {},
        };
        sessions.set(id, session);
        return { status: 200, body: publicSession(session) };
      }),
    );
    app.get('/v1/checkout/sessions/:id', (req, res) => {
      const s = sessions.get(req.params.id);
      if (!s) return notFound(res, 'checkout.session', req.params.id);
      const expand = ([] as unknown[]).concat((req.query.expand as unknown) ?? []);
      const body: Record<string, unknown> = publicSession(s);
      if (expand.includes('payment_intent') && s.payment_intent) body.payment_intent = paymentIntents.get(s.payment_intent);
      res.json(body);
    });
    app.post(
      '/v1/refunds',
      once((req) => {
        const b = req.body as Record<string, any>;
        const pi = paymentIntents.get(String(b.payment_intent ?? ''));
        if (!pi) return error(404, 'invalid_request_error', `No such payment_intent: '${b.payment_intent}'`, 'payment_intent');
        if (refundFailure === 'error') return error(500, 'api_error', 'An unknown error occurred');
        if (pi.status !== 'succeeded') return error(400, 'invalid_request_error', `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, 'payment_intent');
        const amount = b.amount === undefined ? pi.amount - pi.amount_refunded : Number(b.amount);
        if (!Number.isInteger(amount) || amount < 1) return error(400, 'invalid_request_error', 'Invalid integer: amount.', 'amount');
        if (amount > pi.amount - pi.amount_refunded) return error(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${pi.amount - pi.amount_refunded})`, 'amount');
        const refund: FakeStripeRefund = {
          id: gatewayId('re_'),
          object: 'refund',
          amount,
          currency: pi.currency,
          payment_intent: pi.id,
          metadata: b.metadata ?? {},
          status: refundFailure === 'status' ? 'failed' : refundsStartPending ? 'pending' : 'succeeded',
          failure_reason: refundFailure === 'status' ? 'declined' : null,
          created: now(),
        };
        refunds.set(refund.id, refund);
        if (refund.status !== 'failed') pi.amount_refunded += amount;
        return { status: 200, body: refund };
      }),
    );
    app.get('/v1/refunds', (req, res) => {
      const limit = Math.min(Number(req.query.limit ?? 10) || 10, 100);
      const all = [...refunds.values()].reverse().filter((r) => req.query.payment_intent === undefined || r.payment_intent === req.query.payment_intent);
      res.json({ object: 'list', data: all.slice(0, limit), has_more: all.length > limit, url: '/v1/refunds' });
    });
    app.get('/v1/refunds/:id', (req, res) => {
      const r = refunds.get(req.params.id);
      if (!r) return notFound(res, 'refund', req.params.id);
      res.json(r);
    });
  });
  baseUrl = server.url;

  const session = (id: string) => {
    const s = sessions.get(id);
    if (!s) throw new Error(`stripe stand-in: no session ${id}`);
    return s;
  };
  /** The session's PaymentIntent, made at the customer's first attempt (as Checkout does since 2022-08-01). */
  const intentOf = (s: FakeStripeSession) => {
    if (s.payment_intent) return paymentIntents.get(s.payment_intent)!;
    const pi: FakeStripePaymentIntent = {
      id: gatewayId('pi_'),
      object: 'payment_intent',
      amount: s.amount_total,
      currency: s.currency,
      status: 'requires_payment_method',
      metadata: s._piMetadata,
      last_payment_error: null,
      amount_refunded: 0,
    };
    paymentIntents.set(pi.id, pi);
    s.payment_intent = pi.id;
    return pi;
  };
  const complete = (s: FakeStripeSession, paid: boolean) => {
    s.status = 'complete';
    s.payment_status = paid ? 'paid' : 'unpaid';
    s.url = null;
  };

  return {
    ...server,
    secretKey,
    webhookSecret,
    sessions,
    paymentIntents,
    refunds,
    pay(id) {
      const s = session(id);
      const pi = intentOf(s);
      pi.status = 'succeeded';
      pi.last_payment_error = null;
      complete(s, true);
      return pi;
    },
    decline(id, message = 'Your card was declined.') {
      const pi = intentOf(session(id));
      pi.status = 'requires_payment_method';
      pi.last_payment_error = { type: 'card_error', code: 'card_declined', message };
      return pi;
    },
    payDelayed(id) {
      const s = session(id);
      const pi = intentOf(s);
      pi.status = 'processing';
      complete(s, false);
      return pi;
    },
    settleDelayed(id, ok) {
      const s = session(id);
      const pi = intentOf(s);
      pi.status = ok ? 'succeeded' : 'requires_payment_method';
      if (ok) s.payment_status = 'paid';
    },
    expire(id) {
      const s = session(id);
      s.status = 'expired';
      s.url = null;
    },
    failRefunds(mode) {
      refundFailure = mode;
    },
    refundsPending(on) {
      refundsStartPending = on;
    },
    settleRefund(id, status) {
      const r = refunds.get(id);
      if (!r) throw new Error(`stripe stand-in: no refund ${id}`);
      r.status = status;
    },
    forgetIdempotencyKeys() {
      idempotent.clear();
    },
    webhook(type, sessionId, o = {}) {
      const s = session(sessionId);
      const object = type.startsWith('payment_intent.') ? intentOf(s) : publicSession(s);
      const eventId = gatewayId('evt_');
      const payload = JSON.stringify({ id: eventId, object: 'event', api_version: '2026-10-28.endive', created: now(), type, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object } });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const secret = o.secret === undefined ? webhookSecret : o.secret;
      if (secret !== null) headers['stripe-signature'] = signer.webhooks.generateTestHeaderString({ payload, secret });
      return { body: Buffer.from(payload), headers, eventId };
    },
    async deliver(url, hook) {
      const res = await fetch(url, { method: 'POST', headers: hook.headers, body: new Uint8Array(hook.body) });
      return res.status;
    },
  };
}
