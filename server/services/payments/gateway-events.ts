/**
 * What the gateway tells us, from its webhook (signed: checked by the gateway adapter) or
 * from its status answer when the user comes back: either one alone is enough, both are
 * fine, and a replay changes nothing twice (recordCapture judges the booking as it stands).
 */
import { bookingIdOfPayment } from '../../domain/payments.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { BookingRecord, GatewayPaymentState } from '../../ports.js';
import { recordCapture, recordDecline } from './capture.js';
import { errorText, type PaymentDeps } from './deps.js';
import { openOrder } from './order.js';

/** `POST /api/payments/webhook/:gateway`: a forged or unsigned body → VALIDATION and nothing changes. */
export async function receiveWebhook(
  deps: PaymentDeps,
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
): Promise<Result<{ received: true }>> {
  const event = deps.gateway.parseWebhook(rawBody, headers);
  if (!event) return fail('VALIDATION', { message: 'The webhook signature is missing or not valid.' });
  const bookingId = bookingIdOfPayment(event.paymentId);
  if (!bookingId) return fail('VALIDATION', { message: 'The webhook names no payment of ours.' });
  deps.logger.info({ bookingId, event: event.eventId, state: event.state }, 'payment webhook');
  await applyState(deps, bookingId, event);
  return ok({ received: true });
}

/** `POST /api/bookings/:id/payment/check` (the user came back): the gateway's word, applied. */
export async function checkPayment(deps: PaymentDeps, booking: BookingRecord): Promise<BookingRecord> {
  const orderRef = booking.payment?.orderRef;
  if (!orderRef) return booking.status === 'pending_payment' ? openOrder(deps, booking) : booking;
  if (booking.payment!.status === 'captured') return booking;
  try {
    return (await applyState(deps, booking.id, await deps.gateway.status(orderRef))) ?? booking;
  } catch (err) {
    deps.logger.warn({ err: errorText(err), bookingId: booking.id }, 'gateway status failed on return; the webhook or reconciliation will tell');
    return booking;
  }
}

async function applyState(deps: PaymentDeps, bookingId: string, state: GatewayPaymentState): Promise<BookingRecord | null> {
  if (state.state === 'captured') return recordCapture(deps, bookingId, state);
  if (state.state === 'failed') return recordDecline(deps, bookingId, state.error ?? 'declined');
  return deps.bookings.get(bookingId);
}
