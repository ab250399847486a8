/**
 * Cancelling a booking (its owner, or staff): seats freed and announced, refund by the
 * policy (staff cancelling a show refund in full), notice queued. Cancelling again answers the same.
 * A ticket used at the door cannot be cancelled (TICKET_USED), unless the whole show is.
 */
import { onCancelled } from '../../domain/loyalty.js';
import { newRefund, refundable } from '../../domain/payments.js';
import { refundFor } from '../../domain/refunds.js';
import { refundJobFor } from '../payments/deps.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { BookingRecord } from '../../ports.js';
import type { SeatDeps } from './deps.js';

export async function cancelBooking(
  deps: SeatDeps,
  actor: { id: string },
  bookingId: string,
  canManage = false,
  /** Staff cancelling the whole show: a full refund whatever the policy, checked-in tickets too (the show did not happen). */
  wholeShow?: { refund: { percent: number; amount: number } },
): Promise<Result<{ booking: BookingRecord }>> {
  const booking = await deps.bookings.get(bookingId);
  if (!booking || (booking.userId !== actor.id && !canManage)) return fail('NOT_FOUND', { message: 'No such booking.', reason: 'booking_not_found' });
  if (booking.status === 'cancelled') return ok({ booking });
  if (booking.usedAt && !wholeShow) return fail('TICKET_USED');
  const now = deps.clock.now();
  const startsAt = await showStart(deps, booking);
  if (now >= startsAt) return fail('SHOW_CLOSED', { message: 'This show has already started; the booking can no longer be cancelled.', reason: 'cancel_closed' });
  const refund = wholeShow?.refund ?? refundFor({ total: booking.total, startsAt, now, policy: deps.refundPolicy });
  const payment = gatewayRefund(booking, refund.amount, wholeShow ? 'show_cancelled' : 'cancelled', now);
  // The store's condition, not the check above, is what keeps a ticket checked in meanwhile from a refund.
  const write = await cancelWithPoints(deps, booking, (points) => deps.seats.cancel({ booking, refund, now, at: deps.writeTime(), unusedOnly: !wholeShow, payment, points }), refund.percent);
  if (!write.ok) {
    const current = await deps.bookings.get(bookingId); // cancelled meanwhile (another tab, staff), or checked in
    if (current?.status === 'confirmed' && current.usedAt) return fail('TICKET_USED');
    return current ? ok({ booking: current }) : fail('NOT_FOUND', { message: 'No such booking.', reason: 'booking_not_found' });
  }
  await deps.rooms.changed(booking.showId, booking.seats.map((seatId) => ({ seatId, entry: { status: 'free', at: write.at } })));
  deps.queued?.(`booking.cancelled:${booking.id}`);
  if (payment) deps.payment?.refundQueued?.();
  const paid = payment ? { payment: { ...booking.payment!, refunds: [...booking.payment!.refunds, payment.refund] } } : {};
  return ok({ booking: { ...booking, status: 'cancelled', cancelledAt: write.cancelledAt, refund, ...paid } });
}

/**
 * The cancellation with its points: those used back by the refund percent, those earned taken
 * back as far as the balance allows. Computed from the balance read just before; when another
 * write moved the balance meanwhile (the store's condition says so), read and write again.
 */
async function cancelWithPoints<T extends { ok: boolean; reason?: string }>(
  deps: SeatDeps,
  booking: BookingRecord,
  cancel: (points: ReturnType<typeof onCancelled>) => Promise<T>,
  percent: number,
): Promise<T> {
  if (!booking.loyalty) return cancel(null);
  for (let attempt = 0; attempt < 20; attempt++) {
    const write = await cancel(onCancelled(booking.loyalty, percent, await deps.loyalty.balance(booking.userId)));
    if (write.ok || write.reason !== 'points') return write;
  }
  // The balance kept moving: take back only what needs nothing of it (the cancellation itself never waits on points).
  return cancel(onCancelled(booking.loyalty, percent, 0));
}

/** A paid booking's refund through the gateway (none when the policy gives nothing back). */
function gatewayRefund(booking: BookingRecord, amount: number, reason: 'cancelled' | 'show_cancelled', now: number) {
  const p = booking.payment;
  const due = p ? Math.min(amount, refundable(p)) : 0;
  if (!p || due <= 0) return undefined;
  const refund = newRefund(p, due, reason, now);
  return { refund, job: refundJobFor(booking, refund, p.refunds.length, now) };
}

/** What cancelling now would refund; null once the show has started, the ticket was used or the booking is not confirmed. */
export async function refundPreview(deps: SeatDeps, booking: BookingRecord): Promise<{ percent: number; amount: number } | null> {
  if (booking.status !== 'confirmed' || booking.usedAt) return null;
  const startsAt = await showStart(deps, booking);
  const now = deps.clock.now();
  return now >= startsAt ? null : refundFor({ total: booking.total, startsAt, now, policy: deps.refundPolicy });
}

/** The show's own start (the booking's copy is a display string without milliseconds). */
async function showStart(deps: SeatDeps, booking: BookingRecord): Promise<number> {
  return (await deps.catalog.showContext(booking.showId))?.window.startsAt ?? Date.parse(booking.show.startsAt);
}
