/**
 * The forgiving search over the catalogue: one index of movies and one of theatres,
 * built once per catalogue and queried as the person types.
 */
import MiniSearch, { type SearchOptions, type SearchResult } from 'minisearch';
import { SEARCH_LIMIT, type MovieHit, type SearchResults, type TheatreHit } from '../../protocol/search.js';
import type { Movie, Theatre } from '../../protocol/schemas.js';
import { toLatin } from './transliterate.js';

export interface SearchCatalogue {
  movies: readonly Movie[];
  theatres: readonly Theatre[];
  cities: readonly { id: string; name: string }[];
}

export interface SearchContext {
  /** Theatres of this city only, when given. */
  cityId?: string;
  /** Movies with a show in the coming days (in cityId when given): they rank above the others. */
  showing: ReadonlySet<string>;
}

/** Splits on anything that is not a letter, a combining mark or a digit ("Mad^2" is "mad", "2"). */
const tokenize = (text: string) => text.split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);

/**
 * One spelling for the many ways Indian names are written in Latin letters, applied to the
 * index and to the query alike: "Baahubali" and "bahubali", "Pushpa" and "puspa",
 * "Sreeleela" and "srileela", "Karthikeya" and "kartikeya" all meet. A run of one letter
 * ("RRR") stays as it is, so it does not turn into every word beginning with "r". Words in
 * Devanagari or Telugu are written in Latin letters first ("बाहुबली" meets "Baahubali").
 */
export function normaliseTerm(term: string): string | null {
  const t = toLatin(term)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // Latin diacritics only: Devanagari and Telugu vowel signs are letters' parts
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]/gu, '');
  if (!t) return null;
  if (/^(.)\1+$/u.test(t)) return t;
  return t
    .replace(/ee/g, 'i')
    .replace(/oo/g, 'u')
    .replace(/([tdbskgcp])h/g, '$1')
    .replace(/(\p{L})\1+/gu, '$1');
}

const normaliseText = (text: string) => tokenize(text).map(normaliseTerm).filter((t): t is string => !!t);

/** "PVR Inorbit Mall, Madhapur" is in Madhapur; "PVR Kukatpally" names no area apart. */
export const areaOf = (theatreName: string) => theatreName.split(',').slice(1).join(',').trim();

/**
 * Every query term is the start of some term of `name`, in the normalised spelling
 * ("bahu" of "Baahubali 2", "pvr inorb" of "PVR Inorbit Mall"): what the person means by name.
 */
function namedBy(queryTerms: string[], name: string): boolean {
  const nameTerms = normaliseText(name);
  return queryTerms.length > 0 && queryTerms.every((q) => nameTerms.some((n) => n.startsWith(q)));
}

const searchOptions: SearchOptions = {
  prefix: true,
  // Short terms would match nearly anything with one letter changed.
  fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
  maxFuzzy: 3,
  combineWith: 'OR',
};

const indexOptions = {
  idField: 'id',
  tokenize,
  processTerm: normaliseTerm,
  searchOptions,
};

export interface SearchIndex {
  search(query: string, context: SearchContext): SearchResults;
}

export function buildSearchIndex(catalogue: SearchCatalogue): SearchIndex {
  const cities = new Map(catalogue.cities.map((c) => [c.id, c]));
  const movies = new Map(catalogue.movies.map((m) => [m.id, m]));
  const theatres = new Map(catalogue.theatres.map((t) => [t.id, t]));

  const movieIndex = new MiniSearch<Movie>({
    ...indexOptions,
    fields: ['title', 'languages', 'genres'],
    extractField: (doc, field) => {
      const v = (doc as unknown as Record<string, unknown>)[field];
      return Array.isArray(v) ? v.join(' ') : String(v ?? '');
    },
    searchOptions: { ...searchOptions, boost: { title: 4 } },
  });
  movieIndex.addAll([...movies.values()]);

  const theatreIndex = new MiniSearch<Theatre>({
    ...indexOptions,
    fields: ['name', 'area', 'city', 'address'],
    storeFields: ['cityId'],
    extractField: (doc, field) => {
      if (field === 'area') return areaOf(doc.name);
      if (field === 'city') return cities.get(doc.cityId)?.name ?? '';
      return String((doc as unknown as Record<string, unknown>)[field] ?? '');
    },
    searchOptions: { ...searchOptions, boost: { name: 3, area: 2, city: 1.5 } },
  });
  theatreIndex.addAll([...theatres.values()]);

  return {
    search(query, context) {
      const queryTerms = normaliseText(query);
      if (queryTerms.length === 0) return { movies: [], theatres: [] };

      // Named first, then (for movies) showing, then by how well the words matched.
      const ranked = (hits: SearchResult[], nameOf: (id: string) => string, showing: (id: string) => boolean) =>
        hits
          .map((h) => ({ id: h.id as string, named: namedBy(queryTerms, nameOf(h.id)), showing: showing(h.id), score: h.score }))
          .sort((a, b) => Number(b.named) - Number(a.named) || Number(b.showing) - Number(a.showing) || b.score - a.score)
          .slice(0, SEARCH_LIMIT);

      const movieHits: MovieHit[] = ranked(movieIndex.search(query), (id) => movies.get(id)!.title, (id) => context.showing.has(id)).map(({ id, showing }) => {
        const m = movies.get(id)!;
        return { id, title: m.title, languages: m.languages, genres: m.genres, showing, rating: null };
      });

      const inCity = context.cityId ? { filter: (r: SearchResult) => r.cityId === context.cityId } : {};
      const theatreHits: TheatreHit[] = ranked(theatreIndex.search(query, inCity), (id) => theatres.get(id)!.name, () => false).map(({ id }) => {
        const t = theatres.get(id)!;
        const city = cities.get(t.cityId);
        return { id, name: t.name, address: t.address, city: { id: t.cityId, name: city?.name ?? t.cityId } };
      });

      return { movies: movieHits, theatres: theatreHits };
    },
  };
}
