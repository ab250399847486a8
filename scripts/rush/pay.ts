/**
 * Paying in the rush: a booking that comes back `pending_payment` is paid through the
 * test gateway's drive routes, as a customer on its page would (docs/test-gateway.md),
 * and the virtual user waits for the server's `booking:changed` saying `confirmed`.
 * A GET of the booking is the fallback when that message does not come.
 */
import type { Socket } from 'socket.io-client';
import type { Booking } from '../../protocol/index.js';
import { must, type Api } from './api.js';

export type DriveOutcome = 'succeed' | 'fail';

/** The order ref is the last path segment of `payUrl`; without one (no order yet) the drive routes take our payment id. */
export function orderRefOf(payment: NonNullable<Booking['payment']>): string {
  const last = payment.payUrl ? new URL(payment.payUrl).pathname.split('/').filter(Boolean).pop() : undefined;
  return last ?? payment.id;
}

/** Pays (`succeed`) or declines (`fail`) the booking's order at the test gateway; throws when the gateway refuses. */
export async function drivePayment(api: Api, booking: Booking, outcome: DriveOutcome): Promise<void> {
  const params = { path: { ref: orderRefOf(booking.payment!) } };
  await must(
    `test gateway ${outcome}`,
    outcome === 'fail'
      ? api.POST('/api/test-gateway/payments/{ref}/fail', { params, body: { reason: 'Declined by the rush (--decline)' } })
      : api.POST('/api/test-gateway/payments/{ref}/succeed', { params, body: {} }),
  );
}

/** Remembers when each of a user's bookings was first seen `confirmed` on its socket, and wakes whoever waits for it. */
export class BookingWatch {
  private readonly confirmedAt = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();

  constructor(socket: Socket) {
    socket.on('booking:changed', (m: { booking?: Booking }) => {
      const b = m?.booking;
      if (!b || b.status !== 'confirmed' || this.confirmedAt.has(b.id)) return;
      const at = performance.now();
      this.confirmedAt.set(b.id, at);
      this.waiters.get(b.id)?.(at);
      this.waiters.delete(b.id);
    });
  }

  /** performance.now() of the `booking:changed` receipt saying confirmed, or null after `timeoutMs`. */
  confirmed(bookingId: string, timeoutMs: number): Promise<number | null> {
    const seen = this.confirmedAt.get(bookingId);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const timer = setTimeout(() => (this.waiters.delete(bookingId), resolve(null)), timeoutMs);
      this.waiters.set(bookingId, (at) => (clearTimeout(timer), resolve(at)));
    });
  }
}

/**
 * The fallback: GET /api/bookings/:id until it says `confirmed` (true) or `until` passes (false).
 * `token()` gives the current access token; `renew()` renews it after a 401.
 */
export async function pollConfirmed(api: Api, bookingId: string, token: () => string, renew: () => Promise<void>, until: number): Promise<boolean> {
  while (Date.now() < until) {
    const { data, response } = await api.GET('/api/bookings/{id}', { params: { path: { id: bookingId } }, headers: { authorization: `Bearer ${token()}` } });
    if (response.status === 401) await renew();
    else if (data?.booking.status === 'confirmed') return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

export interface PaymentsVerify {
  /** Bookings of the run whose payment the gateway captured. */
  captured: number;
  /** Paid bookings now confirmed. */
  confirmed: number;
  /** Captured payments whose booking is not confirmed and that carry a refund (cancelled, or money after the deadline). */
  refunded: number;
  /** Bookings still waiting for money, and bookings whose time ran out. */
  pending: number;
  expired: number;
  /** captured = confirmed + refunded, and no confirmed booking without a captured payment. */
  ok: boolean;
}

/** Payments checked from the bookings as the server's API has them. */
export function verifyPayments(bookings: readonly Booking[]): PaymentsVerify {
  const paid = bookings.filter((b) => b.payment);
  const captured = paid.filter((b) => b.payment!.status === 'captured');
  const confirmed = captured.filter((b) => b.status === 'confirmed').length;
  const refunded = captured.filter((b) => b.status !== 'confirmed' && b.payment!.refunds.length > 0).length;
  const confirmedUnpaid = paid.filter((b) => b.status === 'confirmed' && b.payment!.status !== 'captured').length;
  return {
    captured: captured.length,
    confirmed,
    refunded,
    pending: bookings.filter((b) => b.status === 'pending_payment').length,
    expired: bookings.filter((b) => b.status === 'expired').length,
    ok: captured.length === confirmed + refunded && confirmedUnpaid === 0,
  };
}
