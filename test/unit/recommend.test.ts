import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildModel,
  contentSimilarity,
  DEFAULT_WEIGHTS,
  preferenceWeight,
  recommend,
  type MovieContent,
  type PastBooking,
  type RecRequest,
  type UserHistory,
} from '../../server/domain/recommend.js';

const movie = (id: string, language = 'Telugu', genres = ['Action'], cast?: string[]): MovieContent => ({ id, languages: [language, 'Hindi'], genres, cast });
const booked = (...ids: string[]): PastBooking[] => ids.map((movieId, i) => ({ movieId, at: 1000 + i }));
/** `n` users who each booked exactly `ids`. */
const users = (n: number, prefix: string, ...ids: string[]): UserHistory[] =>
  Array.from({ length: n }, (_, i) => ({ userId: `${prefix}${i}`, bookings: booked(...ids) }));
const emptyModel = buildModel([]);

const request = (over: Partial<RecRequest>): RecRequest => ({
  history: [],
  model: emptyModel,
  movies: [],
  candidates: [],
  cityId: 'hyderabad',
  popularity: {},
  ...over,
});

describe('buildModel', () => {
  it('scores a pair by cosine over its bookers times n / (n + shrinkage), most similar first', () => {
    // a: 4 bookers, b: 3 (all with a), c: 1 (with a)
    const model = buildModel([...users(3, 'ab', 'a', 'b'), ...users(1, 'ac', 'a', 'c')], { shrinkage: 10 });
    const ofA = model.neighbours.get('a')!;
    expect(ofA.map((n) => n.movieId)).toEqual(['b', 'c']);
    expect(ofA[0]!.similarity).toBeCloseTo((3 / Math.sqrt(4 * 3)) * (3 / 13), 12);
    expect(ofA[1]!.similarity).toBeCloseTo((1 / Math.sqrt(4 * 1)) * (1 / 11), 12);
    expect(model.bookers.get('a')).toBe(4);
  });

  it('keeps only the top k neighbours of each movie', () => {
    const model = buildModel(users(2, 'u', 'a', 'b', 'c', 'd', 'e'), { topK: 2 });
    expect(model.neighbours.get('a')!.map((n) => n.movieId)).toEqual(['b', 'c']);
  });

  it('leaves disliked bookings (rating 2 or less) out of the co-bookings', () => {
    const model = buildModel([{ userId: 'u', bookings: [{ movieId: 'a', at: 1, rating: 5 }, { movieId: 'b', at: 2, rating: 2 }] }]);
    expect(model.neighbours.get('a')).toBeUndefined();
    expect(model.bookers.get('b')).toBeUndefined();
  });
});

describe('preferenceWeight and contentSimilarity', () => {
  it('counts an unrated booking as a like, 3 as half, 2 and 1 as dislikes', () => {
    expect([undefined, 5, 4, 3, 2, 1].map(preferenceWeight)).toEqual([1, 1.25, 1, 0.5, -0.5, -1]);
  });

  it('weighs genres and original language, and cast only when both movies have one', () => {
    expect(contentSimilarity(movie('a', 'Telugu', ['Action', 'Drama']), movie('b', 'Telugu', ['Action']))).toBeCloseTo(0.5 * 0.5 + 0.5, 12);
    expect(contentSimilarity(movie('a', 'Telugu', ['Action'], ['x', 'y']), movie('b', 'Tamil', ['Action'], ['y']))).toBeCloseTo(0.35 + 0.35 * 0.5, 12);
  });
});

