/**
 * Offline evaluation of the recommender (server/domain/recommend.ts) against a popularity baseline.
 *   npm run bench:recs -- [--users 5000] [--seed 17] [--slate 1,2] [--taste-strength 1,2,3] [--no-tune | --tune-all] [--weights '{"cast":0.4}']
 * Prints, never asserts (but says PASS or MISS against the 1.5x target), per slate and taste
 * strength; the headline is the documented default, slate 2 and strength 2. Progress goes to stderr.
 *
 * The world (seeded, so a rerun prints the same figures):
 * - Now showing: the demo catalogue (buildDemoCatalog: 30 films, their languages with the original
 *   first, genres, and the cities that show them: 5 cities, 6-22 films each), in a 14-day run;
 *   with a slate of k, k - 1 contemporaries of each demo film too (same industry, languages and
 *   cities, 1-2 genres drawn from its industry's films). Slate 1 is the demo catalogue alone; slate
 *   2 (the default, 12-44 films a city) is a metro's fortnight of releases (see the docs).
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
 *   stars in it), raised to the taste strength. Appeal = hype x taste fit. Strength 2 (the
 *   default) makes a viewer with 6+ bookings book films of 2.0 original languages on average, the
 *   figure Ormax reports for Indian viewers (1.8-2.3 languages, 2022); strength 1 gives 3.2 and
 *   has 5 % of bookings in a language the viewer does not speak, not even dubbed (see the docs).
 * - How often someone goes to the cinema is their own (lognormal); taste decides which films: a
 *   user books each film shown in their city with probability 1 - exp(-rate x appeal / their mean
 *   appeal / slate x personal noise (lognormal, sigma 0.5)), on some day of its run (so a bigger
 *   slate means more to choose from, not more evenings out). 40 % of bookings are
 *   rated 1-5 from the taste fit plus noise.
 *
 * Evaluation: users whose last 2 bookings are both of films now showing (so either ranker could
 * name them) have those 2 held out; the model and the popularity are built from every other
 * booking. Popularity is the city's count of those bookings in the current run (the stand-in for
 * "last 7 days"; the whole run, which makes the baseline as strong as it can be). Both rankers see
 * only the films showing in the user's city that the user has not booked; the baseline ranks
 * them by popularity (ties by id). Half the users have told us their language (their first one).
 * precision@5 = held-out films in the top 5 / 5; recall@10 = held-out in the top 10 / 2; averaged
 * over the evaluated users (so precision@5 is at most 0.4). "hidden taste" ranks by the appeal the
 * generator used (which no ranker can see): the ceiling for this world.
 *
 * Weights: the blend's weights are tuned (coordinate search) on a validation split: each evaluated
 * user's history without the test bookings, its own last 2 held out, the model rebuilt without them.
 * The test split is never used to choose them. By default only the default strength is tuned (at
 * each slate) and the others run the shipped DEFAULT_WEIGHTS (the slate-1 tuning's result); tuned
 * runs print the shipped weights' figures as well.
 */
import { buildDemoCatalog } from '../server/seed/demo.js';
import { buildModel, DEFAULT_WEIGHTS, recommend, type MovieContent, type PastBooking, type RecModel, type RecWeights, type UserHistory } from '../server/domain/recommend.js';

// Not bench/lib.ts: that loads the store and the app, none of which this pure bench needs.
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const USERS = Number(arg('users', '5000'));
const SEED = Number(arg('seed', '17'));
const HOLD_OUT = 2;
/**
 * Exponent on the taste fit: how decisive taste is against hype and personal noise. 1 is the first
 * world of this bench, in which a first-language viewer still books films in a language they do not
 * speak at all; the documented default is calibrated on how concentrated real viewers' languages are
 * (docs/recommendations.md, "How strong is taste"), not on the target.
 */
const DEFAULT_STRENGTH = 2;
const STRENGTHS = arg('taste-strength', '1,2,3').split(',').map(Number);
/**
 * Films now showing per demo film: 1 is the demo catalogue itself (6-22 films a city), too few
 * for a top 5 to separate rankers; 2 is the documented default, a metro's fortnight of releases
 * (docs/recommendations.md, "How many films are showing").
 */
