/** The rush's payment check (captured = confirmed + refunded) and where it pays (the order ref of a payUrl). */
import { describe, expect, it } from 'vitest';
import type { Booking, Payment, Refund } from '../../protocol/index.js';
import { orderRefOf, verifyPayments } from '../../scripts/rush/pay.js';

const refund: Refund = { id: 'rf_1', amount: 100, status: 'pending', reason: 'late_payment', createdAt: '2026-12-01T12:00:00.000Z' };
const payment = (status: Payment['status'], refunds: Refund[] = []): Payment => ({
  id: 'pay_bk_1',
  gateway: 'test',
  amount: 100,
  currency: 'INR',
  status,
  payUrl: 'http://localhost:3000/test-gateway/pay/tgo_abc123',
  expiresAt: '2026-12-01T12:10:00.000Z',
  refunds,
});
const booking = (status: Booking['status'], p?: Payment) => ({ id: `bk_${Math.random()}`, status, payment: p }) as Booking;

describe('verifyPayments', () => {
  it('passes when every captured payment is a confirmed booking or a refunded one, and counts the unpaid apart', () => {
    const v = verifyPayments([
      booking('confirmed', payment('captured')),
      booking('confirmed', payment('captured')),
      booking('expired', payment('captured', [refund])), // money after the seats were gone
      booking('cancelled', payment('captured', [refund])),
      booking('pending_payment', payment('pending')),
      booking('expired', payment('expired')),
    ]);
    expect(v).toEqual({ captured: 4, confirmed: 2, refunded: 2, pending: 1, expired: 2, ok: true });
  });

  it('fails on a captured payment with neither a confirmed booking nor a refund', () => {
    const v = verifyPayments([booking('confirmed', payment('captured')), booking('expired', payment('captured'))]);
    expect(v).toMatchObject({ captured: 2, confirmed: 1, refunded: 0, ok: false });
  });

  it('fails on a confirmed booking whose payment was never captured', () => {
    expect(verifyPayments([booking('confirmed', payment('pending'))]).ok).toBe(false);
  });

  it('passes bookings made without a gateway (no payment) untouched', () => {
    expect(verifyPayments([booking('confirmed'), booking('confirmed')])).toEqual({ captured: 0, confirmed: 0, refunded: 0, pending: 0, expired: 0, ok: true });
  });
});

describe('orderRefOf', () => {
  it("is the payUrl's last path segment, and our payment id when the order has no payUrl yet", () => {
    expect(orderRefOf(payment('pending'))).toBe('tgo_abc123');
    expect(orderRefOf({ ...payment('pending'), payUrl: null })).toBe('pay_bk_1');
  });
});
