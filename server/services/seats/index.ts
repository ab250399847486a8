/**
 * The seat operations bound to their dependencies, for the transports. Each one is a named
 * function in its own module (hold.ts, release.ts, confirm.ts, cancel.ts, read.ts).
 */
import type { ConfirmRequest, HoldBestRequest, HoldRequest, ReleaseRequest } from '../../../protocol/index.js';
import type { BookingRecord } from '../../ports.js';
import { cancelBooking, refundPreview } from './cancel.js';
import { confirmBooking } from './confirm.js';
import type { SeatDeps } from './deps.js';
import { holdBest } from './hold-best.js';
import { holdSeats } from './hold.js';
import { quoteOf, seatMapOf, snapshotOf } from './read.js';
import { releaseAll, releaseSeats } from './release.js';

export { publicBooking } from './confirm.js';
export { createWriteClock, type SeatDeps } from './deps.js';

export function createSeatService(deps: SeatDeps) {
  return {
    hold: (userId: string, req: HoldRequest) => holdSeats(deps, userId, req),
    holdBest: (userId: string, req: HoldBestRequest) => holdBest(deps, userId, req),
    release: (userId: string, req: ReleaseRequest) => releaseSeats(deps, userId, req),
    releaseAll: (userId: string, showId: string) => releaseAll(deps, userId, showId),
    confirm: (user: { id: string }, req: ConfirmRequest) => confirmBooking(deps, user, req),
    cancel: (actor: { id: string }, bookingId: string, canManage?: boolean, wholeShow?: { refund: { percent: number; amount: number } }) =>
      cancelBooking(deps, actor, bookingId, canManage, wholeShow),
    refundPreview: (booking: BookingRecord) => refundPreview(deps, booking),
    seatMap: (showId: string) => seatMapOf(deps, showId),
    snapshot: (showId: string, userId: string | null) => snapshotOf(deps, showId, userId),
    quote: (showId: string, seatIds: string[], caller?: { userId: string; usePoints: number }) => quoteOf(deps, showId, seatIds, caller),
  };
}
export type SeatService = ReturnType<typeof createSeatService>;