const DEFAULT_SLATE = 2;
const SLATES = arg('slate', '1,2').split(',').map(Number);
const TUNE = !process.argv.includes('--no-tune');
/** Tune at every strength, not only the default (slower; shows what a deployment tuned on its own data would reach). */
const TUNE_ALL = process.argv.includes('--tune-all');
/** --weights '{"language":0.5}': start from these instead of DEFAULT_WEIGHTS (to try a blend by hand, with --no-tune). */
const START: RecWeights = { ...DEFAULT_WEIGHTS, ...(JSON.parse(arg('weights', '{}')) as Partial<RecWeights>) };
const TARGET = 1.5;
const progress = (line: string) => process.stderr.write(`  .. ${line}\n`);

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
/** A film of the template's industry (its original language, languages, cities), with 1-2 genres drawn from that industry's demo films. */
const filmLike = (template: WorldMovie, id: string, opens: () => number, nowShowing: boolean): WorldMovie => {
  const language = template.languages[0]!;
  const industryGenres = catalog.movies.filter((m) => m.languages[0] === language).flatMap((m) => m.genres);
  const genres = [...new Set(Array.from({ length: 1 + Math.floor(random() * 2) }, () => industryGenres[Math.floor(random() * industryGenres.length)]!))];
  // Drawn after the genres, so slate 1 is the same world as before --slate existed.
  return { id, languages: template.languages, genres, cast: castFor(id, language), cities: template.cities, opens: opens(), nowShowing };
};

// The world of one slate size (see --slate); assigned by useWorld before each run.
let current: WorldMovie[] = [];
let world: WorldMovie[] = [];
let movies: MovieContent[] = [];
let movieById = new Map<string, WorldMovie>();
let showing = new Map<string, string[]>();
let cities: string[] = [];
let allLanguages: string[] = [];
let allGenres: string[] = [];
let hype = new Map<string, number>();

/**
 * Films now showing: the demo catalogue's 30, and with a slate of k, k - 1 contemporaries of
 * each (same industry and cities). The back-catalogue: three past films per film now showing,
 * opening over the 24 weeks before, so the release rate is the same before and now.
 */
function useWorld(slate: number) {
  state = SEED;
  const demo: WorldMovie[] = catalog.movies.map((m) => ({
    id: m.id,
    languages: m.languages,
    genres: m.genres,
    cast: castFor(m.id, m.languages[0]!),
    cities: citiesOf(m.id),
    opens: NOW - 14 * DAY,
    nowShowing: true,
  }));
  const contemporaries = demo.flatMap((template, t) => Array.from({ length: slate - 1 }, (_, k) => filmLike(template, `now-${template.languages[0]!.toLowerCase()}-${t}-${k}`, () => NOW - 14 * DAY, true)));
  current = [...demo, ...contemporaries];
  const past = current.flatMap((template, t) =>
    [0, 1, 2].map((k) => filmLike(template, `past-${template.languages[0]!.toLowerCase()}-${t}-${k}`, () => NOW - (28 + Math.floor(random() * 168)) * DAY, false)),
  );
  world = [...past, ...current];
  movies = world.map(({ id, languages, genres, cast }) => ({ id, languages, genres, cast }));
  movieById = new Map(world.map((m) => [m.id, m]));
  showing = new Map<string, string[]>();
  for (const m of current) for (const c of m.cities) showing.set(c, [...(showing.get(c) ?? []), m.id]);
  cities = [...showing.keys()].sort();
  allLanguages = [...new Set(movies.map((m) => m.languages[0]!))].sort();
  allGenres = [...new Set(movies.flatMap((m) => m.genres))].sort();
  hype = new Map(movies.map((m) => [m.id, Math.exp(0.7 * gaussian())]));
}
const cityShare: Record<string, number> = { hyderabad: 0.3, mumbai: 0.25, bangalore: 0.2, delhi: 0.2, dubai: 0.05 };
const cityLanguages: Record<string, Record<string, number>> = {
  hyderabad: { Telugu: 0.6, Hindi: 0.15, Tamil: 0.1, English: 0.1, Kannada: 0.025, Malayalam: 0.025 },
  mumbai: { Hindi: 0.6, English: 0.2, Telugu: 0.07, Tamil: 0.07, Malayalam: 0.06 },
  bangalore: { Kannada: 0.3, Tamil: 0.2, Telugu: 0.15, English: 0.2, Hindi: 0.1, Malayalam: 0.05 },
  delhi: { Hindi: 0.65, English: 0.25, Telugu: 0.04, Tamil: 0.03, Malayalam: 0.03 },
  dubai: { Hindi: 0.35, Malayalam: 0.25, English: 0.2, Tamil: 0.1, Telugu: 0.1 },
};

