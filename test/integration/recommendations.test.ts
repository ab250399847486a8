/**
 * Issue 17: "For you" through the real server and store. Bookings are made as users make them
 * (seat:hold + booking:confirm over a socket); the harness has no gateway, so confirm books at once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Ack, RecommendationsResponse } from '../../protocol/index.js';
import type { MovieRecord, ShowRecord } from '../../server/ports.js';
import { testLayout } from '../support/fixtures.js';
import { ack, call, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
const movies: MovieRecord[] = [
  { id: 'rec-x', title: 'Movie X', languages: ['Telugu'], genres: ['Action'], runtimeMinutes: 150, certificate: 'UA' },
  { id: 'rec-y', title: 'Movie Y', languages: ['Telugu'], genres: ['Drama'], runtimeMinutes: 140, certificate: 'U' },
  { id: 'rec-z', title: 'Movie Z', languages: ['Hindi'], genres: ['Comedy'], runtimeMinutes: 120, certificate: 'U' },
  { id: 'rec-w', title: 'Movie W', languages: ['Hindi'], genres: ['Thriller'], runtimeMinutes: 130, certificate: 'A' },
  { id: 'rec-v', title: 'Movie V', languages: ['Tamil'], genres: ['Horror'], runtimeMinutes: 110, certificate: 'A' },
];
const showOf = (movieId: string) => `show-${movieId}`;
const seatsTaken = new Map<string, number>();

/** One confirmed booking of one seat of the movie's show, made over the socket. */
async function book(token: string, movieId: string) {
  const showId = showOf(movieId);
  const n = (seatsTaken.get(showId) ?? 0) + 1;
  seatsTaken.set(showId, n);
  const seat = `${String.fromCharCode(64 + Math.ceil(n / 10))}${((n - 1) % 10) + 1}`;
  const s = await h.connect(token);
  expect(await ack<Ack>(s, 'seat:hold', { showId, seatIds: [seat] })).toMatchObject({ ok: true });
  const booked = await ack<Ack>(s, 'booking:confirm', { showId, idempotencyKey: `rec-${showId}-${n}` });
  if (!booked.ok) throw new Error(JSON.stringify(booked));
  s.disconnect();
}

const forYou = async (token: string | undefined, query = 'city=recville') =>
  call(h.url, 'GET', `/api/me/recommendations?${query}`, { token }) as Promise<{ status: number; body: RecommendationsResponse & { error?: { code: string } } }>;

let fan: { token: string };
beforeAll(async () => {
  h = await startHarness();
  const store = h.app.stores.catalog;
  await store.putCities([{ id: 'recville', name: 'Recville', timeZone: 'Asia/Kolkata', currency: 'INR', order: 0 }]);
  await store.putTheatres([{ id: 'rec-theatre', name: 'Rec Theatre', address: '1 Rec Road', cityId: 'recville', timeZone: 'Asia/Kolkata' }]);
  await store.putMovies(movies);
  await store.putScreens([{ id: 'rec-screen', theatreId: 'rec-theatre', name: 'Screen 1', layout: testLayout(10, 10) }]);
  const startsAt = h.clock.now() + 24 * 3600_000;
  const shows: ShowRecord[] = movies.map((m, i) => ({
    id: showOf(m.id),
    movieId: m.id,
    screenId: 'rec-screen',
    theatreId: 'rec-theatre',
    cityId: 'recville',
    language: m.languages[0]!,
    startsAt: startsAt + i * 4 * 3600_000,
    localDate: new Date(startsAt + i * 4 * 3600_000 + 5.5 * 3600_000).toISOString().slice(0, 10),
    currency: 'INR',
    prices: { classic: 15_000, premium: 20_000 },
    status: 'scheduled',
  }));
  await store.putShows(shows);

  // Six people booked both X and Y; eight booked Z alone, two W alone: Z is the week's most booked.
  for (let i = 0; i < 6; i++) {
    const u = await h.register(`both${i}`);
    await book(u.token, 'rec-x');
    await book(u.token, 'rec-y');
  }
  for (let i = 0; i < 8; i++) await book((await h.register(`zed${i}`)).token, 'rec-z');
  for (let i = 0; i < 2; i++) await book((await h.register(`dub${i}`)).token, 'rec-w');
  fan = await h.register('fan');
  await book(fan.token, 'rec-x');
}, 120_000);
afterAll(() => h.close());

