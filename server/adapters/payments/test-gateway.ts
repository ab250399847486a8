/**
 * The built-in `test` gateway (PAYMENT_GATEWAY=test): real code that behaves like a hosted
 * gateway. Orders and refunds are DynamoDB items shared by every process; the user pays on
 * its own page (test-gateway-page.ts); captures and declines are announced by signed
 * webhooks to our endpoint. Nothing here moves money.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { TestGatewayDriveResponse, TestGatewayOrder } from '../../../protocol/index.js';
import { AppError } from '../../domain/result.js';
import type { Clock, GatewayPaymentState, PaymentGateway } from '../../ports.js';
import type { Dynamo } from '../dynamo/client.js';
import { createTestGatewayStore, type TestOrderRecord, type TestRefundRecord } from './test-gateway-store.js';
import { createWebhookSender, eventBody, verifiedEvent, type Delivery } from './test-gateway-webhooks.js';

export interface TestGatewayOptions {
  dynamo: Dynamo;
  clock: Clock;
  logger: Logger;
  /** Our public address: the pay page is `<publicUrl>/test-gateway/pay/<orderRef>`. */
  publicUrl: string | (() => string);
  /** Where webhooks go (default `<publicUrl>/api/payments/webhook/test`). */
  webhookUrl?: string | (() => string);
  /** Every process of a deployment must share it (the app's JWT secret does). */
  secret: string;
  fetch?: typeof fetch;
  /** How long the bank takes to approve an "approve later" attempt (default 20 s). */
  approveLaterMs?: number;
  /** How long a refund stays `pending` before it succeeds (default 0: at once). */
  refundSettleMs?: number;
  webhookRetryDelaysMs?: number[];
  merchantName?: string;
}

export type DriveResult = TestGatewayDriveResponse;

export interface TestGateway extends PaymentGateway {
  readonly name: 'test';
  readonly merchantName: string;
  /** The order as the gateway keeps it (the pay page reads it); null when unknown. */
  order(ref: string): Promise<TestOrderRecord | null>;
  /** Finds an order by its ref or by our payment id. */
  findOrder(refOrPaymentId: string): Promise<TestOrderRecord | null>;
  succeed(ref: string, opts?: { webhook?: boolean }): Promise<DriveResult>;
  fail(ref: string, opts?: { webhook?: boolean; reason?: string }): Promise<DriveResult>;
  /** Captured now; the webhook follows `delayMs` later. */
  succeedLate(ref: string, delayMs: number): Promise<DriveResult>;
  /** The bank approves in `delayMs` (default `approveLaterMs`): captured then, webhook then. */
  approveLater(ref: string, delayMs?: number): Promise<DriveResult>;
  failNextRefunds(count: number, mode: 'failed' | 'error'): Promise<void>;
  /** Stops webhook retries and pending approvals of this process. */
  close(): void;
}

const resolve = (v: string | (() => string)) => (typeof v === 'function' ? v() : v);
const derivedKey = (secret: string, use: string) => createHmac('sha256', secret).update(`test-gateway/${use}`).digest();
const randomRef = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export const publicOrder = (o: TestOrderRecord): TestGatewayOrder => ({
  orderRef: o.orderRef,
  paymentId: o.paymentId,
  bookingId: o.bookingId,
  amount: o.amount,
  currency: o.currency,
  state: o.state,
  ...(o.captureRef ? { captureRef: o.captureRef } : {}),
  ...(o.error ? { error: o.error } : {}),
  ...(o.approveAt !== undefined ? { approveAt: o.approveAt } : {}),
  refunded: o.refunded,
});

const paymentState = (o: TestOrderRecord): GatewayPaymentState => ({
  paymentId: o.paymentId,
  orderRef: o.orderRef,
  state: o.state,
  ...(o.captureRef ? { captureRef: o.captureRef } : {}),
  amount: o.amount,
  currency: o.currency,
  ...(o.error ? { error: o.error } : {}),
});

