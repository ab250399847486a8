/**
 * Offline evaluation of the recommender (server/domain/recommend.ts) against a popularity baseline.
 *   npm run bench:recs -- [--users 5000] [--seed 17] [--taste-strength 1]
 * Prints, never asserts (but says PASS or MISS against the 1.5x target).
 *
 * The world (seeded, so a rerun prints the same figures):
 * - Now showing: the demo catalogue (buildDemoCatalog: 30 films, their languages with the original
 *   first, genres, and the cities that show them: 5 cities, 6-22 films each), in a 14-day run.
 * - A back-catalogue, because a real history is mostly of films no longer showing: 3 past films per
 *   current one, each of the same industry (original language), languages and cities as that film,
 *   1-2 genres drawn from its industry's films, opening on some day of the 24 weeks before.
 * - No cast in the catalogue yet, so each film gets up to 3 actors drawn (by a hash of its id)
 *   from 6 invented stars of its industry: stars recur across their industry's films, as they do.
 * - Each film has a hype factor, lognormal (sigma 0.7), the same in every city.
 * - Each user lives in one city (Hyderabad 30 %, Mumbai 25, Bangalore 20, Delhi 20, Dubai 5) and
 *   has hidden tastes: a first language from the city's mix (Hyderabad 60 % Telugu, Mumbai 60 %
 *   Hindi, Delhi 65 % Hindi, Bangalore and Dubai mixed), a second language half the time (English
 *   or Hindi 3x as likely as the others), 1-3 favourite genres, 1-2 favourite stars of their
 *   languages' industries and, 30 % of the time, one more from any industry.
 * - Taste fit = language (original in the first language x4, in the second x2.5, dubbed into one
 *   of theirs x1, none of theirs x0.3) x (1 + favourite genres it has) x (1 + 1.5 x favourite
 *   stars in it), raised to --taste-strength (default 1). Appeal = hype x taste fit.
 * - How often someone goes to the cinema is their own (lognormal); taste decides which films: a
 *   user books each film shown in their city with probability 1 - exp(-rate x appeal / their mean
 *   appeal x personal noise (lognormal, sigma 0.5)), on some day of its run. 40 % of bookings are
 *   rated 1-5 from the taste fit plus noise.
 *
 * Evaluation: users whose last 2 bookings are both of films now showing (so either ranker could
 * name them) have those 2 held out; the model and the popularity are built from every other
 * booking. Popularity is the city's count of those bookings in the current run (the stand-in for
 * "last 7 days"; the whole run, which makes the baseline as strong as it can be). Both rankers see
 * only the films showing in the user's city that the user has not booked; the baseline ranks
 * them by popularity (ties by id). Half the users have told us their language (their first one).
 * precision@5 = held-out films in the top 5 / 5; recall@10 = held-out in the top 10 / 2; averaged
 * over the evaluated users. "hidden taste" ranks by the appeal the generator used (which no ranker
 * can see): the ceiling for this world.
 */
import { buildDemoCatalog } from '../server/seed/demo.js';
import { buildModel, recommend, type MovieContent, type PastBooking, type UserHistory } from '../server/domain/recommend.js';

// Not bench/lib.ts: that loads the store and the app, none of which this pure bench needs.
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const USERS = Number(arg('users', '5000'));
const SEED = Number(arg('seed', '17'));
const HOLD_OUT = 2;
/** Exponent on the taste part of the appeal: 1 is the world described above; higher makes tastes more decisive. */
const TASTE_STRENGTH = Number(arg('taste-strength', '1'));
const TARGET = 1.5;

let state = SEED;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const pickWeighted = <T>(items: readonly T[], weight: (x: T) => number): T => {
  const total = items.reduce((s, x) => s + weight(x), 0);
  let r = random() * total;
  for (const x of items) if ((r -= weight(x)) <= 0) return x;
  return items[items.length - 1]!;
};
const pickSome = <T>(items: readonly T[], n: number): T[] => {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return out;
};
const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

// ---- the world ----------------------------------------------------------------------------

const catalog = buildDemoCatalog();
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);
const ACTORS_PER_INDUSTRY = 6;
const actorsOf = (language: string) => Array.from({ length: ACTORS_PER_INDUSTRY }, (_, i) => `${language.toLowerCase()}-star-${i + 1}`);
const castFor = (id: string, language: string) => {
  const pool = actorsOf(language);
  const h = hash(id);
  return [...new Set([0, 1, 2].map((k) => pool[(h + k * (1 + (h % 5))) % pool.length]!))];
};

