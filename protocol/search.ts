/** The one search box: `GET /api/search?q=&city=` (movies, theatres, areas and cities). */
import { z } from 'zod';
import { CityRef, Id } from './schemas.js';

export const SEARCH_LIMIT = 10;

export const SearchQuery = z.object({
  /** What the person typed; spelling and transliteration are forgiven ("bahubali", "oppenhiemer"). */
  q: z.string().trim().min(1).max(100),
  /** A city id or name: its theatres only, and movies showing there first. */
  city: z.string().trim().min(1).max(80).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const MovieHit = z.object({
  id: Id,
  title: z.string(),
  languages: z.array(z.string()),
  genres: z.array(z.string()),
  /** Has a show in the coming days (in the chosen city, or anywhere without one). */
  showing: z.boolean(),
  /** Viewers' average (one decimal) and how many rated it; null before anyone has. */
  rating: z.object({ average: z.number(), count: z.number().int().positive() }).nullable(),
});
export type MovieHit = z.infer<typeof MovieHit>;

export const TheatreHit = z.object({
  id: Id,
  name: z.string(),
  address: z.string(),
  city: CityRef,
});
export type TheatreHit = z.infer<typeof TheatreHit>;

/** Best first, at most SEARCH_LIMIT of each. */
export const SearchResults = z.object({
  movies: z.array(MovieHit).max(SEARCH_LIMIT),
  theatres: z.array(TheatreHit).max(SEARCH_LIMIT),
});
export type SearchResults = z.infer<typeof SearchResults>;
