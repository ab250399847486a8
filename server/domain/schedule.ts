/** Schedule rules for staff (pure): no shows in the past, none overlapping on a screen. */
import type { Finding } from './layout.js';

export const CLEANING_GAP_MINUTES = 20;

export interface ScheduledShow {
  id: string;
  screenId: string;
  startsAt: number;
  runtimeMinutes: number;
}

/** Occupied from start to end of the film plus the cleaning gap. */
const endOf = (s: ScheduledShow, gapMinutes: number) => s.startsAt + (s.runtimeMinutes + gapMinutes) * 60_000;

export function scheduleProblems(
  show: ScheduledShow,
  others: ScheduledShow[],
  now: number,
  gapMinutes = CLEANING_GAP_MINUTES,
): Finding[] {
  const problems: Finding[] = [];
  if (show.startsAt <= now) problems.push({ reason: 'starts_in_past', message: 'The start time is in the past.' });
  for (const other of others) {
    if (other.id === show.id || other.screenId !== show.screenId) continue;
    const overlaps = show.startsAt < endOf(other, gapMinutes) && other.startsAt < endOf(show, gapMinutes);
    if (overlaps) {
      problems.push({
        reason: 'overlaps_show',
        params: { show: other.id, startsAt: new Date(other.startsAt).toISOString(), gapMinutes },
        message: `Overlaps show ${other.id} on this screen (runtime plus a ${gapMinutes}-minute cleaning gap).`,
      });
    }
  }
  return problems;
}

/** Booked seats a new layout would drop: a layout in use may not lose them. */
export function droppedBookedSeats(bookedSeatIds: Iterable<string>, newSeatIds: Set<string>): string[] {
  return [...new Set(bookedSeatIds)].filter((id) => !newSeatIds.has(id)).sort();
}
