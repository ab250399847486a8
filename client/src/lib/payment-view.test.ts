import { describe, expect, it } from 'vitest';
import { declinedKey, newerBooking, paymentView, returnState, type PaymentView } from './payment-view.js';
import { booking, DEADLINE, payment, refund, T0 } from './test-bookings.js';

describe('paymentView: what the pages say about a booking', () => {
  it('a booking to pay with its order open: due, straight to payUrl, the deadline as a number', () => {
    expect(paymentView(booking(), T0)).toEqual({ kind: 'due', expiresAt: DEADLINE, payUrl: 'https://pay.example/checkout/pay_1', declined: null, reopen: false });
  });

  it('no gateway order yet (payUrl null): due, and paying reopens the order first', () => {
    expect(paymentView(booking({ payment: payment({ payUrl: null }) }), T0)).toMatchObject({ kind: 'due', payUrl: null, reopen: true });
  });

  it('a declined try: due with the gateway\'s words, and paying again reopens the order', () => {
    expect(paymentView(booking({ payment: payment({ lastError: 'Card declined by the bank' }) }), T0)).toMatchObject({ kind: 'due', declined: 'Card declined by the bank', reopen: true });
  });

  it('the deadline is exclusive: due 1 ms before it, deciding at it and after (the server has the last word)', () => {
    expect(paymentView(booking(), DEADLINE - 1).kind).toBe('due');
    expect(paymentView(booking(), DEADLINE).kind).toBe('deciding');
    expect(paymentView(booking(), DEADLINE + 60_000).kind).toBe('deciding');
  });

  it('pending_payment with the payment already captured or expired is a moment between writes: deciding', () => {
    expect(paymentView(booking({ payment: payment({ status: 'captured' }) }), T0).kind).toBe('deciding');
    expect(paymentView(booking({ payment: payment({ status: 'expired' }) }), T0).kind).toBe('deciding');
  });

  it('pending_payment with no payment at all: due with no deadline and a reopen', () => {
    expect(paymentView(booking({ payment: undefined }), T0)).toEqual({ kind: 'due', expiresAt: null, payUrl: null, declined: null, reopen: true });
  });

  it('confirmed: booked, paid when the money was captured, not paid when booked without a gateway', () => {
    expect(paymentView(booking({ status: 'confirmed', payment: payment({ status: 'captured' }) }), T0)).toEqual({ kind: 'booked', paid: true });
    expect(paymentView(booking({ status: 'confirmed', payment: undefined }), T0)).toEqual({ kind: 'booked', paid: false });
  });

  it('expired with no money: expired', () => {
    expect(paymentView(booking({ status: 'expired', payment: payment({ status: 'expired' }) }), DEADLINE)).toEqual({ kind: 'expired' });
    expect(paymentView(booking({ status: 'expired', payment: undefined }), DEADLINE)).toEqual({ kind: 'expired' });
  });

  it('expired but the money came: refunding, with the refund\'s state and amount', () => {
    const late = (r?: ReturnType<typeof refund>) => booking({ status: 'expired', payment: payment({ status: 'captured', refunds: r ? [r] : [] }) });
    expect(paymentView(late(), DEADLINE)).toEqual({ kind: 'refunding', refund: 'pending', amount: 53_100 });
    expect(paymentView(late(refund()), DEADLINE)).toEqual({ kind: 'refunding', refund: 'pending', amount: 53_100 });
    expect(paymentView(late(refund({ status: 'failed' })), DEADLINE)).toEqual({ kind: 'refunding', refund: 'failed', amount: 53_100 });
    expect(paymentView(late(refund({ status: 'succeeded' })), DEADLINE)).toEqual({ kind: 'refunding', refund: 'succeeded', amount: 53_100 });
  });

  it('a refund listed on an expired payment counts even if the payment status lags', () => {
    expect(paymentView(booking({ status: 'expired', payment: payment({ status: 'expired', refunds: [refund({ amount: 100 })] }) }), DEADLINE)).toEqual({ kind: 'refunding', refund: 'pending', amount: 100 });
  });

  it('the least settled of several refunds decides (failed before pending before succeeded); amounts add up', () => {
    const two = (a: 'pending' | 'succeeded' | 'failed', b: 'pending' | 'succeeded' | 'failed') =>
      paymentView(booking({ status: 'expired', payment: payment({ status: 'captured', refunds: [refund({ id: 'a', status: a, amount: 100 }), refund({ id: 'b', status: b, amount: 200 })] }) }), DEADLINE);
    expect(two('succeeded', 'pending')).toEqual({ kind: 'refunding', refund: 'pending', amount: 300 });
    expect(two('succeeded', 'failed')).toEqual({ kind: 'refunding', refund: 'failed', amount: 300 });
    expect(two('succeeded', 'succeeded')).toEqual({ kind: 'refunding', refund: 'succeeded', amount: 300 });
  });

  it('cancelled: cancelled, whatever its payment', () => {
    expect(paymentView(booking({ status: 'cancelled', payment: payment({ status: 'captured', refunds: [refund({ reason: 'cancelled' })] }) }), T0)).toEqual({ kind: 'cancelled' });
    expect(paymentView(booking({ status: 'cancelled', payment: undefined }), T0)).toEqual({ kind: 'cancelled' });
  });
});

