/**
 * "Never strand a single free seat" on the client, with the server's own rules
 * (server/domain/seat-pick.ts): what the user's held seats leave alone, and the fix.
 */
import type { Seat, SeatStatus } from '../../../protocol/schemas.js';
import { prepareHall, strandFix, strandedSingles, type Hall } from '../../../server/domain/seat-pick.js';

export interface StrandCheck {
  /** Free seats the user's seats leave on their own. */
  stranded: string[];
  /** Seats of the same number nearby that strand nobody, or null. */
  fix: string[] | null;
}

let last: { seats: readonly Seat[]; hall: Hall } | null = null;
/** One Hall per seat list (a show's layout). */
export function hallOf(seats: readonly Seat[]): Hall {
  if (last?.seats !== seats) last = { seats, hall: prepareHall(seats) };
  return last.hall;
}

export function checkStrands(seats: readonly Seat[], status: readonly SeatStatus[], mine: readonly string[]): StrandCheck {
  if (mine.length === 0 || seats.length === 0) return { stranded: [], fix: null };
  const hall = hallOf(seats);
  const own = new Set(mine);
  // Others' seats: held or booked by someone else (our own read "held" too).
  const taken = (i: number) => status[i] !== 'free' && !own.has(seats[i]!.id);
  const stranded = strandedSingles(hall, taken, mine);
  if (stranded.length === 0) return { stranded, fix: null };
  const fix = strandFix(hall, taken, mine);
  return { stranded, fix: fix && fix.some((id) => !own.has(id)) ? fix : null };
}
