/**
 * A TEST DOUBLE of a payment gateway: an in-process PaymentGateway whose outcomes the test
 * scripts (capture, decline, refund failures, timeouts) and whose webhooks it signs with an
 * HMAC of its own. It stands in until the lead wires the real built-in test gateway
 * (server/adapters/payments/test-gateway*.ts) into these tests.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GatewayEvent, GatewayPaymentState, PaymentGateway } from '../../server/ports.js';

interface Order {
  paymentId: string;
  orderRef: string;
  amount: number;
  currency: string;
  state: GatewayPaymentState['state'];
  captureRef?: string;
  captured?: { amount: number; currency: string };
  error?: string;
}

type Call = 'createOrder' | 'status' | 'refund';

export class ScriptedGateway implements PaymentGateway {
  readonly name = 'test' as const;
  readonly secret = 'scripted-gateway-webhook-secret';
  readonly orders = new Map<string, Order>();
  /** refundId → what it refunded (a refund asked twice with one id counts once). */
  readonly refunds = new Map<string, { amount: number; orderRef: string; state: 'succeeded' | 'failed' }>();
  /** How many of the next refund calls fail. */
  failRefunds = 0;
  readonly #timeouts = new Map<Call, number>();
  #events = 0;

  /** The next `n` calls of `call` throw as if the gateway timed out. */
  timeoutNext(call: Call, n = 1) {
    this.#timeouts.set(call, n);
  }

  #maybeTimeout(call: Call) {
    const n = this.#timeouts.get(call) ?? 0;
    if (n > 0) {
      this.#timeouts.set(call, n - 1);
      throw new Error(`scripted gateway: ${call} timed out`);
    }
  }

  orderOf(paymentId: string): Order {
    const o = [...this.orders.values()].find((x) => x.paymentId === paymentId);
    if (!o) throw new Error(`no order for ${paymentId}`);
    return o;
  }

  /** The customer paid (by default exactly the order's amount). */
  capture(paymentId: string, paid?: { amount?: number; currency?: string }) {
    const o = this.orderOf(paymentId);
    o.state = 'captured';
    o.captureRef = `cap_${o.orderRef}`;
    o.captured = { amount: paid?.amount ?? o.amount, currency: paid?.currency ?? o.currency };
  }

  decline(paymentId: string, error = 'card declined') {
    const o = this.orderOf(paymentId);
    o.state = 'failed';
    o.error = error;
  }

  /** The signed webhook the gateway would send for the order as it stands now. */
  webhook(paymentId: string): { body: string; headers: Record<string, string> } {
    const o = this.orderOf(paymentId);
    const event: GatewayEvent = { ...this.#stateOf(o), eventId: `evt_${++this.#events}` };
    const body = JSON.stringify(event);
    return { body, headers: { 'content-type': 'application/json', 'x-scripted-signature': this.sign(body) } };
  }

  sign(body: string) {
    return createHmac('sha256', this.secret).update(body).digest('hex');
  }

  #stateOf(o: Order): GatewayPaymentState {
    return {
      paymentId: o.paymentId,
      orderRef: o.orderRef,
      state: o.state,
      captureRef: o.captureRef,
      amount: o.captured?.amount ?? o.amount,
      currency: o.captured?.currency ?? o.currency,
      error: o.error,
    };
  }

  async createOrder(p: Parameters<PaymentGateway['createOrder']>[0]) {
    this.#maybeTimeout('createOrder');
    const existing = [...this.orders.values()].find((o) => o.paymentId === p.paymentId);
    const orderRef = existing?.orderRef ?? `ord_${p.paymentId}`;
    if (!existing) this.orders.set(orderRef, { paymentId: p.paymentId, orderRef, amount: p.amount, currency: p.currency, state: 'pending' });
    return { orderRef, payUrl: `https://scripted-gateway.test/pay/${orderRef}` };
  }

  async status(orderRef: string) {
    this.#maybeTimeout('status');
    const o = this.orders.get(orderRef);
    if (!o) throw new Error(`unknown order ${orderRef}`);
    return this.#stateOf(o);
  }

  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): GatewayEvent | null {
    const sig = headers['x-scripted-signature'];
    if (typeof sig !== 'string' || sig.length !== 64) return null;
    const want = Buffer.from(this.sign(rawBody.toString('utf8')), 'hex');
    if (!timingSafeEqual(want, Buffer.from(sig, 'hex'))) return null;
    return JSON.parse(rawBody.toString('utf8')) as GatewayEvent;
  }

  async refund(r: Parameters<PaymentGateway['refund']>[0]) {
    this.#maybeTimeout('refund');
    const prior = this.refunds.get(r.refundId);
    if (prior?.state === 'succeeded') return { refundRef: `rfd_${r.refundId}`, state: 'succeeded' as const };
    const state = this.failRefunds > 0 ? 'failed' : 'succeeded';
    if (this.failRefunds > 0) this.failRefunds--;
    this.refunds.set(r.refundId, { amount: r.amount, orderRef: r.orderRef, state });
    return { refundRef: `rfd_${r.refundId}`, state: state as 'succeeded' | 'failed' };
  }

  async refundStatus(r: { refundRef: string; refundId: string }) {
    return this.refunds.get(r.refundId)?.state ?? 'pending';
  }

  /** Money that left customers and was not given back. */
  refundedFor(orderRef: string): number {
    return [...this.refunds.values()].filter((x) => x.orderRef === orderRef && x.state === 'succeeded').reduce((s, x) => s + x.amount, 0);
  }
}