describe('returnState: the page the gateway sends the user back to', () => {
  const cases: [PaymentView | null, ReturnType<typeof returnState>][] = [
    [null, 'waiting'],
    [{ kind: 'due', expiresAt: DEADLINE, payUrl: 'u', declined: null, reopen: false }, 'waiting'],
    [{ kind: 'due', expiresAt: DEADLINE, payUrl: 'u', declined: 'Card declined', reopen: true }, 'declined'],
    [{ kind: 'deciding' }, 'waiting'],
    [{ kind: 'booked', paid: true }, 'paid'],
    [{ kind: 'booked', paid: false }, 'paid'],
    [{ kind: 'refunding', refund: 'pending', amount: 1 }, 'refunding'],
    [{ kind: 'refunding', refund: 'succeeded', amount: 1 }, 'refunding'],
    [{ kind: 'expired' }, 'expired'],
    [{ kind: 'cancelled' }, 'other'],
  ];
  it.each(cases)('%j → %s', (view, state) => expect(returnState(view)).toBe(state));
});

describe('newerBooking: news, a check\'s answer and a re-read arrive in any order', () => {
  const pending = booking();
  const paid = booking({ status: 'confirmed', payment: payment({ status: 'captured' }) });
  const expired = booking({ status: 'expired', payment: payment({ status: 'expired' }) });
  const refunding = booking({ status: 'expired', payment: payment({ status: 'captured', refunds: [refund()] }) });
  const refunded = booking({ status: 'expired', payment: payment({ status: 'captured', refunds: [refund({ status: 'succeeded' })] }) });
  const cancelled = booking({ status: 'cancelled', payment: payment({ status: 'captured', refunds: [refund({ reason: 'cancelled' })] }) });

  it('the first state shown is whatever arrives', () => expect(newerBooking(null, pending)).toBe(pending));
  it('a later pending state replaces a pending one (a decline, a fresh payUrl)', () => {
    const declined = booking({ payment: payment({ lastError: 'declined' }) });
    expect(newerBooking(pending, declined)).toBe(declined);
  });
  it('a stale pending answer never undoes paid, expired or cancelled', () => {
    for (const final of [paid, expired, cancelled]) expect(newerBooking(final, pending)).toBe(final);
  });
  it('paid or expired replaces pending; cancelled replaces paid but not the other way', () => {
    expect(newerBooking(pending, paid)).toBe(paid);
    expect(newerBooking(pending, expired)).toBe(expired);
    expect(newerBooking(paid, cancelled)).toBe(cancelled);
    expect(newerBooking(cancelled, paid)).toBe(cancelled);
  });
  it('a settled refund is not undone by an older pending one, and moves on to a settled one', () => {
    expect(newerBooking(refunding, refunded)).toBe(refunded);
    expect(newerBooking(refunded, refunding)).toBe(refunded);
  });
  it('another booking\'s state is taken as is (the caller filters by id)', () => {
    const other = booking({ id: 'bk_2' });
    expect(newerBooking(paid, other)).toBe(other);
  });
});

describe('declinedKey', () => {
  it('names the kind of a decline the gateway coded (card, UPI, netbanking, wallet); any other reason stays the gateway\'s words (null)', () => {
    expect(declinedKey('card_declined: the issuer declined the card')).toBe('payDeclined.card');
    expect(declinedKey('card_declined')).toBe('payDeclined.card');
    expect(declinedKey('upi_declined: the payer declined the collect request')).toBe('payDeclined.upi');
    expect(declinedKey('netbanking_declined: HDFC Bank declined the payment')).toBe('payDeclined.netbanking');
    expect(declinedKey('wallet_declined: Paytm declined the payment')).toBe('payDeclined.wallet');
    expect(declinedKey('Your card has insufficient funds.')).toBeNull();
    expect(declinedKey('card_declinedx')).toBeNull();
  });
});
