import { describe, expect, it } from 'vitest';
import type { ShowSummary } from '../../../protocol/schemas.js';
import { activeCount, filtersFromQuery, filtersToQuery, forAnotherCity, movieMatches, noFilters, showMatches } from './home-filters.js';

const show = (over: Partial<ShowSummary> = {}): ShowSummary => ({
  id: 's1',
  movie: { id: 'rrr', title: 'RRR' },
  theatre: { id: 'pvr-inorbit-mall-madhapur', name: 'PVR Inorbit Mall, Madhapur', address: 'Madhapur' },
  city: { id: 'hyderabad', name: 'Hyderabad' },
  screen: { id: 'x', name: 'Screen 1' },
  language: 'Telugu',
  startsAt: '2026-12-03T21:00:00+05:30',
  timeZone: 'Asia/Kolkata',
  currency: 'INR',
  prices: { classic: 18_000 },
  capacity: 100,
  seatKinds: ['standard', 'recliner'],
  wheelchair: false,
  ...over,
});

describe('home filters in the URL', () => {
  it('round-trip every filter, keep other parameters (date) and drop unknown values', () => {
    const q = new URLSearchParams('date=2026-12-03&language=Telugu&genre=Action&theatre=amb-cinemas-gachibowli&area=Gachibowli&time=night,morning,brunch&rating=4&seats=recliner,sofa&wheelchair=1&q=rr');
    const f = filtersFromQuery(q);
    expect(f).toEqual({
      language: 'Telugu',
      genre: 'Action',
      theatre: 'amb-cinemas-gachibowli',
      area: 'Gachibowli',
      times: ['morning', 'night'],
      minRating: 4,
      seats: { kinds: ['recliner'], wheelchair: true },
      q: 'rr',
    });
    expect(activeCount(f)).toBe(9);
    const back = filtersToQuery(f, new URLSearchParams('date=2026-12-03'));
    expect(filtersFromQuery(back)).toEqual(f);
    expect(back.get('date')).toBe('2026-12-03');
    expect(filtersToQuery(noFilters, back).toString()).toBe('date=2026-12-03');
    expect(filtersFromQuery(new URLSearchParams('rating=7')).minRating).toBeNull();
  });
});

describe('matching', () => {
  it('a show by language, theatre, area, theatre-local time of day and seat kind', () => {
    const s = show();
    expect(showMatches(s, noFilters)).toBe(true);
    expect(showMatches(s, { ...noFilters, language: 'Hindi' })).toBe(false);
    expect(showMatches(s, { ...noFilters, area: 'Madhapur', theatre: 'pvr-inorbit-mall-madhapur' })).toBe(true);
    expect(showMatches(s, { ...noFilters, area: 'Gachibowli' })).toBe(false);
    expect(showMatches(s, { ...noFilters, times: ['night'] })).toBe(true);
    expect(showMatches(s, { ...noFilters, times: ['evening'] })).toBe(false);
    // The same instant in a Dubai theatre is 19:30 there: evening.
    expect(showMatches(show({ startsAt: '2026-12-03T19:30:00+04:00', timeZone: 'Asia/Dubai' }), { ...noFilters, times: ['evening'] })).toBe(true);
    expect(showMatches(s, { ...noFilters, seats: { kinds: ['recliner'], wheelchair: false } })).toBe(true);
    expect(showMatches(s, { ...noFilters, seats: { kinds: ['couple'], wheelchair: false } })).toBe(false);
  });
  it('a movie by genre, title and minimum rating; an unrated movie fails any minimum', () => {
    const m = { title: 'RRR', genres: ['Action'] };
    const rated = { average: 4.2, count: 5, distribution: [0, 0, 1, 2, 2] };
    expect(movieMatches(m, rated, { ...noFilters, minRating: 4, genre: 'Action', q: 'rr' })).toBe(true);
    expect(movieMatches(m, rated, { ...noFilters, minRating: 4.5 })).toBe(false);
    expect(movieMatches(m, undefined, { ...noFilters, minRating: 3 })).toBe(false);
    expect(movieMatches(m, undefined, noFilters)).toBe(true);
    expect(movieMatches(m, rated, { ...noFilters, genre: 'Drama' })).toBe(false);
  });
});

describe('changing city', () => {
  it('drops the theatre and the area (they belong to the old city) and keeps every other filter', () => {
    const f = filtersFromQuery(new URLSearchParams('language=Telugu&genre=Drama&theatre=lotus&area=Lakeside&time=night&rating=4&seats=recliner&q=raga'));
    expect(forAnotherCity(f)).toEqual({ ...f, theatre: '', area: '' });
    expect(filtersToQuery(forAnotherCity(f), new URLSearchParams('date=2026-12-04')).toString()).toBe('date=2026-12-04&seats=recliner&language=Telugu&genre=Drama&time=night&rating=4&q=raga');
  });
});
