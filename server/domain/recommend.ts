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
  /** The blend's weights; DEFAULT_WEIGHTS for any left out. */
  weights?: Partial<RecWeights>;
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

/** The blend's weights, all against log popularity (weight 1). Defaults chosen on a validation split of the bench (docs/recommendations.md). */
export interface RecWeights {
  /** The rating-weighted mean co-booking cosine to the user's history. */
  cobooked: number;
  /** The user's log-lift for the movie's original language. */
  language: number;
  /** The user's log-lift for each of the movie's genres. */
  genre: number;
  /** The user's log-lift for each actor in the movie's cast. */
  cast: number;
  /** Pseudo-bookings pulling a user's feature shares towards the city's (a short history says little). */
  profilePrior: number;
}

export const DEFAULT_WEIGHTS: Readonly<RecWeights> = { cobooked: 5, language: 0.4, genre: 0.2, cast: 0.4, profilePrior: 1.5 };

/** Bookers at which a movie's co-booking signal counts half (below it content similarity stands in). */
const ITEM_CONFIDENCE = 5;
/** Content similarity (0-1) standing in for co-booking cosine, which is rarely above 0.5 once shrunk. */
const CONTENT_AS_COBOOKING = 0.5;
/** Pseudo-bookings in the preferred language the user told us. */
const PREFERRED_LANGUAGE_WEIGHT = 3;

const featuresOf = (m: MovieContent): string[] => [
  ...(m.languages[0] ? [`lang:${m.languages[0]}`] : []),
  ...[...new Set(m.genres)].map((g) => `genre:${g}`),
  ...[...new Set(m.cast ?? [])].map((a) => `cast:${a}`),
];

/**
 * How much more often than the city the user books each feature (original language, genre, actor):
 * the user's share of (weighted) bookings with it, shrunk towards the city's share, over the city's share.
 * The city's share is of this week's bookings of the candidates.
 */
function featureLifts(
  weights: readonly [string, number][],
  content: ReadonlyMap<string, MovieContent>,
  candidates: readonly string[],
  popularity: Readonly<Record<string, number>>,
  preferredLanguage: string | undefined,
  prior: number,
): Map<string, number> {
  const base = new Map<string, number>();
  let baseTotal = 0;
  for (const id of candidates) {
    const m = content.get(id);
    if (!m) continue;
    const n = 1 + (popularity[id] ?? 0);
    baseTotal += n;
    for (const f of featuresOf(m)) base.set(f, (base.get(f) ?? 0) + n);
  }
  const mine = new Map<string, number>();
  let mass = 0;
  for (const [id, w] of weights) {
    const m = content.get(id);
    if (!m) continue;
    mass += Math.abs(w);
    for (const f of featuresOf(m)) mine.set(f, (mine.get(f) ?? 0) + w);
  }
  const lifts = new Map<string, number>();
  for (const [f, b] of base) {
    const cityShare = b / baseTotal;
    const told = preferredLanguage !== undefined && f.startsWith('lang:');
    const extra = told ? PREFERRED_LANGUAGE_WEIGHT : 0;
    const count = Math.max(0, mine.get(f) ?? 0) + (told && f === `lang:${preferredLanguage}` ? extra : 0);
    const share = (count + prior * cityShare) / (mass + extra + prior);
    lifts.set(f, share / cityShare);
  }
  return lifts;
}

/**
 * Candidates the user has not booked, best first (ties by popularity, then movie id), each with
 * the personal part that lifts it most above the other candidates as its reason (else popularity). The score is log popularity (the prior
 * everyone gets) plus the user's log-lift for the movie's features plus its co-booking similarity
 * to what the user liked (content similarity standing in for movies few have booked).
 */