interface Taste {
  languages: string[];
  genres: string[];
  actors: string[];
}
const tasteFit = (t: Taste, m: MovieContent, strength: number) => {
  const original = m.languages[0]!;
  const language = original === t.languages[0] ? 4 : original === t.languages[1] ? 2.5 : m.languages.some((l) => t.languages.includes(l)) ? 1 : 0.3;
  const genres = 1 + m.genres.filter((g) => t.genres.includes(g)).length;
  const actors = 1 + 1.5 * (m.cast ?? []).filter((a) => t.actors.includes(a)).length;
  return (language * genres * actors) ** strength;
};

interface User {
  id: string;
  cityId: string;
  taste: Taste;
  toldLanguage: boolean;
  /** In time order. */
  bookings: PastBooking[];
}

/** The same people (city, tastes) at every strength; only how decisive their tastes are differs. */
function makeUsers(strength: number, slate: number): User[] {
  state = SEED * 7919 + 1;
  const appealOf = (t: Taste, id: string) => hype.get(id)! * tasteFit(t, movieById.get(id)!, strength);
  return Array.from({ length: USERS }, (_, i) => {
    const cityId = pickWeighted(cities, (c) => cityShare[c] ?? 0.05);
    const mix = cityLanguages[cityId] ?? Object.fromEntries(allLanguages.map((l) => [l, 1]));
    const first = pickWeighted(Object.keys(mix), (l) => mix[l]!);
    const languages = random() < 0.5 ? [first, pickWeighted(allLanguages.filter((l) => l !== first), (l) => (l === 'English' || l === 'Hindi' ? 3 : 1))] : [first];
    const genres = pickSome(allGenres, 1 + Math.floor(random() * 3));
    const actors = pickSome(languages.flatMap(actorsOf), 1 + Math.floor(random() * 2));
    if (random() < 0.3) actors.push(...pickSome(allLanguages.flatMap(actorsOf), 1));
    const taste = { languages, genres, actors };
    const toldLanguage = random() < 0.5;

    // Whether a user sees a film at all depends on its appeal; when is some day of its run.
    // How often someone goes to the cinema is their own (lognormal); taste decides which films.
    const here = world.filter((m) => m.cities.includes(cityId));
    const meanAppeal = here.reduce((sum, m) => sum + appealOf(taste, m.id), 0) / here.length;
    // Per slate: a bigger slate gives each viewer more films to choose from, not more evenings out.
    const activity = (0.1 * Math.exp(0.6 * gaussian())) / meanAppeal / slate;
    const bookings: PastBooking[] = [];
    for (const m of here) {
      if (random() >= 1 - Math.exp(-activity * appealOf(taste, m.id) * Math.exp(0.5 * gaussian()))) continue;
      const booking: PastBooking = { movieId: m.id, at: m.opens + Math.floor(random() * 14 * DAY) };
      // Ratings from the taste fit at strength 1 (how much they liked it, whatever made them go).
      if (random() < 0.4) booking.rating = Math.max(1, Math.min(5, Math.round(2 + 0.8 * Math.log(tasteFit(taste, m, 1)) + 0.7 * gaussian())));
      bookings.push(booking);
    }
    bookings.sort((a, b) => a.at - b.at);
    return { id: `u${i}`, cityId, taste, toldLanguage, bookings };
  });
}

/** How concentrated the generated viewers' languages are: what the taste strength is calibrated on. */
function languageProfile(users: readonly User[]) {
  let all = 0;
  let first = 0;
  let foreign = 0;
  let distinct = 0;
  let regulars = 0;
  for (const u of users) {
    for (const b of u.bookings) {
      const m = movieById.get(b.movieId)!;
      all++;
      if (m.languages[0] === u.taste.languages[0]) first++;
      if (!m.languages.some((l) => u.taste.languages.includes(l))) foreign++;
    }
    if (u.bookings.length >= 6) {
      regulars++;
      distinct += new Set(u.bookings.map((b) => movieById.get(b.movieId)!.languages[0])).size;
    }
  }
  return { firstShare: first / all, foreignShare: foreign / all, distinctLanguages: distinct / Math.max(1, regulars), bookings: all };
}

// ---- the splits ---------------------------------------------------------------------------