interface WorldMovie extends MovieContent {
  cities: string[];
  /** When its run starts; it runs for 14 days. */
  opens: number;
  nowShowing: boolean;
}
const citiesOf = (movieId: string) => [...new Set(catalog.plays.filter((p) => p.movie.id === movieId).map((p) => p.theatre.cityId))].sort();
const current: WorldMovie[] = catalog.movies.map((m) => ({
  id: m.id,
  languages: m.languages,
  genres: m.genres,
  cast: castFor(m.id, m.languages[0]!),
  cities: citiesOf(m.id),
  opens: NOW - 14 * DAY,
  nowShowing: true,
}));
// The back-catalogue: per industry, three past films for each current one, opening over the 24 weeks before;
// each takes its languages and cities from a current film of its industry, 1-2 genres of that industry's films.
const past: WorldMovie[] = current.flatMap((template, t) =>
  [0, 1, 2].map((k) => {
    const language = template.languages[0]!;
    const industryGenres = current.filter((m) => m.languages[0] === language).flatMap((m) => m.genres);
    const id = `past-${language.toLowerCase()}-${t}-${k}`;
    return {
      id,
      languages: template.languages,
      genres: [...new Set(Array.from({ length: 1 + Math.floor(random() * 2) }, () => industryGenres[Math.floor(random() * industryGenres.length)]!))],
      cast: castFor(id, language),
      cities: template.cities,
      opens: NOW - (28 + Math.floor(random() * 168)) * DAY,
      nowShowing: false,
    };
  }),
);
const world = [...past, ...current];
const movies: MovieContent[] = world.map(({ id, languages, genres, cast }) => ({ id, languages, genres, cast }));
const movieById = new Map(world.map((m) => [m.id, m]));
const showing = new Map<string, string[]>();
for (const m of current) for (const c of m.cities) showing.set(c, [...(showing.get(c) ?? []), m.id]);
const cities = [...showing.keys()].sort();
const cityShare: Record<string, number> = { hyderabad: 0.3, mumbai: 0.25, bangalore: 0.2, delhi: 0.2, dubai: 0.05 };
const cityLanguages: Record<string, Record<string, number>> = {
  hyderabad: { Telugu: 0.6, Hindi: 0.15, Tamil: 0.1, English: 0.1, Kannada: 0.025, Malayalam: 0.025 },
  mumbai: { Hindi: 0.6, English: 0.2, Telugu: 0.07, Tamil: 0.07, Malayalam: 0.06 },
  bangalore: { Kannada: 0.3, Tamil: 0.2, Telugu: 0.15, English: 0.2, Hindi: 0.1, Malayalam: 0.05 },
  delhi: { Hindi: 0.65, English: 0.25, Telugu: 0.04, Tamil: 0.03, Malayalam: 0.03 },
  dubai: { Hindi: 0.35, Malayalam: 0.25, English: 0.2, Tamil: 0.1, Telugu: 0.1 },
};
const allLanguages = [...new Set(movies.map((m) => m.languages[0]!))].sort();
const allGenres = [...new Set(movies.flatMap((m) => m.genres))].sort();
const hype = new Map(movies.map((m) => [m.id, Math.exp(0.7 * gaussian())]));

interface Taste {
  languages: string[];
  genres: string[];
  actors: string[];
}
const tasteFit = (t: Taste, m: MovieContent) => {
  const original = m.languages[0]!;
  const language = original === t.languages[0] ? 4 : original === t.languages[1] ? 2.5 : m.languages.some((l) => t.languages.includes(l)) ? 1 : 0.3;
  const genres = 1 + m.genres.filter((g) => t.genres.includes(g)).length;
  const actors = 1 + 1.5 * (m.cast ?? []).filter((a) => t.actors.includes(a)).length;
  return (language * genres * actors) ** TASTE_STRENGTH;
};
const appealOf = (t: Taste, id: string) => hype.get(id)! * tasteFit(t, movieById.get(id)!);

interface User {
  id: string;
  cityId: string;
  taste: Taste;
  toldLanguage: boolean;
  /** In time order. */
  bookings: PastBooking[];
}

