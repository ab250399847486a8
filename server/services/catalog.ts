/**
 * Read side of the catalogue with a short in-process cache: cities, theatres,
 * movies and screens change rarely; a show's seat layout is needed on every hold.
 */
import type { SeatMap, ShowSummary, ShowsQuery } from '../../protocol/index.js';
import { seatsOf, type LayoutSeat } from '../domain/layout.js';
import type { ShowTimes } from '../domain/door.js';
import type { ShowWindow } from '../domain/holds.js';
import { addDays, formatInZone, localDate, timeOfDay } from '../domain/show-time.js';
import type {
  CatalogStore,
  CityRecord,
  Clock,
  MovieRecord,
  ScreenRecord,
  ShowRecord,
  TheatreRecord,
} from '../ports.js';

export interface ShowContext {
  show: ShowRecord;
  screen: ScreenRecord;
  theatre: TheatreRecord;
  movie: MovieRecord;
  city: CityRecord;
  seats: LayoutSeat[];
  seatIndex: Map<string, LayoutSeat>;
  window: ShowWindow;
}

/** A movie missing from the catalogue is assumed to run this long (as the schedule check does). */
const UNKNOWN_RUNTIME_MINUTES = 180;

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

export function createCatalog(store: CatalogStore, clock: Clock, ttlMs = 30_000) {
  const cache = new Map<string, Cached<unknown>>();
  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key) as Cached<T> | undefined;
    const now = clock.now();
    if (hit && now - hit.at < ttlMs && now >= hit.at) return hit.value;
    const value = load();
    cache.set(key, { at: now, value });
    value.catch(() => cache.delete(key));
    return value;
  }

  const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
  const cities = () => cached('cities', () => store.cities());
  const theatres = () => cached('theatres', async () => byId(await store.theatres()));
  const movies = () => cached('movies', async () => byId(await store.movies()));
  const screen = (id: string) =>
    cached(`screen:${id}`, async () => {
      const s = await store.getScreen(id);
      if (!s) return null;
      const seats = seatsOf(s.layout);
      return { screen: s, seats, seatIndex: new Map(seats.map((x) => [x.id, x])) };
    });

  async function referencesOf(show: ShowRecord, { fresh = false } = {}) {
    if (fresh) for (const key of ['theatres', 'movies', 'cities']) cache.delete(key);
    const [ts, ms, cs] = await Promise.all([theatres(), movies(), cities()]);
    const theatre = ts.get(show.theatreId);
    const movie = ms.get(show.movieId);
    const city = cs.find((c) => c.id === show.cityId);
    return theatre && movie && city ? { theatre, movie, city } : null;
  }

  async function showContext(showId: string): Promise<ShowContext | null> {
    return cached(`show:${showId}`, async () => {
      const show = await store.getShow(showId);
      if (!show || show.status !== 'scheduled') return null;
      const [sc, cachedRefs] = await Promise.all([screen(show.screenId), referencesOf(show)]);
      // A show newer than the cached lists (another process, an import): read the lists again once.
      const refs = cachedRefs ?? (await referencesOf(show, { fresh: true }));
      if (!sc || !refs) return null;
      const { theatre, movie, city } = refs;
      return {
        show,
        screen: sc.screen,
        theatre,
        movie,
        city,
        seats: sc.seats,
        seatIndex: sc.seatIndex,
        window: { startsAt: show.startsAt, seatIds: new Set(sc.seatIndex.keys()) },
      };
    });
  }

  /** Start and end (start + runtime) of any show, cancelled ones included; null when there is no such show. */
  async function showTimes(showId: string): Promise<ShowTimes | null> {
    const ctx = await showContext(showId);
    const show = ctx?.show ?? (await store.getShow(showId));
    if (!show) return null;
    const runtime = ctx?.movie.runtimeMinutes ?? (await movies()).get(show.movieId)?.runtimeMinutes ?? UNKNOWN_RUNTIME_MINUTES;
    return { startsAt: show.startsAt, endsAt: show.startsAt + runtime * 60_000 };
  }

  function summary(ctx: ShowContext): ShowSummary {
    const { show, movie, theatre, city, screen: s } = ctx;
    return {
      id: show.id,
      movie: { id: movie.id, title: movie.title },
      theatre: { id: theatre.id, name: theatre.name, address: theatre.address },
      city: { id: city.id, name: city.name },
      screen: { id: s.id, name: s.name },
      language: show.language,
      startsAt: formatInZone(show.startsAt, theatre.timeZone),
      timeZone: theatre.timeZone,
      currency: show.currency,
      prices: show.prices,
      capacity: ctx.seats.length,
      // Layouts stored before kinds existed have none: standard.
      seatKinds: [...new Set(s.layout.categories.map((c) => c.kind ?? 'standard'))],
      wheelchair: (s.layout.accessible ?? []).length > 0,
    };
  }

  async function findCity(query: string): Promise<CityRecord | undefined> {
    const q = query.toLowerCase();
    return (await cities()).find((c) => c.id === q || c.name.toLowerCase() === q);
  }

  async function listShows(q: ShowsQuery): Promise<ShowSummary[] | null> {
    const now = clock.now();
    let targets: CityRecord[];
    if (q.city) {
      const city = await findCity(q.city);
      if (!city) return null;
      targets = [city];
    } else {
      targets = await cities();
    }
    const ms = await movies();
    const movieQuery = q.movie?.toLowerCase();
    const movieMatches = (id: string) => {
      if (!movieQuery) return true;
      const m = ms.get(id);
      return id === movieQuery || !!m?.title.toLowerCase().includes(movieQuery);
    };
    const lists = await Promise.all(
      targets.map((c) => store.showsOn(c.id, q.date ?? localDate(now, c.timeZone))),
    );
    const shows = lists
      .flat()
      .filter((s) => s.status === 'scheduled' && s.startsAt > now)
      .filter((s) => !q.language || s.language.toLowerCase() === q.language.toLowerCase())
      .filter((s) => movieMatches(s.movieId))
      .sort((a, b) => a.startsAt - b.startsAt);
    const contexts = await Promise.all(shows.map((s) => showContext(s.id)));
    return contexts
      .filter((c): c is ShowContext => c !== null)
      .filter((c) => !q.timeOfDay || q.timeOfDay.includes(timeOfDay(c.show.startsAt, c.theatre.timeZone)))
      .map(summary);
  }

  function seatMap(ctx: ShowContext, version: number, statusOf: (seatId: string) => SeatMap['seats'][number]['status']): SeatMap {
    const { show } = ctx;
    return {
      showId: show.id,
      version,
      currency: show.currency,
      categories: ctx.screen.layout.categories.map((c) => ({ ...c, price: show.prices[c.id] ?? 0 })),
      seats: ctx.seats.map((s) => ({
        id: s.id,
        row: s.row,
        number: s.number,
        col: s.col,
        category: s.category,
        price: show.prices[s.category] ?? 0,
        status: statusOf(s.id),
        accessible: s.accessible,
        // Only where they apply, so a big hall's snapshot stays small.
        ...(s.companion ? { companion: true } : {}),
        ...(s.pair ? { pair: s.pair } : {}),
      })),
    };
  }

  return {
    cities,
    theatres,
    movies,
    showContext,
    showTimes,
    summary,
    listShows,
    seatMap,
    /** The next `days` local dates of a city, today first. */
    datesOf: (city: CityRecord, days = 7) => {
      const today = localDate(clock.now(), city.timeZone);
      return Array.from({ length: days }, (_, i) => addDays(today, i));
    },
    invalidate: (key?: string) => (key ? cache.delete(key) : cache.clear()),
  };
}
export type Catalog = ReturnType<typeof createCatalog>;
