/**
 * `expireUnpaid` (the sweeper's rounds): bookings still pending_payment past their deadline.
 * The gateway is asked first (money may be there without its webhook: then it is a capture);
 * otherwise the booking and its payment expire and its seats are freed and announced, in one
 * transaction, with a short mail. Money that comes after this is `recordCapture`'s late path.
 */
import { onExpired } from '../../domain/loyalty.js';
import { paymentOverdue } from '../../domain/payments.js';
import type { BookingRecord } from '../../ports.js';
import { recordCapture } from './capture.js';
import { announce, errorText, type PaymentDeps } from './deps.js';

export async function expireUnpaid(deps: PaymentDeps, limit = 25): Promise<number> {
  const ids = await deps.payments.overdue(deps.clock.now(), limit);
  const done = await Promise.all(ids.map((id) => expireOne(deps, id).catch((err) => (deps.logger.warn({ err: errorText(err), bookingId: id }, 'expiring an unpaid booking failed; will retry'), false))));
  return done.filter(Boolean).length;
}

/** Expires one unpaid booking; `now`: before its deadline (its show was cancelled). */
export async function expireOne(deps: PaymentDeps, bookingId: string, opts: { now?: boolean; askGateway?: boolean } = {}): Promise<boolean> {
  const booking = await deps.bookings.get(bookingId);
  if (!booking?.payment || booking.status !== 'pending_payment') return false;
  if (!opts.now && !paymentOverdue(booking.payment, deps.clock.now())) return false;
  if (opts.askGateway !== false && (await capturedAtGateway(deps, booking))) return false;
  const seats = await Promise.all(booking.seats.map((id) => deps.seats.seat(booking.showId, id)));
  const mine = seats.filter((s) => s?.status === 'booked' && s.bookingId === booking.id);
  const now = deps.clock.now();
  const at = await deps.payments.expire({
    booking,
    seatIds: mine.map((s) => s!.seatId),
    now,
    at: deps.writeTime(Math.max(0, ...mine.map((s) => (s!.at ?? 0) + 0.001))),
    watchUntil: now + deps.lateWatchMs,
    points: booking.loyalty && onExpired(booking.loyalty), // the points it used come back
  });
  if (at === null) return false;
  await deps.rooms.changed(booking.showId, mine.map((s) => ({ seatId: s!.seatId, entry: { status: 'free' as const, at } })));
  deps.queued(`booking.expired:${booking.id}`);
  deps.logger.info({ bookingId, seats: mine.length }, 'unpaid booking expired; seats released');
  await announce(deps, bookingId);
  return true;
}

/** The gateway has the money after all: applied as a capture, and the booking is not expired. */
async function capturedAtGateway(deps: PaymentDeps, booking: BookingRecord): Promise<boolean> {
  const orderRef = booking.payment?.orderRef;
  if (!orderRef) return false;
  try {
    const state = await deps.gateway.status(orderRef);
    if (state.state !== 'captured') return false;
    await recordCapture(deps, booking.id, state);
    return true;
  } catch (err) {
    // Expiring is safe without the answer: money that did come is booked or refunded later.
    deps.logger.warn({ err: errorText(err), bookingId: booking.id }, 'gateway status failed before expiry; expiring anyway');
    return false;
  }
}
