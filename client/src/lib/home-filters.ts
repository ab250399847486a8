/**
 * The home page's filters, kept in the URL (shareable; the back button undoes one change):
 * `?language=Telugu&genre=Action&theatre=<id>&area=Madhapur&time=morning,night&rating=4&seats=recliner&wheelchair=1&q=rrr`.
 * Show filters (language, theatre, area, time of day, seats) pick the shows a card is built from;
 * movie filters (genre, rating, title) pick the cards.
 */
import type { RatingSummary } from '../../../protocol/reviews.js';
import type { ShowSummary } from '../../../protocol/schemas.js';
import { areaOf } from '../../../server/domain/search.js';
import { TIMES_OF_DAY, timeOfDay, type TimeOfDay } from '../../../server/domain/show-time.js';
import type { MessageKey } from './messages.js';
import { filterFromQuery, filterToQuery, matches as seatsMatch, type SeatFilter } from './showtimes.js';

export { areaOf, TIMES_OF_DAY, type TimeOfDay };

export interface HomeFilters {
  language: string;
  genre: string;
  theatre: string;
  area: string;
  times: TimeOfDay[];
  /** Lowest average rating (out of 5) a movie must have; null: any, unrated ones included. */
  minRating: number | null;
  seats: SeatFilter;
  /** Part of the title. */
  q: string;
}

export const RATING_STEPS = [3, 3.5, 4, 4.5] as const;

export const timeLabel: Record<TimeOfDay, { name: MessageKey; range: MessageKey }> = {
  morning: { name: 'filters.morning', range: 'filters.morningRange' },
  afternoon: { name: 'filters.afternoon', range: 'filters.afternoonRange' },
  evening: { name: 'filters.evening', range: 'filters.eveningRange' },
  night: { name: 'filters.night', range: 'filters.nightRange' },
};

const text = (q: URLSearchParams, key: string, max = 100) => (q.get(key) ?? '').trim().slice(0, max);

/** Unknown times of day, seat kinds and ratings off the scale are dropped, not errors: an old link still opens. */
export function filtersFromQuery(q: URLSearchParams): HomeFilters {
  const times = (q.get('time') ?? '').split(',').filter((x): x is TimeOfDay => (TIMES_OF_DAY as readonly string[]).includes(x));
  const rating = Number(q.get('rating'));
  return {
    language: text(q, 'language', 40),
    genre: text(q, 'genre', 40),
    theatre: text(q, 'theatre'),
    area: text(q, 'area'),
    times: TIMES_OF_DAY.filter((x) => times.includes(x)),
    minRating: (RATING_STEPS as readonly number[]).includes(rating) ? rating : null,
    seats: filterFromQuery(q),
    q: q.get('q')?.slice(0, 100) ?? '',
  };
}

/** `q` with the filters written over it (other parameters, such as `date`, are kept); empty ones are left out. */
export function filtersToQuery(f: HomeFilters, q: URLSearchParams): URLSearchParams {
  const next = filterToQuery(f.seats, q);
  const put = (key: string, value: string) => (value ? next.set(key, value) : next.delete(key));
  put('language', f.language);
  put('genre', f.genre);
  put('theatre', f.theatre);
  put('area', f.area);
  put('time', f.times.join(','));
  put('rating', f.minRating === null ? '' : String(f.minRating));
  put('q', f.q);
  return next;
}

export const noFilters: HomeFilters = {
  language: '',
  genre: '',
  theatre: '',
  area: '',
  times: [],
  minRating: null,
  seats: { kinds: [], wheelchair: false },
  q: '',
};

/** The filters for another city: its theatres and areas are not this one's, so those two go; the rest still mean the same. */
export function forAnotherCity(f: HomeFilters): HomeFilters {
  return { ...f, theatre: '', area: '' };
}

/** How many filters are set (the title box included), for the "Filters (3)" button. */
export function activeCount(f: HomeFilters): number {
  return [f.language, f.genre, f.theatre, f.area, f.times.length, f.minRating !== null, f.seats.kinds.length, f.seats.wheelchair, f.q.trim()].filter(Boolean).length;
}

/** The show passes the language, theatre, area, time-of-day (theatre-local) and seat filters. */
export function showMatches(s: ShowSummary, f: HomeFilters): boolean {
  return (
    (!f.language || s.language === f.language) &&
    (!f.theatre || s.theatre.id === f.theatre) &&
    (!f.area || areaOf(s.theatre.name) === f.area) &&
    (f.times.length === 0 || f.times.includes(timeOfDay(Date.parse(s.startsAt), s.timeZone))) &&
    seatsMatch(s, f.seats)
  );
}

/** The movie passes the genre, rating and title filters; an unrated movie fails any minimum rating. */
export function movieMatches(m: { title: string; genres: string[] }, rating: RatingSummary | undefined, f: HomeFilters): boolean {
  const q = f.q.trim().toLowerCase();
  return (
    (!f.genre || m.genres.includes(f.genre)) &&
    (f.minRating === null || (rating?.average != null && rating.count > 0 && rating.average >= f.minRating)) &&
    (!q || m.title.toLowerCase().includes(q))
  );
}
