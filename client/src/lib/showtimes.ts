/** Showtime listings: availability words, seat filters kept in the URL, and the live refresh. */
import type { AvailabilityLevel, SeatKind, ShowSummary } from '../../../protocol/schemas.js';
import { SeatKind as SeatKinds } from '../../../protocol/schemas.js';
import { availabilityLevel } from '../../../server/domain/availability.js';
import type { MessageKey } from './messages.js';

export const KINDS = SeatKinds.options;
export const kindLabel: Record<SeatKind, MessageKey> = {
  standard: 'kindStandard',
  premium: 'kindPremium',
  recliner: 'kindRecliner',
  couple: 'kindCouple',
  vip: 'kindVip',
};
export const levelLabel: Record<AvailabilityLevel, MessageKey> = {
  plenty: 'availPlenty',
  filling: 'availFilling',
  almost_full: 'availAlmostFull',
  sold_out: 'availSoldOut',
};

/** The show's level by the shared rule (null when the listing did not say). */
export function levelOf(s: ShowSummary): AvailabilityLevel | null {
  return s.availability ? availabilityLevel(s.availability.free, s.capacity) : null;
}

export interface SeatFilter {
  kinds: SeatKind[];
  wheelchair: boolean;
}

/** `?seats=recliner,couple&wheelchair=1` → the filter (unknown kinds are dropped). */
export function filterFromQuery(q: URLSearchParams): SeatFilter {
  const kinds = (q.get('seats') ?? '').split(',').filter((k): k is SeatKind => (KINDS as readonly string[]).includes(k));
  return { kinds: [...new Set(kinds)], wheelchair: q.get('wheelchair') === '1' };
}

export function filterToQuery(f: SeatFilter, q: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(q);
  if (f.kinds.length) next.set('seats', f.kinds.join(','));
  else next.delete('seats');
  if (f.wheelchair) next.set('wheelchair', '1');
  else next.delete('wheelchair');
  return next;
}

/** Any of the chosen kinds (none chosen: any show), and wheelchair spaces when asked for. */
export function matches(s: ShowSummary, f: SeatFilter): boolean {
  return (f.kinds.length === 0 || f.kinds.some((k) => s.seatKinds.includes(k))) && (!f.wheelchair || s.wheelchair);
}

/**
 * How often an open listing asks again. The listing's counts come from the rooms when open or a
 * cache refreshed by the change feed, so a request is cheap; no show room is joined.
 */
export const REFRESH_MS = 15_000;

/** Calls `refresh` every REFRESH_MS while the page is visible, and at once when it becomes visible again. */
export function everyWhileVisible(refresh: () => void): () => void {
  const tick = () => document.visibilityState === 'visible' && refresh();
  const timer = setInterval(tick, REFRESH_MS);
  const onVisible = () => document.visibilityState === 'visible' && refresh();
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
