/**
 * Book again on the seat page: the booking's seats on this show if free, else the nearest like
 * them, by the server's own rules (server/domain/seat-pick.ts seatsLike); the page then holds
 * them through the usual seat:hold.
 */
import type { Booking, Seat, SeatStatus } from '../../../protocol/schemas.js';
import { seatsLike, type LikeResult } from '../../../server/domain/seat-pick.js';
import { hallOf } from './strand-check.js';

export function pickAgain(seats: readonly Seat[], status: readonly SeatStatus[], booking: Pick<Booking, 'lines'>, mine: readonly string[]): LikeResult {
  if (seats.length === 0 || booking.lines.length === 0) return { ok: false, reason: 'sold_out' };
  const own = new Set(mine);
  const taken = (i: number) => status[i] !== 'free' && !own.has(seats[i]!.id);
  return seatsLike(hallOf(seats), taken, booking.lines.map(({ seatId, category }) => ({ seatId, category })));
}
