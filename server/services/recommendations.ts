/**
 * "For you": the recommender (domain/recommend.ts) fed from the store. Per city, the model
 * (co-bookings of everyone who booked the city's shows of the last and the coming 7 days, with
 * their ratings) and the week's popularity are rebuilt at most every `ttlMs`; the user's own
 * bookings and ratings are read fresh on every request, so a booking shows at once.
 *
 * Cost of a rebuild: one showsOn per day (14), one listByShow per show in those days and one
 * review list per movie booked: Hyderabad's demo week is 572 shows, about 2 s on DynamoDB Local on a
 * busy 2-core box, so the first request of a city waits for it (unless `warm` built it at start,
 * as main.ts does) and later rebuilds serve the previous model.
 */
import type { RecommendationReason, RecommendationsResponse, RecommendedMovie } from '../../protocol/recommendations.js';
import { RECOMMENDATION_LIMIT } from '../../protocol/recommendations.js';
import { buildModel, recommend, type MovieContent, type PastBooking, type RecModel, type RecReason, type UserHistory } from '../domain/recommend.js';
import { addDays, localDate } from '../domain/show-time.js';
import type { BookingStore, CatalogStore, CityRecord, Clock, MovieRecord, ReviewStore } from '../ports.js';
import type { Catalog } from './catalog.js';

export interface RecommendationDeps {
  catalog: Pick<Catalog, 'cities' | 'movies' | 'showContext'>;
  store: Pick<CatalogStore, 'showsOn'>;
  bookings: Pick<BookingStore, 'listByUser' | 'listByShow'>;
  reviews: Pick<ReviewStore, 'list' | 'get'>;
  clock: Clock;
  /** How long a city's model and popularity are reused. */
  ttlMs?: number;
}

interface CityModel {
  candidates: string[];
  popularity: Record<string, number>;
  model: RecModel;
}

const DAY_MS = 86_400_000;
const WEEK_DAYS = 7;
/** Store reads in flight at once while a model is rebuilt (the box and the store are shared). */
const READ_CONCURRENCY = 16;
/** The page's language as a film language the user told us (English pages say nothing about it). */
const LANGUAGE_OF_PAGE: Record<string, string | undefined> = { hi: 'Hindi', te: 'Telugu' };

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const contentOf = (m: MovieRecord): MovieContent => ({ id: m.id, languages: m.languages, genres: m.genres, cast: m.cast });