describe('recommend: exact cases', () => {
  // Four movies alike in content, so only co-bookings and popularity tell them apart.
  const alike = ['a', 'b', 'c', 'd'].map((id) => movie(id));

  it('puts the co-booked neighbour of what the user watched above a more popular movie, because they watched it', () => {
    const model = buildModel([...users(20, 'ab', 'a', 'b'), ...users(5, 'cd', 'c', 'd')]);
    const recs = recommend(request({ history: booked('a'), model, movies: alike, candidates: ['a', 'b', 'c', 'd'], popularity: { b: 10, c: 12, d: 11 } }));
    expect(recs.map((r) => r.movieId)).toEqual(['b', 'c', 'd']);
    expect(recs[0]!.reason).toEqual({ kind: 'because_you_watched', movieId: 'a' });
  });

  it('never recommends what the user already booked, even the most popular', () => {
    const recs = recommend(request({ history: booked('c'), movies: alike, candidates: ['a', 'b', 'c'], popularity: { a: 1, b: 2, c: 100 } }));
    expect(recs.map((r) => r.movieId)).toEqual(['b', 'a']);
  });

  it('gives a new user with a language their language over a slightly more popular movie, and the far more popular first', () => {
    const movies = [movie('t1', 'Telugu'), movie('h1', 'Hindi'), movie('h2', 'Hindi')];
    const base = request({ movies, candidates: ['t1', 'h1', 'h2'], popularity: { t1: 5, h1: 6, h2: 20 } });
    const told = recommend({ ...base, preferredLanguage: 'Telugu' });
    expect(told.map((r) => [r.movieId, r.reason])).toEqual([
      ['h2', { kind: 'popular_in_city', cityId: 'hyderabad' }],
      ['t1', { kind: 'your_language', language: 'Telugu' }],
      ['h1', { kind: 'popular_in_city', cityId: 'hyderabad' }],
    ]);
    expect(recommend(base).map((r) => [r.movieId, r.reason.kind])).toEqual([
      ['h2', 'popular_in_city'],
      ['h1', 'popular_in_city'],
      ['t1', 'popular_in_city'],
    ]);
  });

  it('lifts a movie nobody has co-booked yet by its content: same genre as the history, with that genre as the reason', () => {
    const movies = [movie('seen1', 'Telugu', ['Horror']), movie('seen2', 'Hindi', ['Horror']), movie('new', 'Tamil', ['Horror']), movie('other', 'Tamil', ['Romance'])];
    const recs = recommend(request({ history: booked('seen1', 'seen2'), movies, candidates: ['new', 'other'], popularity: { new: 3, other: 4 } }));
    expect(recs.map((r) => r.movieId)).toEqual(['new', 'other']);
    expect(recs[0]!.reason).toEqual({ kind: 'similar_genre', genre: 'Horror' });
  });

  it('pushes down what is co-booked with a movie the user rated 1', () => {
    const model = buildModel([...users(20, 'ab', 'a', 'b'), ...users(20, 'cd', 'c', 'd')]);
    const history: PastBooking[] = [{ movieId: 'a', at: 1, rating: 1 }];
    const recs = recommend(request({ history, model, movies: alike, candidates: ['b', 'd'], popularity: { b: 10, d: 10 } }));
    expect(recs.map((r) => r.movieId)).toEqual(['d', 'b']);
  });

  it('breaks equal scores by popularity and then by movie id', () => {
    const recs = recommend(request({ movies: alike, candidates: ['d', 'c', 'b', 'a'], popularity: {} }));
    expect(recs.map((r) => r.movieId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('returns at most `limit` movies', () => {
    expect(recommend(request({ movies: alike, candidates: ['a', 'b', 'c', 'd'], limit: 2 }))).toHaveLength(2);
  });

  it("puts a new film with the star the user keeps booking above a more popular one of the same language and genre", () => {
    const movies = [
      movie('s1', 'Telugu', ['Drama'], ['star-a', 'x1']),
      movie('s2', 'Telugu', ['Comedy'], ['star-a', 'x2']),
      movie('s3', 'Telugu', ['Action'], ['star-a', 'x3']),
      movie('with-star', 'Telugu', ['Action'], ['star-a', 'y1']),
      movie('without', 'Telugu', ['Action'], ['y2', 'y3']),
    ];
    const req = request({ history: booked('s1', 's2', 's3'), movies, candidates: ['with-star', 'without'], popularity: { 'with-star': 8, without: 12 } });
    expect(recommend(req).map((r) => r.movieId)).toEqual(['with-star', 'without']);
    expect(recommend({ ...req, weights: { cast: 0 } }).map((r) => r.movieId)).toEqual(['without', 'with-star']);
  });

  it('names the film the user watched as the reason for its co-booked neighbour, even one whose stars the user has not booked yet', () => {
    const movies = [movie('rrr', 'Telugu', ['Action', 'Drama'], ['n1', 'n2']), movie('sita', 'Telugu', ['Romance', 'Drama'], ['d1', 'd2', 'd3', 'd4']), movie('other', 'Hindi', ['Action'], ['h1'])];
    const model = buildModel([...users(5, 'both', 'rrr', 'sita'), ...users(3, 'o', 'other')]);
    const recs = recommend(request({ history: booked('rrr'), model, movies, candidates: ['sita', 'other'], popularity: { sita: 5, other: 3 } }));
    expect(recs[0]).toMatchObject({ movieId: 'sita', reason: { kind: 'because_you_watched', movieId: 'rrr' } });
  });

  it('ranks by popularity alone when every personal weight is 0, and keeps the default for a weight left out', () => {
    const movies = [movie('t1', 'Telugu'), movie('h1', 'Hindi'), movie('h2', 'Hindi')];
    const req = request({ history: booked('t0'), movies: [...movies, movie('t0', 'Telugu')], candidates: ['t1', 'h1', 'h2'], popularity: { t1: 5, h1: 6, h2: 7 }, preferredLanguage: 'Telugu' });
    const none = { cobooked: 0, language: 0, genre: 0, cast: 0 };
    expect(recommend({ ...req, weights: none }).map((r) => r.movieId)).toEqual(['h2', 'h1', 't1']);
    expect(recommend({ ...req, weights: { ...none, language: DEFAULT_WEIGHTS.language } }).map((r) => r.movieId)[0]).toBe('t1');
    expect(recommend({ ...req, weights: {} })).toEqual(recommend(req));
  });
});

describe('recommend: properties', () => {
  const ids = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
  const languages = ['Telugu', 'Hindi', 'Tamil'];
  const genres = ['Action', 'Drama', 'Comedy', 'Horror'];
  const world = fc.record({
    movies: fc.tuple(
      ...ids.map((id) =>
        fc.record({
          id: fc.constant(id),
          languages: fc.shuffledSubarray(languages, { minLength: 1 }),
          genres: fc.shuffledSubarray(genres, { minLength: 1, maxLength: 2 }),
          cast: fc.option(fc.shuffledSubarray(['x', 'y', 'z'], { minLength: 1 }), { nil: undefined }),
        }),
      ),
    ),
    others: fc.array(fc.array(fc.record({ movieId: fc.constantFrom(...ids), rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }) }), { maxLength: 5 }), { maxLength: 30 }),
    history: fc.array(fc.record({ movieId: fc.constantFrom(...ids), rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }) }), { maxLength: 5 }),
    candidates: fc.shuffledSubarray(ids),
    popularity: fc.dictionary(fc.constantFrom(...ids), fc.nat(50)),
    preferredLanguage: fc.option(fc.constantFrom(...languages), { nil: undefined }),
  });
  type World = typeof world extends fc.Arbitrary<infer T> ? T : never;
  const asBookings = (xs: { movieId: string; rating?: number }[]): PastBooking[] =>
    xs.map((x, i) => (x.rating === undefined ? { movieId: x.movieId, at: i } : { movieId: x.movieId, at: i, rating: x.rating }));
  const build = (w: World): RecRequest => ({
    history: asBookings(w.history),
    model: buildModel(w.others.map((b, i) => ({ userId: `u${i}`, bookings: asBookings(b) }))),
    movies: w.movies,
    candidates: w.candidates,
    cityId: 'c',
    popularity: w.popularity,
    preferredLanguage: w.preferredLanguage,
    limit: 8,
  });

  it('recommends only candidates the user has not booked, each once, sorted by score', () => {
    fc.assert(
      fc.property(world, (w) => {
        const recs = recommend(build(w));
        const seen = new Set(w.history.map((b) => b.movieId));
        expect(recs.every((r) => w.candidates.includes(r.movieId) && !seen.has(r.movieId))).toBe(true);
        expect(new Set(recs.map((r) => r.movieId)).size).toBe(recs.length);
        expect(recs.length).toBe(w.candidates.filter((id) => !seen.has(id)).length);
        for (let i = 1; i < recs.length; i++) expect(recs[i - 1]!.score).toBeGreaterThanOrEqual(recs[i]!.score);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same answer whatever the order of the history, the candidates, the movies and everyone else\'s histories', () => {
    fc.assert(
      fc.property(world, fc.integer(), (w, seed) => {
        const shuffle = <T>(xs: readonly T[]): T[] => {
          let s = seed | 0;
          const out = [...xs];
          for (let i = out.length - 1; i > 0; i--) {
            s = (Math.imul(s, 1103515245) + 12345) | 0;
            const j = (s >>> 0) % (i + 1);
            [out[i], out[j]] = [out[j]!, out[i]!];
          }
          return out;
        };
        const req = build(w);
        const others = w.others.map((b, i) => ({ userId: `u${i}`, bookings: asBookings(b) }));
        const permuted: RecRequest = {
          ...req,
          history: shuffle(req.history),
          candidates: shuffle(req.candidates),
          movies: shuffle(req.movies),
          model: buildModel(shuffle(others).map((h) => ({ ...h, bookings: shuffle(h.bookings) }))),
        };
        expect(recommend(permuted)).toEqual(recommend(req));
      }),
      { numRuns: 200 },
    );
  });
});