interface Case {
  user: User;
  history: PastBooking[];
  truth: Set<string>;
  /** Films this user is known to book later (the test's held-out ones, while validating): neither candidates nor truth. */
  hidden: Set<string>;
}
interface Split {
  cases: Case[];
  model: RecModel;
  buildMs: number;
  popularity: Map<string, Record<string, number>>;
}

const lastAreShowing = (bookings: readonly PastBooking[]) =>
  bookings.length >= HOLD_OUT && bookings.slice(-HOLD_OUT).every((b) => movieById.get(b.movieId)!.nowShowing);

/**
 * Holds out the last 2 bookings of every user whose last 2 are both of films now showing; the model
 * and the popularity come from every other booking. Popularity is the city's count of those bookings
 * in the current run (the stand-in for "last 7 days"; the whole run, which makes the baseline as
 * strong as it can be).
 */
function split(users: readonly User[], historyOf: (u: User) => PastBooking[], hiddenOf: (u: User) => Set<string>): Split {
  const cases: Case[] = [];
  const train: UserHistory[] = [];
  for (const u of users) {
    const all = historyOf(u);
    if (lastAreShowing(all)) {
      const history = all.slice(0, -HOLD_OUT);
      cases.push({ user: u, history, truth: new Set(all.slice(-HOLD_OUT).map((b) => b.movieId)), hidden: hiddenOf(u) });
      train.push({ userId: u.id, bookings: history });
    } else train.push({ userId: u.id, bookings: all });
  }
  const popularity = new Map<string, Record<string, number>>();
  users.forEach((u, i) => {
    const counts = popularity.get(u.cityId) ?? {};
    for (const b of train[i]!.bookings) if (b.at >= NOW - 14 * DAY) counts[b.movieId] = (counts[b.movieId] ?? 0) + 1;
    popularity.set(u.cityId, counts);
  });
  const t = performance.now();
  const model = buildModel(train);
  return { cases, model, buildMs: performance.now() - t, popularity };
}

// ---- ranking and scoring ------------------------------------------------------------------

type Ranker = (c: Case) => string[];
interface Result {
  precision5: number;
  recall10: number;
  n: number;
  groups: Map<string, { n: number; precision5: number }>;
}
const groupOf = (c: Case) => (c.history.length === 0 ? 'no history' : c.history.length <= 2 ? '1-2 bookings' : '3+ bookings');

function evaluate(cases: readonly Case[], rank: Ranker): Result {
  const r: Result = { precision5: 0, recall10: 0, n: cases.length, groups: new Map() };
  for (const c of cases) {
    const ranked = rank(c);
    const p5 = ranked.slice(0, 5).filter((id) => c.truth.has(id)).length / 5;
    r.precision5 += p5;
    r.recall10 += ranked.slice(0, 10).filter((id) => c.truth.has(id)).length / c.truth.size;
    const g = r.groups.get(groupOf(c)) ?? { n: 0, precision5: 0 };
    g.n++;
    g.precision5 += p5;
    r.groups.set(groupOf(c), g);
  }
  r.precision5 /= Math.max(1, r.n);
  r.recall10 /= Math.max(1, r.n);
  return r;
}

/** Both rankers see the same films: showing in the user's city, not booked by them (nor, while validating, booked by them later). */
const candidatesOf = (c: Case) => {
  const booked = new Set(c.history.map((b) => b.movieId));
  return showing.get(c.user.cityId)!.filter((id) => !booked.has(id) && !c.hidden.has(id));
};
const popularityRanker = (s: Split): Ranker => (c) => {
  const pop = s.popularity.get(c.user.cityId)!;
  return candidatesOf(c).sort((a, b) => (pop[b] ?? 0) - (pop[a] ?? 0) || (a < b ? -1 : 1));
};
/** The ceiling: ranked by the hidden appeal (hype x taste, without the personal noise) that no ranker can see. */
const oracleRanker = (s: Split, strength: number): Ranker => (c) => {
  const appeal = (id: string) => hype.get(id)! * tasteFit(c.user.taste, movieById.get(id)!, strength);
  return popularityRanker(s)(c).sort((a, b) => appeal(b) - appeal(a));
};
const requestFor = (s: Split, c: Case, weights: Partial<RecWeights>) => ({
  history: c.history,
  model: s.model,
  movies,
  candidates: showing.get(c.user.cityId)!.filter((id) => !c.hidden.has(id)),
  cityId: c.user.cityId,
  popularity: s.popularity.get(c.user.cityId)!,
  preferredLanguage: c.user.toldLanguage ? c.user.taste.languages[0] : undefined,
  limit: 10,
  weights,
});
const recommender = (s: Split, weights: Partial<RecWeights>): Ranker => (c) => recommend(requestFor(s, c, weights)).map((r) => r.movieId);