describe('GET /api/me/recommendations', () => {
  it('puts the movie co-booked with what the user booked first, because they watched it, and never a movie they booked', async () => {
    const { status, body } = await forYou(fan.token);
    expect(status).toBe(200);
    expect(body.movies[0]).toMatchObject({ id: 'rec-y', title: 'Movie Y', languages: ['Telugu'], genres: ['Drama'], reason: { kind: 'because_you_watched', movieId: 'rec-x', title: 'Movie X' } });
    expect(body.movies.map((m) => m.id)).not.toContain('rec-x');
    expect(body.movies.map((m) => m.id).sort()).toEqual(['rec-v', 'rec-w', 'rec-y', 'rec-z']);
  });

  it('gives a new user the city’s most booked movie first, for its popularity, and only popularity, language or "showing" (none booked) as reasons', async () => {
    const newcomer = await h.register('new');
    const { status, body } = await forYou(newcomer.token, 'city=Recville');
    expect(status).toBe(200);
    expect(body.movies).toHaveLength(5);
    expect(body.movies[0]).toMatchObject({ id: 'rec-z', reason: { kind: 'popular_in_city', cityId: 'recville', cityName: 'Recville' } });
    for (const m of body.movies) expect(['popular_in_city', 'your_language', 'showing_in_city']).toContain(m.reason.kind);
    // Nobody booked V: it is on, not popular.
    expect(body.movies.find((m) => m.id === 'rec-v')?.reason).toEqual({ kind: 'showing_in_city', cityId: 'recville', cityName: 'Recville' });
  });

  it('names the language a Hindi page tells it, for a new user', async () => {
    const newcomer = await h.register('hindi');
    const { body } = await forYou(newcomer.token, 'city=recville&lang=hi');
    const w = body.movies.find((m) => m.id === 'rec-w');
    expect(w?.reason).toEqual({ kind: 'your_language', language: 'Hindi' });
    expect(body.movies.filter((m) => m.languages[0] === 'Telugu').every((m) => m.reason.kind !== 'your_language')).toBe(true);
  });

  it('leaves out a movie the moment the user books it, though the city’s model is cached', async () => {
    const u = await h.register('late');
    expect((await forYou(u.token)).body.movies.map((m) => m.id)).toContain('rec-w');
    await book(u.token, 'rec-w');
    expect((await forYou(u.token)).body.movies.map((m) => m.id)).not.toContain('rec-w');
  });

  it('reuses the city’s model for 5 minutes, then serves the old one once while it rebuilds, then the new one', async () => {
    const u = await h.register('w-fan');
    await book(u.token, 'rec-w');
    const yReason = async () => (await forYou(u.token)).body.movies.find((m) => m.id === 'rec-y')!.reason;
    expect((await yReason()).kind).not.toBe('because_you_watched');
    for (let i = 0; i < 6; i++) {
      const other = await h.register(`wy${i}`);
      await book(other.token, 'rec-w');
      await book(other.token, 'rec-y');
    }
    expect((await yReason()).kind, 'cached').not.toBe('because_you_watched');
    h.clock.advance(5 * 60_000 + 1);
    expect((await yReason()).kind, 'the old model while the new one is built').not.toBe('because_you_watched');
    expect(await yReason()).toEqual({ kind: 'because_you_watched', movieId: 'rec-w', title: 'Movie W' });
  });

  it('warm() builds every city’s model ahead, so the first request after it reads no shows', async () => {
    h.clock.advance(5 * 60_000 + 1);
    const r = await h.app.services.recommendations.warm();
    expect(r.cities).toBe((await h.app.services.catalog.cities()).length);
    const showsOn = vi.spyOn(h.app.stores.catalog, 'showsOn');
    try {
      expect((await forYou(fan.token)).status).toBe(200);
      expect(showsOn).not.toHaveBeenCalled();
    } finally {
      showsOn.mockRestore();
    }
  });

  it('answers 401 without a sign-in, 404 for an unknown city, 400 without a city', async () => {
    expect((await forYou(undefined)).status).toBe(401);
    const unknown = await forYou(fan.token, 'city=atlantis');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('NOT_FOUND');
    expect((await forYou(fan.token, '')).status).toBe(400);
  });
});
