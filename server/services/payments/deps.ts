/** What the payment steps need; wired once in createApp (only when a gateway is configured). */
import type { Logger } from 'pino';
import type { BookingRecord, BookingStore, Clock, PaymentGateway, PaymentStore, RefundJob, RefundRecord, SeatStore } from '../../ports.js';
import type { Rooms } from '../../rooms/rooms.js';

export interface PaymentDeps {
  gateway: PaymentGateway;
  payments: PaymentStore;
  bookings: BookingStore;
  seats: Pick<SeatStore, 'seat'>;
  rooms: Pick<Rooms, 'changed'>;
  clock: Clock;
  writeTime: (atLeast?: number) => number;
  logger: Logger;
  publicUrl: string;
  /** How long an expired booking is still asked about (money that comes late). */
  lateWatchMs: number;
  /** How long one worker has a refund to itself. */
  refundLeaseMs: number;
  /** The owner's sockets learn the booking's status or payment moved. */
  changed: (booking: BookingRecord) => void;
  /** A notification was queued with the write: deliver it now if possible. */
  queued: (notificationId: string) => void;
  /** The show still takes bookings (not cancelled, not started). */
  showOnSale: (showId: string) => Promise<boolean>;
  /** This process's name for leases (reconciliation). */
  owner: string;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** Reads the booking again and tells its owner; answers it. */
export async function announce(deps: PaymentDeps, bookingId: string): Promise<BookingRecord | null> {
  const booking = await deps.bookings.get(bookingId);
  if (booking) deps.changed(booking);
  return booking;
}

/** The job that carries `refund` (the `index`-th of the booking's refunds) out at the gateway. */
export function refundJobFor(
  booking: BookingRecord,
  refund: RefundRecord,
  index: number,
  now: number,
  /** The capture's references when they are newer than the booking's (a late or mismatched capture). */
  refs: { orderRef?: string; captureRef?: string } = {},
): RefundJob {
  const p = booking.payment!;
  return {
    refundId: refund.id,
    bookingId: booking.id,
    index,
    amount: refund.amount,
    currency: p.currency,
    orderRef: refs.orderRef ?? p.orderRef ?? '',
    captureRef: refs.captureRef ?? p.captureRef ?? '',
    attempts: 0,
    nextAttemptAt: now,
  };
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);
