/**
 * Demo data from the original system's catalogue (server/seed/demo-catalog.json)
 * plus Dubai. Catalogue items are written once; shows roll forward: every start
 * adds the missing shows for the next 7 days. Seat items are never pre-created.
 */
import type { Layout } from '../../protocol/index.js';
import { rowLabel } from '../domain/layout.js';
import { addDays, localDate, zonedToUtc } from '../domain/show-time.js';
import type { CatalogStore, CityRecord, MovieRecord, ScreenRecord, ShowRecord, TheatreRecord } from '../ports.js';
import catalogJson from './demo-catalog.json' with { type: 'json' };
import { CrewMember } from '../../protocol/index.js';
import movieDetailsJson from './movie-details.json' with { type: 'json' };
import { dubai, grandHall } from './movies-extra.js';

export const SCHEMA_VERSION = 2;
export const DEMO_DAYS = 7;
const INDIA = 'Asia/Kolkata';

export const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/\^2/g, '-2')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');

function hash(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/**
 * A hall of about `target` seats: classic at the front, premium behind, recliners at the back.
 * Halls above 150 seats also have a VIP row in the middle of the premium rows and a couple row
 * (two-seat units, so even blocks) in front of the recliners. Wheelchair spaces sit at both
 * ends of the first premium row, each pair with a companion seat beside it.
 */
export function hallLayout(target: number): Layout {
  const blocks = target <= 150 ? [3, 6, 3] : target <= 300 ? [4, 10, 4] : target <= 700 ? [5, 14, 5] : [10, 24, 10];
  const width = blocks.reduce((a, b) => a + b, 0);
  const special = target > 150;
  const reclinerRows = target > 1000 ? 4 : 2;
  const reclinerBlocks = blocks.map((b) => Math.ceil(b / 2));
  const coupleBlocks = reclinerBlocks.map((b) => b + (b % 2));
  const seatsIn = (bs: number[]) => bs.reduce((a, b) => a + b, 0);
  const backSeats = special ? seatsIn(coupleBlocks) + (reclinerRows - 1) * seatsIn(reclinerBlocks) : reclinerRows * seatsIn(reclinerBlocks);
  const mainRows = Math.max(2, Math.round((target - backSeats) / width));
  const premiumRows = Math.round(mainRows * 0.4);
  const vipRow = special ? mainRows - Math.ceil(premiumRows / 2) : -1;
  const rows: Layout['rows'] = [];
  for (let i = 0; i < mainRows + reclinerRows; i++) {
    const label = rowLabel(i);
    if (special && i === mainRows) rows.push({ label, category: 'couple', blocks: coupleBlocks });
    else if (i >= mainRows) rows.push({ label, category: 'recliner', blocks: reclinerBlocks });
    else if (i === vipRow) rows.push({ label, category: 'vip', blocks });
    else rows.push({ label, category: i >= mainRows - premiumRows ? 'premium' : 'classic', blocks });
  }
  const firstPremium = rowLabel(mainRows - premiumRows);
  return {
    categories: [
      { id: 'classic', label: 'Classic', kind: 'standard' },
      { id: 'premium', label: 'Premium', kind: 'premium' },
      ...(special ? [{ id: 'vip', label: 'VIP', kind: 'vip' as const }, { id: 'couple', label: 'Couple', kind: 'couple' as const }] : []),
      { id: 'recliner', label: 'Recliner', kind: 'recliner' },
    ],
    rows,
    accessible: [`${firstPremium}1`, `${firstPremium}2`, `${firstPremium}${width - 1}`, `${firstPremium}${width}`],
    companions: [`${firstPremium}3`, `${firstPremium}${width - 2}`],
  };
}

/** Prices per category from a base price in minor units (a couple seat's price is per seat). */
export const pricesFrom = (base: number) => ({
  classic: base,
  premium: Math.round((base * 1.3) / 100) * 100,
  vip: Math.round((base * 1.8) / 100) * 100,
  couple: Math.round((base * 1.5) / 100) * 100,
  recliner: base * 2,
});

/** The prices of the categories a screen has. */
const pricesFor = (layout: Layout, base: number): Record<string, number> => {
  const all: Record<string, number> = pricesFrom(base);
  return Object.fromEntries(layout.categories.map((c) => [c.id, all[c.id]!]));
};

type MovieFacts = Omit<MovieRecord, 'id' | 'title' | 'languages'>;
/** Genres, runtime, certificate, synopsis, cast and crew per demo title (server/seed/movie-details.json). */
const movieDetails: Record<string, MovieFacts> = Object.fromEntries(
  Object.entries(movieDetailsJson.movies).map(([title, m]) => [title, { ...m, crew: m.crew.map((c) => CrewMember.parse(c)) }]),
);

const SCREEN_SIZES = [110, 180, 250, 340, 450, 600];

interface Play {
  movie: MovieRecord;
  theatre: TheatreRecord;
  screen: ScreenRecord;
  times: string[];
  basePrice: number;
  currency: 'INR' | 'AED';
}

export function buildDemoCatalog() {
  const cities: CityRecord[] = [];
  const theatres: TheatreRecord[] = [];
  const theatreByKey = new Map<string, TheatreRecord>();
  const addCity = (name: string, timeZone: string, currency: 'INR' | 'AED', list: { name: string; address: string }[]) => {
    const city: CityRecord = { id: slug(name), name, timeZone, currency, order: cities.length };
    cities.push(city);
    for (const t of list) {
      const theatre: TheatreRecord = { id: slug(t.name), name: t.name, address: t.address, cityId: city.id, timeZone };
      theatres.push(theatre);
      theatreByKey.set(`${name}|${t.name}`, theatre);
    }
  };
  for (const c of catalogJson.cities) addCity(c.name, INDIA, 'INR', c.theatres);
  addCity(dubai.name, dubai.timeZone, dubai.currency, dubai.theatres);

  const movies: MovieRecord[] = catalogJson.movies.map((m) => {
    const facts = movieDetails[m.title] ?? { genres: ['Drama'], runtimeMinutes: 150, certificate: 'UA' };
    return { id: slug(m.title), title: m.title, languages: m.languages, ...facts };
  });
  const movieByTitle = new Map(movies.map((m) => [m.title, m]));

  // One screen per movie playing at a theatre, at least two screens per theatre.
  const screensByTheatre = new Map<string, ScreenRecord[]>();
  const screenFor = (theatre: TheatreRecord, index: number): ScreenRecord => {
    const list = screensByTheatre.get(theatre.id) ?? [];
    screensByTheatre.set(theatre.id, list);
    while (list.length <= Math.max(index, 1)) {
      const n = list.length + 1;
      const seats =
        theatre.name === grandHall.theatre && n === 1
          ? grandHall.seats
          : SCREEN_SIZES[hash(`${theatre.id}#${n}`) % SCREEN_SIZES.length]!;
      list.push({ id: `${theatre.id}-s${n}`.slice(0, 64), theatreId: theatre.id, name: `Screen ${n}`, layout: hallLayout(seats) });
    }
    return list[index]!;
  };
  for (const t of theatres) screenFor(t, 1);

  const plays: Play[] = [];
  const playsAtTheatre = new Map<string, number>();
  const addPlay = (movie: MovieRecord, theatre: TheatreRecord, times: string[], basePrice: number, currency: 'INR' | 'AED') => {
    const index = playsAtTheatre.get(theatre.id) ?? 0;
    playsAtTheatre.set(theatre.id, index + 1);
    plays.push({ movie, theatre, screen: screenFor(theatre, index), times, basePrice, currency });
  };
  for (const m of catalogJson.movies) {
    for (const p of m.playsAt) {
      const theatre = theatreByKey.get(`${p.city}|${p.theatre}`);
      if (theatre) addPlay(movieByTitle.get(m.title)!, theatre, m.showTimes, m.price * 100, 'INR');
    }
  }
  for (const [title, theatreIndex, fils] of dubai.plays) {
    const m = catalogJson.movies.find((x) => x.title === title)!;
    const theatre = theatreByKey.get(`${dubai.name}|${dubai.theatres[theatreIndex]!.name}`)!;
    addPlay(movieByTitle.get(title)!, theatre, m.showTimes, fils, 'AED');
  }
  const screens = [...screensByTheatre.values()].flat();
  return { cities, theatres, movies, screens, plays };
}

export type DemoCatalog = ReturnType<typeof buildDemoCatalog>;

/** Every demo show from `fromDate` (theatre-local) for `days` days. */
export function demoShows(catalog: DemoCatalog, now: number, days = DEMO_DAYS): ShowRecord[] {
  const shows: ShowRecord[] = [];
  for (const play of catalog.plays) {
    const today = localDate(now, play.theatre.timeZone);
    for (let d = 0; d < days; d++) {
      const date = addDays(today, d);
      play.times.forEach((time, i) => {
        const startsAt = zonedToUtc(date, time, play.theatre.timeZone);
        shows.push({
          id: `${play.screen.id.slice(0, 40)}-${date.replaceAll('-', '')}-${time.replace(':', '')}`,
          movieId: play.movie.id,
          screenId: play.screen.id,
          theatreId: play.theatre.id,
          cityId: play.theatre.cityId,
          language: play.movie.languages[i % Math.min(2, play.movie.languages.length)]!,
          startsAt,
          localDate: date,
          currency: play.currency,
          prices: pricesFor(play.screen.layout, play.basePrice),
          status: 'scheduled',
        });
      });
    }
  }
  return shows;
}

export interface SeedReport {
  catalogue: boolean;
  showsAdded: number;
}

/**
 * A store seeded before movies had synopses, cast and crew gets them on its next start; a movie
 * that already has a synopsis is left as it is.
 */
async function addMissingMovieDetails(store: CatalogStore, demoMovies: MovieRecord[], progress?: (msg: string) => void) {
  const stored = new Map((await store.movies()).map((m) => [m.id, m]));
  const missing: MovieRecord[] = [];
  for (const { id, synopsis, cast, crew, trailerUrl } of demoMovies) {
    const old = stored.get(id);
    if (old && synopsis && !old.synopsis) missing.push({ ...old, synopsis, cast, crew, ...(trailerUrl ? { trailerUrl } : {}) });
  }
  if (missing.length === 0) return;
  progress?.(`adding synopses, cast and crew to ${missing.length} movies`);
  await store.putMovies(missing);
}

/** Idempotent: writes the catalogue on first start, then the missing shows. */
export async function seedDemo(store: CatalogStore, now: number, progress?: (msg: string) => void): Promise<SeedReport> {
  const catalog = buildDemoCatalog();
  const version = await store.schemaVersion();
  if (version !== null && version !== SCHEMA_VERSION) {
    throw new Error(`The data in the store has schema version ${version}, this server needs ${SCHEMA_VERSION}. Run \`npm run reset\` to start afresh.`);
  }
  let catalogue = false;
  if (version === null) {
    progress?.(`writing the catalogue: ${catalog.cities.length} cities, ${catalog.theatres.length} theatres, ${catalog.screens.length} screens, ${catalog.movies.length} movies`);
    await store.putCities(catalog.cities);
    await store.putTheatres(catalog.theatres);
    await store.putMovies(catalog.movies);
    await store.putScreens(catalog.screens);
    await store.setSchemaVersion(SCHEMA_VERSION);
    catalogue = true;
  } else {
    await addMissingMovieDetails(store, catalog.movies, progress);
  }
  return { catalogue, showsAdded: await rollDemoShows(store, now, progress, catalog) };
}

/**
 * The demo's schedule for the next DEMO_DAYS days, adding only the shows that are missing
 * (ids are deterministic, so this is idempotent and leaves staff-made shows alone).
 * Returns how many it added.
 */
export async function rollDemoShows(store: CatalogStore, now: number, progress?: (msg: string) => void, catalog = buildDemoCatalog()): Promise<number> {
  const shows = demoShows(catalog, now).filter((s) => s.startsAt > now);
  const existing = await store.existingShowIds(shows.map((s) => s.id));
  const missing = shows.filter((s) => !existing.has(s.id));
  if (missing.length > 0) {
    progress?.(`adding ${missing.length} shows for the next ${DEMO_DAYS} days`);
    await store.putShows(missing);
  }
  return missing.length;
}
