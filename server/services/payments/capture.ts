/**
 * `recordCapture`: the gateway says our payment was captured (its webhook, the user's return,
 * reconciliation, the sweeper's last question). Whatever the order and however often it
 * comes, the booking ends with exactly one outcome: confirmed (`markPaid`, or `rebookLate`
 * when the deadline had passed and the seats are still free) or refunded (`refundLate`).
 * A capture that is not the quote never books anything: it is refunded and flagged.
 */
import { onPaid, onRebooked } from '../../domain/loyalty.js';
import { captureVerdict, newRefund } from '../../domain/payments.js';
import type { BookingRecord, CaptureRecord, GatewayPaymentState } from '../../ports.js';
import { announce, iso, refundJobFor, type PaymentDeps } from './deps.js';
import { expireOne } from './expire.js';

export async function recordCapture(deps: PaymentDeps, bookingId: string, state: GatewayPaymentState): Promise<BookingRecord | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const booking = await deps.bookings.get(bookingId);
    if (!booking?.payment) return booking;
    const capture: CaptureRecord = { orderRef: state.orderRef, captureRef: state.captureRef, capturedAt: iso(deps.clock.now()) };
    const verdict = captureVerdict(booking, state);
    if (verdict === 'done') return booking;
    // A cancelled show takes no money: the booking ends first, and the capture is then a late one (refunded).
    if (verdict !== 'mismatch' && !(await deps.showOnSale(booking.showId))) {
      if (verdict === 'mark-paid') await expireOne(deps, bookingId, { now: true, askGateway: false });
      else if (await refundLate(deps, booking, capture)) return announce(deps, bookingId);
      continue;
    }
    const applied =
      verdict === 'mark-paid' ? await markPaid(deps, booking, capture) : verdict === 'late' ? await lateCapture(deps, booking, capture) : await refundMismatch(deps, booking, state);
    if (applied) return announce(deps, bookingId);
    // The booking moved meanwhile (expired, or another process applied it): judge again.
  }
  return deps.bookings.get(bookingId);
}

async function markPaid(deps: PaymentDeps, booking: BookingRecord, capture: CaptureRecord): Promise<boolean> {
  // The points it earns are credited in the same write as the payment.
  if (!(await deps.payments.markPaid(booking, capture, deps.clock.now(), booking.loyalty && onPaid(booking.loyalty)))) return false;
  deps.queued(`booking.confirmed:${booking.id}`);
  deps.logger.info({ bookingId: booking.id }, 'payment captured: booking confirmed');
  return true;
}

/** Money after the deadline: the seats again if every one is free (`rebookLate`), else all of it back (`refundLate`). */
async function lateCapture(deps: PaymentDeps, booking: BookingRecord, capture: CaptureRecord): Promise<boolean> {
  const now = deps.clock.now();
  const rebooked = await deps.payments.rebookLate({ booking, capture, now, at: deps.writeTime(), points: booking.loyalty && onRebooked(booking.loyalty) });
  if (rebooked.ok) {
    const entry = { status: 'booked' as const, userId: booking.userId, bookingId: booking.id, at: rebooked.at };
    await deps.rooms.changed(booking.showId, booking.seats.map((seatId) => ({ seatId, entry })));
    deps.queued(`booking.confirmed:${booking.id}`);
    deps.logger.info({ bookingId: booking.id }, 'late payment: seats still free, booked again');
    return true;
  }
  if (rebooked.reason === 'not-expired') return false;
  return refundLate(deps, booking, capture);
}

async function refundLate(deps: PaymentDeps, booking: BookingRecord, capture: CaptureRecord): Promise<boolean> {
  const now = deps.clock.now();
  const p = booking.payment!;
  const refund = newRefund(p, p.amount, 'late_payment', now);
  const job = refundJobFor(booking, refund, p.refunds.length, now, capture);
  if (!(await deps.payments.refundLate({ booking, capture, refund, job, now }))) return false;
  deps.queued(`booking.refunded:${booking.id}`);
  deps.logger.warn({ bookingId: booking.id }, 'late payment: seats gone or show cancelled, refunding in full');
  return true;
}

/** A capture that is not the quote (tampering, a gateway bug): refunded as it came, flagged, never booked. */
async function refundMismatch(deps: PaymentDeps, booking: BookingRecord, state: GatewayPaymentState): Promise<boolean> {
  const now = deps.clock.now();
  const p = booking.payment!;
  const refund = { ...newRefund(p, state.amount, 'mismatch', now), id: `rf_${p.id}_mismatch` };
  const job = { ...refundJobFor(booking, refund, p.refunds.length, now, state), currency: state.currency };
  const reason = `captured ${state.amount} ${state.currency}, the quote is ${p.amount} ${p.currency}`;
  await deps.payments.flag(booking.id, reason, now);
  deps.logger.error({ bookingId: booking.id, reason }, 'payment does not match the quote: refunding it, not booking');
  // Once per booking: a replay finds the refund promised already and changes nothing.
  await deps.payments.refundMismatch({ booking, refund, job });
  return true;
}

/** `recordDecline`: the attempt failed; the booking waits for another until its deadline. */
export async function recordDecline(deps: PaymentDeps, bookingId: string, error: string): Promise<BookingRecord | null> {
  if (await deps.payments.setDeclined(bookingId, error)) return announce(deps, bookingId);
  return deps.bookings.get(bookingId);
}
