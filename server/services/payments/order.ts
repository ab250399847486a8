/**
 * `openOrder`: the gateway's order for a pending_payment booking (idempotent by our payment
 * id at the gateway), stored with its payUrl. A gateway that fails leaves payUrl null: the
 * booking stands and POST /api/bookings/:id/pay tries again.
 */
import type { BookingRecord } from '../../ports.js';
import { errorText, type PaymentDeps } from './deps.js';

export async function openOrder(deps: PaymentDeps, booking: BookingRecord): Promise<BookingRecord> {
  const p = booking.payment;
  if (booking.status !== 'pending_payment' || !p) return booking;
  if (p.payUrl && p.orderRef) return booking;
  try {
    const order = await deps.gateway.createOrder({
      paymentId: p.id,
      bookingId: booking.id,
      amount: p.amount,
      currency: p.currency,
      description: `${booking.show.movieTitle}, ${booking.seats.join(', ')}`,
      returnUrl: `${deps.publicUrl}/bookings/${booking.id}/paid`,
      expiresAt: Date.parse(p.expiresAt),
    });
    if (!(await deps.payments.setOrder(booking.id, order.orderRef, order.payUrl))) return (await deps.bookings.get(booking.id)) ?? booking;
    return { ...booking, payment: { ...p, orderRef: order.orderRef, payUrl: order.payUrl } };
  } catch (err) {
    deps.logger.warn({ err: errorText(err), bookingId: booking.id }, 'gateway order failed; the user can try again');
    return booking;
  }
}
