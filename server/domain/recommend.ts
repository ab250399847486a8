/**
 * Recommendations: item-to-item similarity from co-bookings (ratings as weights), blended with
 * content similarity (genres, original language, cast) and the user's language, falling back to
 * popularity in the city. Pure: every input is passed in; `buildModel` precomputes neighbours so
 * a request only walks the user's few bookings.
 */

export interface MovieContent {
  id: string;
  /** The original language first (as the catalogue lists them), then the dubbed ones. */
  languages: string[];
  genres: string[];
  cast?: string[];
}

export interface PastBooking {
  movieId: string;
  /** Epoch ms; only the order matters here. */
  at: number;
  /** 1-5 if the user rated the movie. */
  rating?: number;
}

export interface UserHistory {
  userId: string;
  bookings: PastBooking[];
}

export interface Neighbour {
  movieId: string;
  similarity: number;
}

export interface RecModel {
  /** Top-k most similar movies per movie, most similar first. */
  neighbours: ReadonlyMap<string, readonly Neighbour[]>;
  /** How many users booked each movie (with a weight above zero): how much the co-booking signal can be trusted. */
  bookers: ReadonlyMap<string, number>;
}

export type RecReason =
  | { kind: 'because_you_watched'; movieId: string }
  | { kind: 'similar_genre'; genre: string }
  | { kind: 'your_language'; language: string }
  | { kind: 'popular_in_city'; cityId: string };

export interface Recommendation {
  movieId: string;
  score: number;
  reason: RecReason;
}

export interface RecRequest {
  history: readonly PastBooking[];
  model: RecModel;
  /** Content of at least the candidates and the movies in the history; others are ignored. */
  movies: readonly MovieContent[];
  /** Movies now showing in the user's city. */
  candidates: readonly string[];
  cityId: string;
  /** Bookings per movie in the city in the last 7 days. */
  popularity: Readonly<Record<string, number>>;
  preferredLanguage?: string;
  limit?: number;
}

export interface ModelOptions {
  /** Neighbours kept per movie. */
  topK?: number;
  /** Shrinks the similarity of pairs few users share: n / (n + shrinkage). */
  shrinkage?: number;
}

