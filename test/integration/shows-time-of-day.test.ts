/**
 * `GET /api/shows?timeOfDay=` against the real server and DynamoDB Local: the part of the day is
 * read on each theatre's own clock (the shared rule the home page's filter uses), at the
 * boundaries, in Hyderabad (IST) and Dubai; a bad value is a 400 VALIDATION.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShowSummary } from '../../protocol/index.js';
import type { ShowRecord } from '../../server/ports.js';
import { zonedToUtc } from '../../server/domain/show-time.js';
import { testLayout } from '../support/fixtures.js';
import { call, startHarness, TestClock, type Harness } from '../support/harness.js';

// A fixed instant (3 Dec 2026, 11:30 in India, 10:00 in Dubai): the shows are on the 4th, whatever the machine's clock says.
const clock = new TestClock(Date.parse('2026-12-03T06:00:00Z'));
const DATE = '2026-12-04';
const TIMES = ['11:59', '12:00', '16:59', '17:00', '20:59', '21:00'];
const cities = [
  { id: 'tod-hyd', name: 'Todhyd', timeZone: 'Asia/Kolkata', currency: 'INR' as const },
  { id: 'tod-dxb', name: 'Toddxb', timeZone: 'Asia/Dubai', currency: 'AED' as const },
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clock });
  const store = h.app.stores.catalog;
  await store.putCities(cities.map((c, order) => ({ ...c, order })));
  await store.putTheatres(cities.map((c) => ({ id: `${c.id}-t`, name: `${c.name} Cinema`, address: '1 Road', cityId: c.id, timeZone: c.timeZone })));
  await store.putScreens(cities.map((c) => ({ id: `${c.id}-s`, theatreId: `${c.id}-t`, name: 'Screen 1', layout: testLayout(2, 4) })));
  await store.putMovies([{ id: 'tod-movie', title: 'Clockwork', languages: ['Hindi'], genres: ['Drama'], runtimeMinutes: 100, certificate: 'U' }]);
  const shows: ShowRecord[] = cities.flatMap((c) =>
    TIMES.map((time) => ({
      id: `${c.id}-${time.replace(':', '')}`,
      movieId: 'tod-movie',
      screenId: `${c.id}-s`,
      theatreId: `${c.id}-t`,
      cityId: c.id,
      language: 'Hindi',
      startsAt: zonedToUtc(DATE, time, c.timeZone),
      localDate: DATE,
      currency: c.currency,
      prices: { classic: 10_000, premium: 15_000 },
      status: 'scheduled' as const,
    })),
  );
  await store.putShows(shows);
});
afterAll(() => h.close());

/** The theatre-local start times ("HH:MM") of the listing. */
async function times(city: string, timeOfDay?: string): Promise<string[]> {
  const { status, body } = await call(h.url, 'GET', `/api/shows?city=${city}&date=${DATE}${timeOfDay ? `&timeOfDay=${timeOfDay}` : ''}`);
  expect(status).toBe(200);
  return (body.shows as ShowSummary[]).map((s) => s.startsAt.slice(11, 16));
}

describe('GET /api/shows?timeOfDay=', () => {
  it.each(cities.map((c) => c.id))('in %s splits at 12:00, 17:00 and 21:00 on the theatre clock', async (city) => {
    expect(await times(city)).toEqual(TIMES);
    expect(await times(city, 'morning')).toEqual(['11:59']);
    expect(await times(city, 'afternoon')).toEqual(['12:00', '16:59']);
    expect(await times(city, 'evening')).toEqual(['17:00', '20:59']);
    expect(await times(city, 'night')).toEqual(['21:00']);
    expect(await times(city, 'morning,night')).toEqual(['11:59', '21:00']);
  });

  it('refuses an unknown part of the day with 400 VALIDATION, naming the parameter', async () => {
    for (const bad of ['brunch', 'evening,', '']) {
      const { status, body } = await call(h.url, 'GET', `/api/shows?city=tod-hyd&date=${DATE}&timeOfDay=${bad}`);
      expect(status, bad).toBe(400);
      expect(body.error.code).toBe('VALIDATION');
      expect(JSON.stringify(body.error.details), bad).toContain('timeOfDay');
    }
  });
});