/**
 * Coordinate search for the blend's weights on the validation split (never the test split): each
 * weight halved or doubled in turn, kept when precision@5 rises by more than 0.001; two rounds.
 */
function tune(validation: Split): { weights: RecWeights; tried: number } {
  let best = { ...START };
  let bestScore = evaluate(validation.cases, recommender(validation, best)).precision5;
  let tried = 1;
  for (let round = 0; round < 2; round++) {
    let moved = false;
    for (const key of Object.keys(best) as (keyof RecWeights)[]) {
      for (const factor of [0.5, 2]) {
        const trial = { ...best, [key]: best[key] * factor };
        const score = evaluate(validation.cases, recommender(validation, trial)).precision5;
        tried++;
        if (score > bestScore + 0.001) {
          best = trial;
          bestScore = score;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  return { weights: best, tried };
}

// ---- the runs -----------------------------------------------------------------------------

interface Run {
  slate: number;
  films: { now: number; past: number; perCity: string };
  strength: number;
  users: number;
  bookings: number;
  profile: ReturnType<typeof languageProfile>;
  test: Split;
  recs: Result;
  /** The shipped DEFAULT_WEIGHTS, when the run tuned its own. */
  shipped?: Result;
  popular: Result;
  oracle: Result;
  weights: RecWeights;
  tried: number;
  requestMs: number[];
  reasons: Map<string, number>;
}

function run(slate: number, strength: number): Run {
  useWorld(slate);
  const tuning = TUNE && (TUNE_ALL || strength === DEFAULT_STRENGTH || STRENGTHS.length === 1);
  const started = performance.now();
  const users = makeUsers(strength, slate);
  const profile = languageProfile(users);
  progress(`slate ${slate}, taste strength ${strength}: ${users.length} users, ${profile.bookings} bookings generated (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const test = split(users, (u) => u.bookings, () => new Set());
  let weights: RecWeights = { ...START };
  let tried = 0;
  if (tuning) {
    const heldOut = new Map(test.cases.map((c) => [c.user.id, c.truth]));
    // Validation: each history without its test bookings, its own last 2 held out in turn.
    const validation = split(
      users,
      (u) => u.bookings.filter((b) => !heldOut.get(u.id)?.has(b.movieId)),
      (u) => heldOut.get(u.id) ?? new Set(),
    );
    progress(`slate ${slate}, taste strength ${strength}: models built (test ${test.buildMs.toFixed(0)} ms, validation ${validation.buildMs.toFixed(0)} ms); tuning on ${validation.cases.length} validation users`);
    ({ weights, tried } = tune(validation));
  }
  progress(`slate ${slate}, taste strength ${strength}: ${tuning ? `${tried} weightings tried; ` : ''}evaluating ${test.cases.length} test users`);

  const requestMs: number[] = [];
  const reasons = new Map<string, number>();
  const timed: Ranker = (c) => {
    const t = performance.now();
    const recs = recommend(requestFor(test, c, weights));
    requestMs.push(performance.now() - t);
    for (const r of recs.slice(0, 5)) reasons.set(r.reason.kind, (reasons.get(r.reason.kind) ?? 0) + 1);
    return recs.map((r) => r.movieId);
  };
  return {
    slate,
    films: { now: current.length, past: world.length - current.length, perCity: cities.map((c) => `${c} ${showing.get(c)!.length}`).join(', ') },
    strength,
    users: users.length,
    bookings: profile.bookings,
    profile,
    test,
    recs: evaluate(test.cases, timed),
    shipped: tried ? evaluate(test.cases, recommender(test, DEFAULT_WEIGHTS)) : undefined,
    popular: evaluate(test.cases, popularityRanker(test)),
    oracle: evaluate(test.cases, oracleRanker(test, strength)),
    weights,
    tried,
    requestMs: requestMs.sort((a, b) => a - b),
    reasons,
  };
}

const f4 = (x: number) => x.toFixed(4);
const ratio = (a: Result, b: Result) => `${(a.precision5 / b.precision5).toFixed(2)}x`;
const weightsText = (w: RecWeights) => Object.entries(w).map(([k, v]) => `${k} ${+v.toFixed(3)}`).join(', ');
const started = performance.now();
const runs = SLATES.flatMap((slate) => STRENGTHS.map((strength) => run(slate, strength)));
const isHeadline = (r: Run) => r.slate === DEFAULT_SLATE && r.strength === DEFAULT_STRENGTH;
const pass = (r: Run) => (r.recs.precision5 / r.popular.precision5 >= TARGET ? 'PASS' : 'MISS');

console.log(`bench:recs  users ${USERS}, seed ${SEED}, ${new Set(runs.map((r) => r.slate)).size} slate(s) x ${STRENGTHS.length} taste strength(s)`);
console.log(`each user's last ${HOLD_OUT} bookings held out when both are of films now showing; blend weights tuned on a validation split (the ${HOLD_OUT} bookings before those)`);
for (const r of runs) {
  const headline = isHeadline(r) ? '  <- the documented default' : '';
  console.log('');
  console.log(`== slate ${r.slate}, taste strength ${r.strength}${headline}`);
  console.log(`   ${r.films.now} films now showing + ${r.films.past} past; now showing by city: ${r.films.perCity}`);
  console.log(`   ${r.bookings} bookings (${(r.bookings / r.users).toFixed(1)} per user); of them ${(100 * r.profile.firstShare).toFixed(0)} % in the viewer's first language (original), ${(100 * r.profile.foreignShare).toFixed(1)} % in no language the viewer speaks, not even dubbed; ${r.profile.distinctLanguages.toFixed(2)} original languages per viewer with 6+ bookings`);
  console.log(`   ${r.test.cases.length} users evaluated; model build ${r.test.buildMs.toFixed(0)} ms; per request p50 ${percentile(r.requestMs, 50).toFixed(3)} ms, p99 ${percentile(r.requestMs, 99).toFixed(3)} ms`);
  console.log(`   weights ${r.tried ? `tuned on the validation split (${r.tried} tried)` : 'as given (not tuned)'}: ${weightsText(r.weights)}`);
  console.log('                          precision@5  recall@10  p@5 vs popularity');
  console.log(`   recommender           ${f4(r.recs.precision5).padStart(11)}  ${f4(r.recs.recall10).padStart(9)}  ${ratio(r.recs, r.popular).padStart(8)}`);
  if (r.shipped) console.log(`   recommender, shipped  ${f4(r.shipped.precision5).padStart(11)}  ${f4(r.shipped.recall10).padStart(9)}  ${ratio(r.shipped, r.popular).padStart(8)}   (DEFAULT_WEIGHTS, as the API runs)`);
  console.log(`   popularity            ${f4(r.popular.precision5).padStart(11)}  ${f4(r.popular.recall10).padStart(9)}  ${'1.00x'.padStart(8)}`);
  console.log(`   hidden taste          ${f4(r.oracle.precision5).padStart(11)}  ${f4(r.oracle.recall10).padStart(9)}  ${ratio(r.oracle, r.popular).padStart(8)}   (the ceiling: the appeal the generator used)`);
  for (const [group, g] of [...r.recs.groups.entries()].sort()) {
    const p = r.popular.groups.get(group)!;
    console.log(`     ${group.padEnd(13)} ${String(g.n).padStart(5)} users: precision@5 ${f4(g.precision5 / g.n)} vs ${f4(p.precision5 / p.n)} (${(g.precision5 / p.precision5).toFixed(2)}x)`);
  }
  console.log(`     reasons in the top 5: ${[...r.reasons.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`   target (precision@5 >= ${TARGET}x popularity): ${pass(r)} (${ratio(r.recs, r.popular)}; the ceiling ${ratio(r.oracle, r.popular)})`);
}
console.log('');
console.log('slate  taste strength  recommender  shipped  popularity  ratio  shipped ratio  ceiling ratio  target');
for (const r of runs) {
  const shipped = r.shipped ?? r.recs;
  console.log(
    `${String(r.slate).padEnd(5)}  ${String(r.strength).padEnd(14)}  ${f4(r.recs.precision5).padStart(11)}  ${f4(shipped.precision5).padStart(7)}  ${f4(r.popular.precision5).padStart(10)}  ${ratio(r.recs, r.popular).padStart(5)}  ${ratio(shipped, r.popular).padStart(13)}  ${ratio(r.oracle, r.popular).padStart(13)}  ${pass(r)}${isHeadline(r) ? '  <- default' : ''}`,
  );
}
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