function checkOrderInput(p: { amount: number; currency: string; returnUrl: string; paymentId: string }) {
  const url = URL.canParse(p.returnUrl) ? new URL(p.returnUrl) : null;
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new Error(`test gateway: returnUrl must be http(s), got ${p.returnUrl}`);
  if (!Number.isInteger(p.amount) || p.amount <= 0) throw new Error(`test gateway: amount must be a positive integer of minor units, got ${p.amount}`);
  if (!/^[A-Z]{3}$/.test(p.currency)) throw new Error(`test gateway: currency must be an ISO 4217 code, got ${p.currency}`);
  if (!p.paymentId) throw new Error('test gateway: paymentId is required');
}

export function createTestGateway(opts: TestGatewayOptions): TestGateway {
  const { clock, logger } = opts;
  const store = createTestGatewayStore(opts.dynamo);
  const refKey = derivedKey(opts.secret, 'refs');
  const webhookKey = derivedKey(opts.secret, 'webhook');
  const approveLaterMs = opts.approveLaterMs ?? 20_000;
  const webhooks = createWebhookSender({
    url: () => (opts.webhookUrl ? resolve(opts.webhookUrl) : `${resolve(opts.publicUrl)}/api/payments/webhook/test`),
    key: webhookKey,
    clock,
    logger,
    fetch: opts.fetch ?? globalThis.fetch,
    retryDelaysMs: opts.webhookRetryDelaysMs,
  });
  const approvals = new Set<NodeJS.Timeout>();
  let closed = false;

  // Refs derived from our ids: the same payment (or refund) always names the same record, and
  // nobody can guess another's ref without the secret (the pay page is reached by ref alone).
  const refFor = (prefix: string, id: string) => `${prefix}_${createHmac('sha256', refKey).update(`${prefix}:${id}`).digest('hex').slice(0, 32)}`;
  const orderRefFor = (paymentId: string) => refFor('tgo', paymentId);
  const refundRefFor = (refundId: string) => refFor('tgr', refundId);

  async function mustGet(ref: string): Promise<TestOrderRecord> {
    const order = await store.getOrder(ref);
    if (!order) throw AppError.of('NOT_FOUND', { message: 'No such test gateway order.' });
    return order;
  }

  /** Announces a state change by webhook (or not), answering the first delivery attempt. */
  async function announce(order: TestOrderRecord, webhook: boolean): Promise<Delivery | null> {
    if (!webhook) return null;
    return webhooks.send(eventBody(randomRef('evt'), paymentState(order)));
  }

  /** An "approve later" attempt whose time came: captured once (by whichever process gets there), then announced. */
  async function approveIfDue(order: TestOrderRecord, force: boolean): Promise<TestOrderRecord> {
    if (order.state === 'captured' || order.approveAt === undefined) return order;
    if (!force && order.approveAt > clock.now()) return order;
    const captured = await store.capture(order.orderRef, randomRef('tgc'), clock.now(), true);
    if (!captured) return mustGet(order.orderRef);
    void announce(captured, true);
    return captured;
  }

  async function capture(ref: string, webhook: 'now' | 'none' | { delayMs: number }): Promise<DriveResult> {
    const order = await mustGet(ref);
    const captured = await store.capture(order.orderRef, randomRef('tgc'), clock.now());
    if (!captured) return { order: publicOrder(await mustGet(order.orderRef)), changed: false, webhook: null };
    if (typeof webhook === 'object') {
      const eventId = randomRef('evt');
      webhooks.sendLater(eventBody(eventId, paymentState(captured)), webhook.delayMs);
      return { order: publicOrder(captured), changed: true, webhook: { eventId, delivered: false, delayMs: webhook.delayMs } };
    }
    return { order: publicOrder(captured), changed: true, webhook: await announce(captured, webhook === 'now') };
  }

  async function readOrder(ref: string): Promise<TestOrderRecord | null> {
    const order = await store.getOrder(ref);
    return order && approveIfDue(order, false);
  }

  async function settle(refund: TestRefundRecord): Promise<TestRefundRecord> {
    if (refund.state !== 'pending' || refund.settleAt > clock.now()) return refund;
    return (await store.settleRefund(refund.refundRef, clock.now())) ?? (await store.getRefund(refund.refundRef)) ?? refund;
  }

  return {
    name: 'test',
    merchantName: opts.merchantName ?? 'Movie Magic',

    async createOrder(p) {
      checkOrderInput(p);
      const orderRef = orderRefFor(p.paymentId);
      const now = clock.now();
      await store.putOrder({
        orderRef,
        paymentId: p.paymentId,
        bookingId: p.bookingId,
        amount: p.amount,
        currency: p.currency,
        description: p.description.slice(0, 200),
        returnUrl: p.returnUrl,
        expiresAt: p.expiresAt,
        createdAt: now,
        state: 'pending',
        refunded: 0,
      });
      return { orderRef, payUrl: `${resolve(opts.publicUrl)}/test-gateway/pay/${orderRef}` };
    },

    async status(orderRef) {
      return paymentState(await approveIfDue(await mustGet(orderRef), false));
    },

    parseWebhook: (rawBody, headers) => verifiedEvent(webhookKey, rawBody, headers, clock.now()),

    async refund(r) {
      const refundRef = refundRefFor(r.refundId);
      const existing = await store.getRefund(refundRef);
      if (existing && existing.state !== 'failed') return { refundRef, state: (await settle(existing)).state };
      const now = clock.now();
      const settleMs = opts.refundSettleMs ?? 0;
      const record: TestRefundRecord = { refundRef, refundId: r.refundId, orderRef: r.orderRef, captureRef: r.captureRef, amount: r.amount, currency: r.currency, state: settleMs > 0 ? 'pending' : 'succeeded', createdAt: now, settleAt: now + settleMs };
      const armed = await store.takeRefundFailure();
      if (armed === 'error') throw new Error('test gateway: refund API unavailable (armed by fail-next)');
      if (armed === 'failed') {
        await store.putFailedRefund({ ...record, error: 'refund_declined: armed by fail-next' });
        return { refundRef, state: 'failed' };
      }
      const added = await store.addRefund(record);
      if (added === 'refused') throw new Error(`test gateway: refund ${r.refundId} refused: the order is not captured by ${r.captureRef} in ${r.currency} with ${r.amount} left to refund`);
      if (added === 'exists') return { refundRef, state: (await store.getRefund(refundRef))?.state ?? 'pending' };
      return { refundRef, state: record.state };
    },

    async refundStatus(r) {
      const refund = await store.getRefund(r.refundRef);
      if (!refund || refund.refundId !== r.refundId) throw AppError.of('NOT_FOUND', { message: 'No such test gateway refund.' });
      return (await settle(refund)).state;
    },

    order: readOrder,
    findOrder: async (refOrPaymentId) => (await readOrder(refOrPaymentId)) ?? (await readOrder(orderRefFor(refOrPaymentId))),

    succeed: (ref, o = {}) => capture(ref, o.webhook === false ? 'none' : 'now'),
    succeedLate: (ref, delayMs) => capture(ref, { delayMs }),

    async fail(ref, o = {}) {
      const order = await mustGet(ref);
      const declined = await store.decline(order.orderRef, o.reason ?? 'declined: the test gateway was told to decline');
      if (!declined) return { order: publicOrder(await mustGet(order.orderRef)), changed: false, webhook: null };
      return { order: publicOrder(declined), changed: true, webhook: await announce(declined, o.webhook !== false) };
    },

    async approveLater(ref, delayMs = approveLaterMs) {
      const order = await mustGet(ref);
      const pending = await store.approveAt(order.orderRef, clock.now() + delayMs);
      if (!pending) return { order: publicOrder(await mustGet(order.orderRef)), changed: false, webhook: null };
      if (!closed) {
        const timer = setTimeout(() => {
          approvals.delete(timer);
          store
            .getOrder(order.orderRef)
            .then((o) => o && approveIfDue(o, true))
            .catch((err) => logger.error({ err, orderRef: order.orderRef }, 'test gateway: late approval failed'));
        }, delayMs);
        timer.unref();
        approvals.add(timer);
      }
      return { order: publicOrder(pending), changed: true, webhook: null };
    },

    failNextRefunds: (count, mode) => store.armRefundFailures(count, mode),

    close() {
      closed = true;
      webhooks.close();
      for (const t of approvals) clearTimeout(t);
      approvals.clear();
    },
  };
}

export const isTestGateway = (g: PaymentGateway | null | undefined): g is TestGateway => g?.name === 'test' && 'succeed' in g;
