/** Test catalogue: a city, theatre, movie, screen and shows written through the store. */
import type { Layout } from '../../protocol/index.js';
import type { CatalogStore, ShowRecord } from '../../server/ports.js';

export interface ShowFixture {
  showId: string;
  seatIds: string[];
  show: ShowRecord;
}

/** A layout of `rows` rows of `perRow` seats in two blocks; first half classic, rest premium. */
export function testLayout(rows: number, perRow: number): Layout {
  const left = Math.ceil(perRow / 2);
  const labels = Array.from({ length: rows }, (_, i) => String.fromCharCode(65 + (i % 26)).repeat(i < 26 ? 1 : 2));
  return {
    categories: [
      { id: 'classic', label: 'Classic', kind: 'standard' },
      { id: 'premium', label: 'Premium', kind: 'premium' },
    ],
    rows: labels.map((label, i) => ({
      label,
      category: i < rows / 2 ? 'classic' : 'premium',
      blocks: perRow - left > 0 ? [left, perRow - left] : [left],
    })),
    accessible: [`${labels[0]}1`],
    companions: [],
  };
}

let counter = 0;
export async function createShow(
  store: CatalogStore,
  opts: { now: number; rows?: number; perRow?: number; startsInMs?: number; currency?: 'INR' | 'AED' },
): Promise<ShowFixture> {
  const n = `${process.pid}-${++counter}`;
  const rows = opts.rows ?? 10;
  const perRow = opts.perRow ?? 10;
  const layout = testLayout(rows, perRow);
  await store.putCities([{ id: 'testville', name: 'Testville', timeZone: 'Asia/Kolkata', currency: 'INR', order: 0 }]);
  await store.putTheatres([
    { id: 'test-theatre', name: 'Test Theatre', address: '1 Test Road', cityId: 'testville', timeZone: 'Asia/Kolkata' },
  ]);
  await store.putMovies([
    { id: 'test-movie', title: 'The Test Movie', languages: ['Telugu'], genres: ['Drama'], runtimeMinutes: 120, certificate: 'U' },
  ]);
  const screenId = `screen-${n}`;
  await store.putScreens([{ id: screenId, theatreId: 'test-theatre', name: 'Screen T', layout }]);
  const startsAt = opts.now + (opts.startsInMs ?? 24 * 3600_000);
  const show: ShowRecord = {
    id: `show-${n}`,
    movieId: 'test-movie',
    screenId,
    theatreId: 'test-theatre',
    cityId: 'testville',
    language: 'Telugu',
    startsAt,
    localDate: new Date(startsAt + 5.5 * 3600_000).toISOString().slice(0, 10),
    currency: opts.currency ?? 'INR',
    prices: { classic: 18_000, premium: 25_000 },
    status: 'scheduled',
  };
  await store.putShows([show]);
  const seatIds = layout.rows.flatMap((r) => Array.from({ length: perRow }, (_, i) => `${r.label}${i + 1}`));
  return { showId: show.id, seatIds, show };
}
