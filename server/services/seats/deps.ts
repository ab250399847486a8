/** What the seat operations need; wired once in createApp. */
import type { HoldPolicy } from '../../domain/holds.js';
import type { RefundPolicy } from '../../domain/refunds.js';
import { fail } from '../../domain/result.js';
import type { GatewayName } from '../../domain/payments.js';
import type { BookingRecord, BookingStore, Clock, LoyaltyStore, NewNotification, SeatStore } from '../../ports.js';
import type { Rooms } from '../../rooms/rooms.js';
import type { ShowRoom } from '../../rooms/show-room.js';
import type { Catalog } from '../catalog.js';

export interface SeatDeps {
  rooms: Rooms;
  seats: SeatStore;
  bookings: BookingStore;
  /** Loyalty balances (read to price points; every write goes with the booking's own). */
  loyalty: LoyaltyStore;
  catalog: Catalog;
  clock: Clock;
  policy: HoldPolicy;
  refundPolicy: RefundPolicy;
  /** The time stamped on a seat write (`at`): never the same twice in this process, and after `atLeast`. */
  writeTime: (atLeast?: number) => number;
  /** A booking's id from its owner and idempotency key: the same key always names the same booking. */
  bookingIdFor: (userId: string, idempotencyKey: string) => string;
  /** A notification was queued in the outbox with the write: deliver it now if possible. */
  queued?: (notificationId: string) => void;
  /** The booking's confirmation, written already claimed by this process (see outboxItem): send it now. */
  confirmed?: (note: NewNotification, now: number) => void;
  /** Set with a payment gateway: confirming starts a payment (pending_payment) instead of booking at once. */
  payment?: {
    gateway: GatewayName;
    windowMs: number;
    /** `openOrder`: the gateway's order and payUrl for the new booking (payUrl null when the gateway failed). */
    openOrder: (booking: BookingRecord) => Promise<BookingRecord>;
    /** A refund was promised: carry it out now if possible. */
    refundQueued?: () => void;
  };
  /** Signs ticket codes for the bookings returned. */
  ticketCode?: (bookingId: string) => string;
}

export const iso = (ms: number) => new Date(ms).toISOString();

export const notFound = () => fail('NOT_FOUND', { message: 'That show does not exist or is no longer on sale.', reason: 'show_not_found' });

export const seatTaken = (seatIds: string[]) =>
  fail('SEAT_TAKEN', {
    message: `Seat${seatIds.length > 1 ? 's' : ''} ${seatIds.join(', ')} ${seatIds.length > 1 ? 'were' : 'was'} just taken. Please pick others.`,
    seatIds,
  });

/** Write times that keep one process's writes to a seat in order even within one millisecond. */
export function createWriteClock(clock: Clock): (atLeast?: number) => number {
  let last = 0;
  return (atLeast = 0) => (last = Math.max(clock.now(), last + 0.001, atLeast));
}

/** A write time after every change the room knows of these seats (another process's clock may be ahead). */
export function stampFor(deps: SeatDeps, room: ShowRoom, seatIds: string[]): number {
  return deps.writeTime(Math.max(0, ...seatIds.map((id) => (room.state.entry(id)?.at ?? 0) + 0.001)));
}