/** How much a booking says the user liked the movie: unrated 1, 5 -> 1.25, 3 -> 0.5, 2 or less is dislike. */
export function preferenceWeight(rating: number | undefined): number {
  if (rating === undefined) return 1;
  if (rating >= 5) return 1.25;
  if (rating >= 4) return 1;
  if (rating >= 3) return 0.5;
  return rating >= 2 ? -0.5 : -1;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One weight per movie a user booked (a re-booking keeps its best-rated visit), sorted by movie id. */
function weightsOf(bookings: readonly PastBooking[]): [string, number][] {
  const best = new Map<string, number>();
  for (const b of bookings) {
    const w = preferenceWeight(b.rating);
    const had = best.get(b.movieId);
    if (had === undefined || w > had) best.set(b.movieId, w);
  }
  return [...best.entries()].sort((a, b) => byId(a[0], b[0]));
}

/**
 * Cosine similarity between movies over the users who booked them (liked bookings only, weighted
 * by rating), shrunk for pairs few users share; the top-k per movie, ties by movie id.
 */
export function buildModel(histories: readonly UserHistory[], options: ModelOptions = {}): RecModel {
  const topK = options.topK ?? 20;
  const shrinkage = options.shrinkage ?? 10;
  const norm2 = new Map<string, number>();
  const bookers = new Map<string, number>();
  const dot = new Map<string, Map<string, { sum: number; n: number }>>();
  const sorted = [...histories].sort((a, b) => byId(a.userId, b.userId));
  for (const h of sorted) {
    const liked = weightsOf(h.bookings).filter(([, w]) => w > 0);
    for (let i = 0; i < liked.length; i++) {
      const [a, wa] = liked[i]!;
      norm2.set(a, (norm2.get(a) ?? 0) + wa * wa);
      bookers.set(a, (bookers.get(a) ?? 0) + 1);
      for (let j = i + 1; j < liked.length; j++) {
        const [b, wb] = liked[j]!;
        for (const [x, y] of [[a, b], [b, a]] as const) {
          const row = dot.get(x) ?? new Map<string, { sum: number; n: number }>();
          dot.set(x, row);
          const cell = row.get(y) ?? { sum: 0, n: 0 };
          cell.sum += wa * wb;
          cell.n += 1;
          row.set(y, cell);
        }
      }
    }
  }
  const neighbours = new Map<string, Neighbour[]>();
  for (const [a, row] of dot) {
    const list = [...row.entries()].map(([b, { sum, n }]) => ({
      movieId: b,
      similarity: (sum / Math.sqrt(norm2.get(a)! * norm2.get(b)!)) * (n / (n + shrinkage)),
    }));
    list.sort((x, y) => y.similarity - x.similarity || byId(x.movieId, y.movieId));
    neighbours.set(a, list.slice(0, topK));
  }
  return { neighbours, bookers };
}

const jaccard = (a: readonly string[], b: readonly string[]): number => {
  if (a.length === 0 && b.length === 0) return 0;
  const sa = new Set(a);
  let both = 0;
  for (const x of new Set(b)) if (sa.has(x)) both++;
  return both / (sa.size + new Set(b).size - both);
};

/** Content similarity in [0, 1]: genres, cast (when both have one) and the original language. */
export function contentSimilarity(a: MovieContent, b: MovieContent): number {
  const genres = jaccard(a.genres, b.genres);
  const language = a.languages[0] !== undefined && a.languages[0] === b.languages[0] ? 1 : 0;
  if (a.cast?.length && b.cast?.length) return 0.35 * genres + 0.35 * jaccard(a.cast, b.cast) + 0.3 * language;
  return 0.5 * genres + 0.5 * language;
}

// Blend weights: each part is in [0, 1] before weighting.
const W_COBOOKED = 1;
const W_CONTENT = 0.6;
const W_LANGUAGE = 0.35;
const W_POPULAR = 0.25;
/** Bookers at which a movie's co-booking signal counts half (below it content stands in). */
const ITEM_CONFIDENCE = 20;
/** Liked bookings at which a user's history counts half against popularity. */
const USER_CONFIDENCE = 1;

/** The user's language: the preferred one if known, else the original language of most of the liked history (if a majority). */
function languageOf(liked: readonly MovieContent[], preferred: string | undefined): string | undefined {
  if (preferred) return preferred;
  const counts = new Map<string, number>();
  for (const m of liked) if (m.languages[0]) counts.set(m.languages[0], (counts.get(m.languages[0]) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || byId(a[0], b[0]))[0];
  return top && top[1] * 2 > liked.length ? top[0] : undefined;
}

/** The genre of `movie` the liked history shares most often, ties by name. */
function sharedGenre(movie: MovieContent, liked: readonly MovieContent[]): string | undefined {
  let best: string | undefined;
  let bestN = 0;
  for (const g of [...movie.genres].sort(byId)) {
    const n = liked.filter((m) => m.genres.includes(g)).length;
    if (n > bestN) [best, bestN] = [g, n];
  }
  return best;
}

/**
 * Candidates the user has not booked, best first (ties by popularity, then movie id), each with
 * the part of the score that weighed most as its reason.
 */
export function recommend(req: RecRequest): Recommendation[] {
  const content = new Map(req.movies.map((m) => [m.id, m]));
  const weights = weightsOf(req.history);
  const booked = new Set(weights.map(([id]) => id));
  const known = weights.filter(([id]) => content.has(id) || req.model.neighbours.has(id));
  const likedContent = known.filter(([, w]) => w > 0).flatMap(([id]) => (content.has(id) ? [content.get(id)!] : []));
  const totalWeight = known.reduce((s, [, w]) => s + Math.abs(w), 0);
  const likedCount = known.filter(([, w]) => w > 0).length;
  const historyTrust = likedCount / (likedCount + USER_CONFIDENCE);
  const language = languageOf(likedContent, req.preferredLanguage);

  const candidates = [...new Set(req.candidates)].filter((id) => !booked.has(id)).sort(byId);
  const maxPopularity = Math.max(1, ...candidates.map((id) => req.popularity[id] ?? 0));

  // Co-booking similarity of each candidate to each booked movie, read from the neighbour lists.
  const coBooked = new Map<string, Map<string, number>>();
  for (const [id] of known) {
    for (const n of req.model.neighbours.get(id) ?? []) {
      const row = coBooked.get(n.movieId) ?? new Map<string, number>();
      row.set(id, n.similarity);
      coBooked.set(n.movieId, row);
    }
  }

  const scored = candidates.map((id) => {
    const movie = content.get(id);
    const itemTrust = (req.model.bookers.get(id) ?? 0) / ((req.model.bookers.get(id) ?? 0) + ITEM_CONFIDENCE);
    let cf = 0;
    let cb = 0;
    let strongest: { movieId: string; part: number } | undefined;
    for (const [hid, w] of known) {
      const sim = coBooked.get(id)?.get(hid) ?? 0;
      const hm = content.get(hid);
      const csim = movie && hm ? contentSimilarity(movie, hm) : 0;
      cf += w * sim;
      cb += w * csim;
      const part = w * (W_COBOOKED * itemTrust * sim + W_CONTENT * (1 - itemTrust * 0.5) * csim);
      if (w > 0 && part > 0 && (!strongest || part > strongest.part)) strongest = { movieId: hid, part };
    }
    const norm = totalWeight > 0 ? totalWeight : 1;
    const parts = {
      cobooked: (W_COBOOKED * itemTrust * cf) / norm,
      content: (W_CONTENT * (1 - itemTrust * 0.5) * cb) / norm,
      language: movie && language ? W_LANGUAGE * (movie.languages[0] === language ? 1 : movie.languages.includes(language) ? 0.3 : 0) : 0,
      popular: (W_POPULAR * (req.popularity[id] ?? 0)) / maxPopularity,
    };
    const score = historyTrust * (parts.cobooked + parts.content) + parts.language + (1 - historyTrust * 0.5) * parts.popular;
    const reason = reasonFor(parts, historyTrust, strongest, movie, likedContent, language, req.cityId);
    return { movieId: id, score, reason, popularity: req.popularity[id] ?? 0 };
  });
  scored.sort((a, b) => b.score - a.score || b.popularity - a.popularity || byId(a.movieId, b.movieId));
  return scored.slice(0, req.limit ?? 10).map(({ movieId, score, reason }) => ({ movieId, score, reason }));
}

function reasonFor(
  parts: { cobooked: number; content: number; language: number; popular: number },
  historyTrust: number,
  strongest: { movieId: string } | undefined,
  movie: MovieContent | undefined,
  likedContent: readonly MovieContent[],
  language: string | undefined,
  cityId: string,
): RecReason {
  const fromHistory = historyTrust * (parts.cobooked + parts.content);
  const popular = (1 - historyTrust * 0.5) * parts.popular;
  const best = Math.max(fromHistory, parts.language, popular);
  if (best > 0 && best === fromHistory && strongest) {
    const genre = movie && parts.content > parts.cobooked ? sharedGenre(movie, likedContent) : undefined;
    return genre ? { kind: 'similar_genre', genre } : { kind: 'because_you_watched', movieId: strongest.movieId };
  }
  if (best > 0 && best === parts.language && language) return { kind: 'your_language', language };
  return { kind: 'popular_in_city', cityId };
}