function makeUser(i: number): User {
  const cityId = pickWeighted(cities, (c) => cityShare[c] ?? 0.05);
  const mix = cityLanguages[cityId] ?? Object.fromEntries(allLanguages.map((l) => [l, 1]));
  const first = pickWeighted(Object.keys(mix), (l) => mix[l]!);
  const languages = random() < 0.5 ? [first, pickWeighted(allLanguages.filter((l) => l !== first), (l) => (l === 'English' || l === 'Hindi' ? 3 : 1))] : [first];
  const genres = pickSome(allGenres, 1 + Math.floor(random() * 3));
  const actors = pickSome(languages.flatMap(actorsOf), 1 + Math.floor(random() * 2));
  if (random() < 0.3) actors.push(...pickSome(allLanguages.flatMap(actorsOf), 1));
  const taste = { languages, genres, actors };

  // Whether a user sees a film at all depends on its appeal; when is some day of its run.
  // How often someone goes to the cinema is their own (lognormal); taste decides which films.
  const here = world.filter((m) => m.cities.includes(cityId));
  const meanAppeal = here.reduce((sum, m) => sum + appealOf(taste, m.id), 0) / here.length;
  const activity = (0.1 * Math.exp(0.6 * gaussian())) / meanAppeal;
  const bookings: PastBooking[] = [];
  for (const m of here) {
    if (random() >= 1 - Math.exp(-activity * appealOf(taste, m.id) * Math.exp(0.5 * gaussian()))) continue;
    const booking: PastBooking = { movieId: m.id, at: m.opens + Math.floor(random() * 14 * DAY) };
    if (random() < 0.4) booking.rating = Math.max(1, Math.min(5, Math.round(2 + 0.8 * Math.log(tasteFit(taste, m)) + 0.7 * gaussian())));
    bookings.push(booking);
  }
  bookings.sort((a, b) => a.at - b.at);
  return { id: `u${i}`, cityId, taste, toldLanguage: random() < 0.5, bookings };
}

const users = Array.from({ length: USERS }, (_, i) => makeUser(i));

// ---- the split ----------------------------------------------------------------------------

// Evaluated: users whose last 2 bookings are of films now showing (so either ranker could name them).
const evaluated = users.filter((u) => u.bookings.length >= HOLD_OUT && u.bookings.slice(-HOLD_OUT).every((b) => movieById.get(b.movieId)!.nowShowing));
const isEvaluated = new Set(evaluated.map((u) => u.id));
const train: UserHistory[] = users.map((u) => ({ userId: u.id, bookings: isEvaluated.has(u.id) ? u.bookings.slice(0, -HOLD_OUT) : u.bookings }));
const trainOf = new Map(train.map((h) => [h.userId, h.bookings]));
const heldOut = new Map(evaluated.map((u) => [u.id, new Set(u.bookings.slice(-HOLD_OUT).map((b) => b.movieId))]));
const popularity = new Map<string, Record<string, number>>();
for (const u of users) {
  const counts = popularity.get(u.cityId) ?? {};
  for (const b of trainOf.get(u.id)!) if (b.at >= NOW - 14 * DAY) counts[b.movieId] = (counts[b.movieId] ?? 0) + 1;
  popularity.set(u.cityId, counts);
}

let t = performance.now();
const model = buildModel(train);
const buildMs = performance.now() - t;

const popularRanking = (u: User, history: readonly PastBooking[]) => {
  const booked = new Set(history.map((b) => b.movieId));
  const pop = popularity.get(u.cityId)!;
  return showing
    .get(u.cityId)!
    .filter((id) => !booked.has(id))
    .sort((a, b) => (pop[b] ?? 0) - (pop[a] ?? 0) || (a < b ? -1 : 1));
};

/** The ceiling: ranked by the hidden appeal (hype x taste, without the personal noise) no ranker can see. */
const oracleRanking = (u: User, history: readonly PastBooking[]) =>
  popularRanking(u, history).sort((a, b) => appealOf(u.taste, b) - appealOf(u.taste, a));
const oracle = { precision5: 0, recall10: 0 };

interface Tally {
  precision5: number;
  recall10: number;
}
const score = (ranked: readonly string[], truth: Set<string>): Tally => ({
  precision5: ranked.slice(0, 5).filter((id) => truth.has(id)).length / 5,
  recall10: ranked.slice(0, 10).filter((id) => truth.has(id)).length / truth.size,
});
const sum = { recs: { precision5: 0, recall10: 0 }, popular: { precision5: 0, recall10: 0 } };
const byGroup = new Map<string, { n: number; recs: number; popular: number }>();
const requestMs: number[] = [];
const reasons = new Map<string, number>();