export function createRecommendations(deps: RecommendationDeps) {
  const { catalog, store, bookings, reviews, clock, ttlMs = 5 * 60_000 } = deps;
  const byCity = new Map<string, { at: number; value: Promise<CityModel> }>();

  async function buildCityModel(city: CityRecord): Promise<CityModel> {
    const now = clock.now();
    const today = localDate(now, city.timeZone);
    const days = Array.from({ length: 2 * WEEK_DAYS }, (_, i) => addDays(today, i - WEEK_DAYS));
    const shows = (await mapLimited(days, READ_CONCURRENCY, (d) => store.showsOn(city.id, d))).flat();
    const candidates = [...new Set(shows.filter((s) => s.status === 'scheduled' && s.startsAt > now && s.localDate >= today).map((s) => s.movieId))];
    const movieOfShow = new Map(shows.map((s) => [s.id, s.movieId]));
    const booked = (await mapLimited(shows, READ_CONCURRENCY, (s) => bookings.listByShow(s.id))).flat().filter((b) => b.status === 'confirmed');

    const popularity: Record<string, number> = {};
    const weekAgo = now - WEEK_DAYS * DAY_MS;
    for (const b of booked) {
      const movieId = movieOfShow.get(b.showId)!;
      if (Date.parse(b.createdAt) >= weekAgo) popularity[movieId] = (popularity[movieId] ?? 0) + 1;
    }

    const movieIds = [...new Set(booked.map((b) => movieOfShow.get(b.showId)!))];
    const ratingLists = await mapLimited(movieIds, READ_CONCURRENCY, (id) => reviews.list(id));
    const rating = new Map(ratingLists.flat().filter((r) => !r.hidden).map((r) => [`${r.movieId}|${r.authorId}`, r.rating]));
    const histories = new Map<string, PastBooking[]>();
    for (const b of booked) {
      const movieId = movieOfShow.get(b.showId)!;
      const list = histories.get(b.userId) ?? [];
      list.push({ movieId, at: Date.parse(b.createdAt), rating: rating.get(`${movieId}|${b.userId}`) });
      histories.set(b.userId, list);
    }
    const all: UserHistory[] = [...histories].map(([userId, list]) => ({ userId, bookings: list }));
    return { candidates, popularity, model: buildModel(all) };
  }

  function cityModel(city: CityRecord): Promise<CityModel> {
    const now = clock.now();
    const hit = byCity.get(city.id);
    if (hit && now - hit.at < ttlMs && now >= hit.at) return hit.value;
    const value = buildCityModel(city);
    byCity.set(city.id, { at: now, value });
    value.catch(() => (hit ? byCity.set(city.id, hit) : byCity.delete(city.id)));
    // A rebuild reads every show of two weeks (seconds for a big city): the last model meanwhile.
    return hit ? hit.value : value;
  }

  /** The user's confirmed bookings anywhere, as movies, with their own ratings (read fresh). */
  async function historyOf(userId: string): Promise<PastBooking[]> {
    const mine = (await bookings.listByUser(userId)).filter((b) => b.status === 'confirmed');
    const withMovie = await mapLimited(mine, READ_CONCURRENCY, async (b) => ({ b, movieId: (await catalog.showContext(b.showId))?.show.movieId }));
    const movieIds = [...new Set(withMovie.flatMap((x) => (x.movieId ? [x.movieId] : [])))];
    const ratings = new Map(
      await mapLimited(movieIds, READ_CONCURRENCY, async (id) => {
        const r = await reviews.get(id, userId);
        return [id, r && !r.hidden ? r.rating : undefined] as const;
      }),
    );
    return withMovie.flatMap(({ b, movieId }) => (movieId ? [{ movieId, at: Date.parse(b.createdAt), rating: ratings.get(movieId) }] : []));
  }

  /** Null when `cityQuery` names no city (by id or name). */
  async function forUser(userId: string, cityQuery: string, pageLanguage?: string): Promise<RecommendationsResponse | null> {
    const q = cityQuery.toLowerCase();
    const city = (await catalog.cities()).find((c) => c.id === q || c.name.toLowerCase() === q);
    if (!city) return null;
    const [model, history, movies] = await Promise.all([cityModel(city), historyOf(userId), catalog.movies()]);
    const recs = recommend({
      history,
      model: model.model,
      movies: [...movies.values()].map(contentOf),
      candidates: model.candidates.filter((id) => movies.has(id)),
      cityId: city.id,
      popularity: model.popularity,
      preferredLanguage: pageLanguage ? LANGUAGE_OF_PAGE[pageLanguage] : undefined,
      limit: RECOMMENDATION_LIMIT,
    });
    const reasonOf = (r: RecReason, movieId: string): RecommendationReason => {
      if (r.kind === 'because_you_watched') return { ...r, title: movies.get(r.movieId)?.title ?? r.movieId };
      // "Popular" for a movie nobody booked this week would not be true.
      if (r.kind === 'popular_in_city') return { kind: (model.popularity[movieId] ?? 0) > 0 ? 'popular_in_city' : 'showing_in_city', cityId: city.id, cityName: city.name };
      return r;
    };
    return {
      movies: recs.map(({ movieId, reason }): RecommendedMovie => {
        const m = movies.get(movieId)!;
        return { id: m.id, title: m.title, languages: m.languages, genres: m.genres, reason: reasonOf(reason, movieId) };
      }),
    };
  }

  /**
   * Builds every city's model ahead of the first request (one city at a time: it is background
   * work), so the first "For you" of a city does not wait seconds for it. Failures are left to
   * the first request to retry.
   */
  async function warm(): Promise<{ cities: number; ms: number }> {
    const started = clock.now();
    const cities = await catalog.cities();
    for (const city of cities) await cityModel(city).catch(() => undefined);
    return { cities: cities.length, ms: clock.now() - started };
  }

  return { forUser, warm };
}
export type Recommendations = ReturnType<typeof createRecommendations>;
