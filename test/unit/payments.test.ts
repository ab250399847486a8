/** The payment rules: what a capture means for its booking, refunds never above the capture, bounded retries. */
import { describe, expect, it } from 'vitest';
import { bookingIdOfPayment, captureVerdict, newPayment, newRefund, paymentOverdue, refundable, refundRetryAt } from '../../server/domain/payments.js';
import type { BookingRecord } from '../../server/domain/types.js';

const NOW = Date.UTC(2026, 11, 1, 12);
const payment = newPayment({ id: 'bk_0123456789abcdef0123', total: 46_044, currency: 'INR' }, 'test', NOW, 600_000);
const booking = (status: BookingRecord['status'], p = payment) => ({ status, payment: p });
const exact = { amount: 46_044, currency: 'INR' };

describe('newPayment', () => {
  it('is the server quote in its currency, pending, with no payUrl yet, due at the end of the window', () => {
    expect(payment).toEqual({
      id: 'pay_bk_0123456789abcdef0123',
      gateway: 'test',
      amount: 46_044,
      currency: 'INR',
      status: 'pending',
      payUrl: null,
      expiresAt: new Date(NOW + 600_000).toISOString(),
      refunds: [],
    });
  });
  it('is overdue exactly at its deadline, not a millisecond before', () => {
    expect(paymentOverdue(payment, NOW + 599_999)).toBe(false);
    expect(paymentOverdue(payment, NOW + 600_000)).toBe(true);
  });
  it('names its booking back, and no booking for ids we never made', () => {
    expect(bookingIdOfPayment(payment.id)).toBe('bk_0123456789abcdef0123');
    expect(bookingIdOfPayment('pay_bk_../../etc')).toBeNull();
    expect(bookingIdOfPayment('bk_0123456789abcdef0123')).toBeNull();
  });
});

describe('captureVerdict', () => {
  it('marks a pending booking paid only for exactly the quote', () => {
    expect(captureVerdict(booking('pending_payment'), exact)).toBe('mark-paid');
    expect(captureVerdict(booking('pending_payment'), { ...exact, amount: 46_043 })).toBe('mismatch');
    expect(captureVerdict(booking('pending_payment'), { ...exact, currency: 'AED' })).toBe('mismatch');
  });
  it('sends money after the deadline down the late path', () => {
    expect(captureVerdict(booking('expired', { ...payment, status: 'expired' }), exact)).toBe('late');
  });
  it('applies a capture once: a captured payment, a cancelled booking or no payment changes nothing', () => {
    expect(captureVerdict(booking('confirmed', { ...payment, status: 'captured' }), exact)).toBe('done');
    expect(captureVerdict(booking('expired', { ...payment, status: 'captured' }), exact)).toBe('done');
    expect(captureVerdict(booking('cancelled', { ...payment, status: 'captured' }), exact)).toBe('done');
    expect(captureVerdict({ status: 'confirmed', payment: undefined }, exact)).toBe('done');
  });
});

describe('refunds', () => {
  const captured = { ...payment, status: 'captured' as const };
  it('never promise more than was captured, failed ones included (they are retried)', () => {
    expect(refundable(payment)).toBe(0);
    expect(refundable(captured)).toBe(46_044);
    const r = newRefund(captured, 20_000, 'cancelled', NOW);
    expect(r).toEqual({ id: 'rf_pay_bk_0123456789abcdef0123_1', amount: 20_000, status: 'pending', reason: 'cancelled', createdAt: new Date(NOW).toISOString() });
    expect(refundable({ ...captured, refunds: [{ ...r, status: 'failed' }] })).toBe(26_044);
    expect(newRefund({ ...captured, refunds: [r] }, 1, 'cancelled', NOW).id).toBe('rf_pay_bk_0123456789abcdef0123_2');
  });
  it('retry with a doubling backoff that stops growing at its bound', () => {
    expect(refundRetryAt(1, NOW) - NOW).toBe(5_000);
    expect(refundRetryAt(2, NOW) - NOW).toBe(10_000);
    expect(refundRetryAt(50, NOW) - NOW).toBe(30 * 60_000);
  });
});
