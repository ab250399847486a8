/**
 * How full a show looks at a glance, from its free seats: the one rule the listing (server)
 * and the showtimes (client) share. Shares are compared in integers so the boundaries are exact.
 */
import type { AvailabilityLevel } from '../../protocol/index.js';

/** Free seats at or below this share of the hall: "filling fast". */
export const FILLING_PERCENT = 40;
/** Free seats at or below this share of the hall: "almost full". */
export const ALMOST_FULL_PERCENT = 10;

export function availabilityLevel(free: number, capacity: number): AvailabilityLevel {
  if (free <= 0 || capacity <= 0) return 'sold_out';
  if (free * 100 <= capacity * ALMOST_FULL_PERCENT) return 'almost_full';
  if (free * 100 <= capacity * FILLING_PERCENT) return 'filling';
  return 'plenty';
}
