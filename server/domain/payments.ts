/**
 * The payment rules (pure): what a booking's payment starts as, what a capture reported by
 * the gateway means for the booking it names, and when a failed refund is tried again.
 * See docs/payments.md for the states; the services apply these verdicts as one write each.
 */
import type { BookingRecord, PaymentRecord, RefundRecord } from './types.js';

export type GatewayName = PaymentRecord['gateway'];

/** The payment a new booking waits for: the server's quote, due `windowMs` from now. */
export function newPayment(b: Pick<BookingRecord, 'id' | 'total' | 'currency'>, gateway: GatewayName, now: number, windowMs: number): PaymentRecord {
  return {
    id: `pay_${b.id}`,
    gateway,
    amount: b.total,
    currency: b.currency,
    status: 'pending',
    payUrl: null,
    expiresAt: new Date(now + windowMs).toISOString(),
    refunds: [],
  };
}

/** What the gateway says it captured for a payment. */
export interface Capture {
  amount: number;
  currency: string;
  captureRef?: string;
}

/**
 * What a capture means for the booking:
 * - `mark-paid`: waiting for it, and it is exactly the quote → confirmed;
 * - `late`: the booking expired first → book again if the seats are free, else refund;
 * - `mismatch`: not the quote (tampering, a gateway bug) → never a booking; refund what came;
 * - `done`: already applied (a replayed webhook, the return after the webhook).
 */
export type CaptureVerdict = 'mark-paid' | 'late' | 'mismatch' | 'done';

export function captureVerdict(b: Pick<BookingRecord, 'status' | 'payment'>, c: Capture): CaptureVerdict {
  const p = b.payment;
  if (!p || p.status === 'captured') return 'done';
  if (c.amount !== p.amount || c.currency !== p.currency) return 'mismatch';
  if (b.status === 'pending_payment') return 'mark-paid';
  if (b.status === 'expired') return 'late';
  return 'done';
}

/** The deadline passed (the payment is judged at read time, like a hold). */
export const paymentOverdue = (p: Pick<PaymentRecord, 'expiresAt'>, now: number) => Date.parse(p.expiresAt) <= now;

/** A refund of `amount` of the payment, pending; its id is the gateway's idempotency key. */
export function newRefund(p: Pick<PaymentRecord, 'id' | 'refunds'>, amount: number, reason: RefundRecord['reason'], now: number): RefundRecord {
  return { id: `rf_${p.id}_${p.refunds.length + 1}`, amount, status: 'pending', reason, createdAt: new Date(now).toISOString() };
}

/** Refunded or about to be: never more than was captured. */
export function refundable(p: Pick<PaymentRecord, 'status' | 'amount' | 'refunds'>): number {
  if (p.status !== 'captured') return 0;
  // A failed refund is still owed (it is retried): it counts.
  const promised = p.refunds.reduce((sum, r) => sum + r.amount, 0);
  return Math.max(0, p.amount - promised);
}

export interface RefundRetryPolicy {
  baseDelayMs: number;
  /** The backoff is bounded: failed refunds are tried at least this often, for ever, and listed for admins. */
  maxDelayMs: number;
}
export const DEFAULT_REFUND_RETRY: RefundRetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 30 * 60_000 };

/** When to try a refund again after its `attempts`-th failure. */
export function refundRetryAt(attempts: number, now: number, policy: RefundRetryPolicy = DEFAULT_REFUND_RETRY): number {
  return now + Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/** The booking a payment id (ours, as the gateway echoes it) belongs to; null for ids we never made. */
export function bookingIdOfPayment(paymentId: string): string | null {
  const m = /^pay_(bk_[0-9a-f]{20})$/.exec(paymentId);
  return m ? m[1]! : null;
}