const requestFor = (u: User) => ({
  history: trainOf.get(u.id)!,
  model,
  movies,
  candidates: showing.get(u.cityId)!,
  cityId: u.cityId,
  popularity: popularity.get(u.cityId)!,
  preferredLanguage: u.toldLanguage ? u.taste.languages[0] : undefined,
  limit: 10,
});
// Warm up the JIT so the timings are of the steady state.
for (const u of evaluated.slice(0, 500)) recommend(requestFor(u));

for (const u of evaluated) {
  const history = trainOf.get(u.id)!;
  const truth = heldOut.get(u.id)!;
  t = performance.now();
  const recs = recommend(requestFor(u));
  requestMs.push(performance.now() - t);
  for (const r of recs.slice(0, 5)) reasons.set(r.reason.kind, (reasons.get(r.reason.kind) ?? 0) + 1);
  const a = score(
    recs.map((r) => r.movieId),
    truth,
  );
  const b = score(popularRanking(u, history), truth);
  const o = score(oracleRanking(u, history), truth);
  oracle.precision5 += o.precision5;
  oracle.recall10 += o.recall10;
  sum.recs.precision5 += a.precision5;
  sum.recs.recall10 += a.recall10;
  sum.popular.precision5 += b.precision5;
  sum.popular.recall10 += b.recall10;
  const group = `${history.length === 0 ? 'no history' : history.length <= 2 ? '1-2 bookings' : '3+ bookings'}`;
  const g = byGroup.get(group) ?? { n: 0, recs: 0, popular: 0 };
  g.n++;
  g.recs += a.precision5;
  g.popular += b.precision5;
  byGroup.set(group, g);
}

const n = evaluated.length;
const p = (x: number) => (x / n).toFixed(4);
const ratio = sum.recs.precision5 / sum.popular.precision5;
const sortedMs = requestMs.sort((a, b) => a - b);
const bookingsTotal = users.reduce((s, u) => s + u.bookings.length, 0);
console.log(`bench:recs  users ${users.length}, seed ${SEED}, taste strength ${TASTE_STRENGTH}: ${current.length} films now showing + ${past.length} past, ${cities.length} cities, ${bookingsTotal} bookings (mean ${(bookingsTotal / users.length).toFixed(1)} per user)`);
console.log(`evaluated ${n} users (last ${HOLD_OUT} bookings both of films now showing), those ${HOLD_OUT} held out`);
console.log(`model build ${buildMs.toFixed(1)} ms (${train.reduce((s, h) => s + h.bookings.length, 0)} training bookings); per request p50 ${percentile(sortedMs, 50).toFixed(3)} ms, p99 ${percentile(sortedMs, 99).toFixed(3)} ms`);
console.log('');
console.log('                 precision@5  recall@10');
console.log(`recommender      ${p(sum.recs.precision5).padStart(11)}  ${p(sum.recs.recall10).padStart(9)}`);
console.log(`popularity       ${p(sum.popular.precision5).padStart(11)}  ${p(sum.popular.recall10).padStart(9)}`);
console.log(`hidden taste     ${p(oracle.precision5).padStart(11)}  ${p(oracle.recall10).padStart(9)}   (the ceiling: ranked by the appeal the generator used, ${(oracle.precision5 / sum.popular.precision5).toFixed(2)}x)`);
console.log(`ratio            ${ratio.toFixed(2).padStart(10)}x  ${(sum.recs.recall10 / sum.popular.recall10).toFixed(2).padStart(8)}x`);
console.log('');
for (const [group, g] of [...byGroup.entries()].sort()) {
  console.log(`  ${group.padEnd(14)} ${String(g.n).padStart(5)} users: precision@5 ${(g.recs / g.n).toFixed(4)} vs ${(g.popular / g.n).toFixed(4)} (${(g.recs / g.popular).toFixed(2)}x)`);
}
console.log(`  reasons in the top 5: ${[...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log('');
console.log(`target: precision@5 >= ${TARGET}x the popularity baseline: ${ratio >= TARGET ? 'PASS' : 'MISS'} (${ratio.toFixed(2)}x)`);