export function recommend(req: RecRequest): Recommendation[] {
  const content = new Map(req.movies.map((m) => [m.id, m]));
  const weights = weightsOf(req.history);
  const booked = new Set(weights.map(([id]) => id));
  const known = weights.filter(([id]) => content.has(id) || req.model.neighbours.has(id));
  const totalWeight = known.reduce((s, [, w]) => s + Math.abs(w), 0);
  const allCandidates = [...new Set(req.candidates)].sort(byId);
  const candidates = allCandidates.filter((id) => !booked.has(id));
  const W = { ...DEFAULT_WEIGHTS, ...req.weights };
  const lifts = featureLifts(known, content, allCandidates, req.popularity, req.preferredLanguage, W.profilePrior);

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
    const bookers = req.model.bookers.get(id) ?? 0;
    const itemTrust = bookers / (bookers + ITEM_CONFIDENCE);
    let cobooked = 0;
    let alike = 0;
    let strongest: { movieId: string; part: number } | undefined;
    for (const [hid, w] of known) {
      const hm = content.get(hid);
      const cosine = itemTrust * (coBooked.get(id)?.get(hid) ?? 0);
      cobooked += w * cosine;
      alike += w * (1 - itemTrust) * CONTENT_AS_COBOOKING * (movie && hm ? contentSimilarity(movie, hm) : 0);
      if (w > 0 && w * cosine > 0 && (!strongest || w * cosine > strongest.part)) strongest = { movieId: hid, part: w * cosine };
    }
    const logLift = (f: string) => Math.log(lifts.get(f) ?? 1);
    const features = movie ? featuresOf(movie) : [];
    const language = features.find((f) => f.startsWith('lang:'));
    const genres = features.filter((f) => f.startsWith('genre:')).map((f) => ({ f, lift: logLift(f) }));
    const cast = features.filter((f) => f.startsWith('cast:')).reduce((sum, f) => sum + logLift(f), 0);
    const parts = {
      cobooked: totalWeight > 0 ? (W.cobooked * cobooked) / totalWeight : 0,
      alike: totalWeight > 0 ? (W.cobooked * alike) / totalWeight : 0,
      language: language ? W.language * logLift(language) : 0,
      genre: W.genre * genres.reduce((sum, g) => sum + g.lift, 0),
      cast: W.cast * cast,
      popular: Math.log1p(req.popularity[id] ?? 0),
    };
    const score = parts.cobooked + parts.alike + parts.language + parts.genre + parts.cast + parts.popular;
    const topGenre = [...genres].sort((a, b) => b.lift - a.lift || byId(a.f, b.f))[0];
    return {
      movieId: id,
      score,
      popularity: req.popularity[id] ?? 0,
      // Co-booked with a film is "because you watched it" (with its stars, when the user books them; a cast the user has not
      // booked yet takes nothing from it); alike in content (a cold movie) reads as its genre.
      personal: { watched: strongest ? parts.cobooked + Math.max(0, parts.cast) : 0, language: parts.language, genre: topGenre ? W.genre * topGenre.lift + parts.alike : 0 },
      subjects: { watched: strongest?.movieId, language: language?.slice('lang:'.length), genre: topGenre?.f.slice('genre:'.length), cityId: req.cityId },
    };
  });
  // A reason is what lifts this movie above the other candidates, so each part is measured from its mean.
  const mean = (pick: (p: (typeof scored)[number]['personal']) => number) => scored.reduce((sum, x) => sum + pick(x.personal), 0) / Math.max(1, scored.length);
  const means = { watched: mean((p) => p.watched), language: mean((p) => p.language), genre: mean((p) => p.genre) };
  scored.sort((a, b) => b.score - a.score || b.popularity - a.popularity || byId(a.movieId, b.movieId));
  return scored.slice(0, req.limit ?? 10).map(({ movieId, score, personal, subjects }) => ({
    movieId,
    score,
    reason: reasonFor(
      { watched: personal.watched - means.watched, language: personal.language - means.language, genre: personal.genre - means.genre },
      subjects,
    ),
  }));
}

/** A personal part this large (in log score) is worth naming; below it the movie is there for its popularity. */
const REASON_MIN = 0.05;

/**
 * Why the movie is here: a film the user watched that it is co-booked with, when that lifted it enough
 * (the most concrete reason, and one the user can check: whatever the blend's weights, it is named
 * before their language or a genre); else the larger of the language and the genre part, if it lifted
 * it enough; else its popularity in the city.
 */
function reasonFor(
  parts: { watched: number; language: number; genre: number },
  subjects: { watched?: string; language?: string; genre?: string; cityId: string },
): RecReason {
  if (parts.watched >= REASON_MIN && subjects.watched) return { kind: 'because_you_watched', movieId: subjects.watched };
  const best = Math.max(parts.language, parts.genre);
  if (best >= REASON_MIN) {
    if (best === parts.language && subjects.language) return { kind: 'your_language', language: subjects.language };
    if (best === parts.genre && subjects.genre) return { kind: 'similar_genre', genre: subjects.genre };
  }
  return { kind: 'popular_in_city', cityId: subjects.cityId };
}
