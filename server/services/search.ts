/**
 * Search over the catalogue the app already caches: the index is rebuilt when the catalogue
 * cache hands out new objects (after its TTL or an invalidate), never per query.
 */
import type { SearchResults } from '../../protocol/search.js';
import { buildSearchIndex, type SearchIndex } from '../domain/search.js';
import type { CatalogStore, CityRecord, Clock } from '../ports.js';
import type { Catalog } from './catalog.js';

export interface SearchDeps {
  catalog: Pick<Catalog, 'cities' | 'movies' | 'theatres' | 'datesOf'>;
  store: Pick<CatalogStore, 'showsOn'>;
  clock: Clock;
  /** How long "which movies are showing in a city" is reused; the catalogue's own cache is 30 s. */
  showingTtlMs?: number;
}

export function createSearch(deps: SearchDeps) {
  const { catalog, store, clock, showingTtlMs = 60_000 } = deps;
  let built: { sources: unknown[]; index: SearchIndex } | null = null;
  const showingByCity = new Map<string, { at: number; ids: Promise<Set<string>> }>();

  async function index(): Promise<{ index: SearchIndex; cities: CityRecord[] }> {
    const [cities, movies, theatres] = await Promise.all([catalog.cities(), catalog.movies(), catalog.theatres()]);
    const sources = [cities, movies, theatres];
    if (!built || built.sources.some((s, i) => s !== sources[i])) {
      built = { sources, index: buildSearchIndex({ cities, movies: [...movies.values()], theatres: [...theatres.values()] }) };
    }
    return { index: built.index, cities };
  }

  function showingIn(city: CityRecord): Promise<Set<string>> {
    const now = clock.now();
    const hit = showingByCity.get(city.id);
    if (hit && now - hit.at < showingTtlMs && now >= hit.at) return hit.ids;
    const ids = Promise.all(catalog.datesOf(city).map((d) => store.showsOn(city.id, d))).then(
      (lists) => new Set(lists.flat().filter((s) => s.status === 'scheduled' && s.startsAt > now).map((s) => s.movieId)),
    );
    showingByCity.set(city.id, { at: now, ids });
    ids.catch(() => (hit ? showingByCity.set(city.id, hit) : showingByCity.delete(city.id)));
    // Reading a city's week of shows takes a while: a stale answer now beats a fresh one in a second.
    return hit ? hit.ids : ids;
  }

  /** Null when `city` names no city (by id or name). */
  async function search(q: string, cityQuery?: string): Promise<SearchResults | null> {
    const { index: idx, cities } = await index();
    let city: CityRecord | undefined;
    if (cityQuery) {
      const c = cityQuery.toLowerCase();
      city = cities.find((x) => x.id === c || x.name.toLowerCase() === c);
      if (!city) return null;
    }
    const sets = await Promise.all((city ? [city] : cities).map(showingIn));
    const showing = sets.length === 1 ? sets[0]! : new Set(sets.flatMap((s) => [...s]));
    return idx.search(q, { cityId: city?.id, showing });
  }

  return { search };
}
export type Search = ReturnType<typeof createSearch>;
