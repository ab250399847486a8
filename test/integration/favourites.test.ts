/**
 * Favourites, preferences and Book again's show list over HTTP (issue 17), on the real server
 * and DynamoDB Local: PUT and DELETE are idempotent, ids the catalogue lacks are 404, each user
 * sees only their own, signed-out callers get 401, preferences are validated and round-trip
 * (offers consent stamped with the injected clock when it changes, not otherwise).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAVOURITES, type Ack } from '../../protocol/index.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, call, startHarness, TestClock, type Harness } from '../support/harness.js';

const clock = new TestClock();
let h: Harness;
let show: ShowFixture;
let other: ShowFixture;
beforeAll(async () => {
  h = await startHarness({ clock });
  show = await createShow(h.app.stores.catalog, { now: clock.now(), rows: 4, perRow: 6 });
  other = await createShow(h.app.stores.catalog, { now: clock.now(), rows: 4, perRow: 6, startsInMs: 2 * 24 * 3600_000 });
});
afterAll(() => h.close());

const favs = (token: string) => call(h.url, 'GET', '/api/me/favourites', { token });

describe('favourites', () => {
  it('signed out: every favourites and preferences route answers 401 UNAUTHENTICATED', async () => {
    for (const [method, path] of [
      ['GET', '/api/me/favourites'],
      ['PUT', '/api/me/favourites/movies/test-movie'],
      ['DELETE', '/api/me/favourites/theatres/test-theatre'],
      ['GET', '/api/me/preferences'],
      ['PUT', '/api/me/preferences'],
      ['GET', `/api/bookings/any-booking/again`],
    ] as const) {
      const r = await call(h.url, method, path, method === 'PUT' ? { body: {} } : {});
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('PUT twice leaves one favourite, DELETE twice leaves none; every answer is the whole list', async () => {
    const u = await h.register('fav');
    expect((await favs(u.token)).body).toEqual({ favourites: { movies: [], theatres: [] } });
    for (let i = 0; i < 2; i++) {
      const r = await call(h.url, 'PUT', '/api/me/favourites/theatres/test-theatre', { token: u.token });
      expect(r).toMatchObject({ status: 200, body: { favourites: { movies: [], theatres: ['test-theatre'] } } });
    }
    await call(h.url, 'PUT', '/api/me/favourites/movies/test-movie', { token: u.token });
    expect((await favs(u.token)).body).toEqual({ favourites: { movies: ['test-movie'], theatres: ['test-theatre'] } });
    for (let i = 0; i < 2; i++) {
      const r = await call(h.url, 'DELETE', '/api/me/favourites/theatres/test-theatre', { token: u.token });
      expect(r).toMatchObject({ status: 200, body: { favourites: { movies: ['test-movie'], theatres: [] } } });
    }
    expect((await favs(u.token)).body).toEqual({ favourites: { movies: ['test-movie'], theatres: [] } });
  });

  it('ids the catalogue lacks are 404 NOT_FOUND (movie_not_found, theatre_not_found) and store nothing; a bad kind or id is 400 VALIDATION', async () => {
    const u = await h.register('unknown');
    const movie = await call(h.url, 'PUT', '/api/me/favourites/movies/no-such-movie', { token: u.token });
    expect(movie).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', reason: 'movie_not_found' } } });
    const theatre = await call(h.url, 'PUT', '/api/me/favourites/theatres/test-movie', { token: u.token });
    expect(theatre).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', reason: 'theatre_not_found' } } });
    const gone = await call(h.url, 'DELETE', '/api/me/favourites/theatres/no-such-theatre', { token: u.token });
    expect(gone).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', reason: 'theatre_not_found' } } });
    expect((await favs(u.token)).body).toEqual({ favourites: { movies: [], theatres: [] } });
    const kind = await call(h.url, 'PUT', '/api/me/favourites/actors/test-movie', { token: u.token });
    expect(kind).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION', details: [{ reason: 'invalid_choice' }] } } });
    const id = await call(h.url, 'PUT', `/api/me/favourites/movies/${'x'.repeat(65)}`, { token: u.token });
    expect(id).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION' } } });
  });

  it("one user's favourites are theirs alone: another sees none, and removing them there changes nothing here", async () => {
    const a = await h.register('alice');
    const b = await h.register('bob');
    await call(h.url, 'PUT', '/api/me/favourites/theatres/test-theatre', { token: a.token });
    await call(h.url, 'PUT', '/api/me/favourites/movies/test-movie', { token: a.token });
    expect((await favs(b.token)).body).toEqual({ favourites: { movies: [], theatres: [] } });
    expect((await call(h.url, 'DELETE', '/api/me/favourites/theatres/test-theatre', { token: b.token })).status).toBe(200);
    expect((await favs(a.token)).body).toEqual({ favourites: { movies: ['test-movie'], theatres: ['test-theatre'] } });
  });

  it(`keeps at most ${MAX_FAVOURITES} of a kind: one more is 400 VALIDATION (too_many_favourites), while one already there may be PUT again`, async () => {
    const ids = Array.from({ length: MAX_FAVOURITES + 1 }, (_, i) => `many-${i}`);
    await h.app.stores.catalog.putMovies(ids.map((id) => ({ id, title: id, languages: ['Hindi'], genres: ['Drama'], runtimeMinutes: 100, certificate: 'U' })));
    h.app.services.catalog.invalidate();
    const u = await h.register('collector');
    for (const id of ids.slice(0, MAX_FAVOURITES)) expect((await call(h.url, 'PUT', `/api/me/favourites/movies/${id}`, { token: u.token })).status).toBe(200);
    const over = await call(h.url, 'PUT', `/api/me/favourites/movies/${ids[MAX_FAVOURITES]}`, { token: u.token });
    expect(over).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION', reason: 'too_many_favourites', params: { max: MAX_FAVOURITES } } } });
    expect((await call(h.url, 'PUT', `/api/me/favourites/movies/${ids[0]}`, { token: u.token })).status).toBe(200);
    expect((await favs(u.token)).body.favourites.movies).toHaveLength(MAX_FAVOURITES);
  });
});

describe('preferences', () => {
  it('start empty, round-trip what was set (fields not sent stay), and clear with null', async () => {
    const u = await h.register('prefs');
    expect((await call(h.url, 'GET', '/api/me/preferences', { token: u.token })).body).toEqual({
      preferences: { language: null, city: null, seatType: null, offers: { consent: false, at: null } },
    });
    const set = await call(h.url, 'PUT', '/api/me/preferences', { token: u.token, body: { language: 'te', city: 'testville', seatType: 'premium' } });
    expect(set).toMatchObject({ status: 200, body: { preferences: { language: 'te', city: 'testville', seatType: 'premium', offers: { consent: false, at: null } } } });
    await call(h.url, 'PUT', '/api/me/preferences', { token: u.token, body: { seatType: null } });
    expect((await call(h.url, 'GET', '/api/me/preferences', { token: u.token })).body.preferences).toEqual({
      language: 'te',
      city: 'testville',
      seatType: null,
      offers: { consent: false, at: null },
    });
    const b = await h.register('prefs-other');
    expect((await call(h.url, 'GET', '/api/me/preferences', { token: b.token })).body.preferences.language).toBeNull();
  });

  it('offers consent is stamped with the time it was given, kept when sent again unchanged, and re-stamped when withdrawn', async () => {
    const u = await h.register('offers');
    const given = await call(h.url, 'PUT', '/api/me/preferences', { token: u.token, body: { offers: true } });
    const at = new Date(clock.now()).toISOString();
    expect(given.body.preferences.offers).toEqual({ consent: true, at });
    clock.advance(60_000);
    expect((await call(h.url, 'PUT', '/api/me/preferences', { token: u.token, body: { offers: true, language: 'hi' } })).body.preferences.offers).toEqual({ consent: true, at });
    const withdrawn = await call(h.url, 'PUT', '/api/me/preferences', { token: u.token, body: { offers: false } });
    expect(withdrawn.body.preferences.offers).toEqual({ consent: false, at: new Date(clock.now()).toISOString() });
  });

  it('saves of different fields at the same moment (two tabs) all land: none overwrites another with what it read before', async () => {
    for (let round = 0; round < 5; round++) {
      const u = await h.register(`tabs${round}`);
      const answers = await Promise.all([
        call(h.url, 'PUT', '/api/me/preferences', { token: u.token, body: { language: 'te' } }),
        call(h.url, 'PUT', '/api/me/preferences', { token: u.token, body: { city: 'testville' } }),
        call(h.url, 'PUT', '/api/me/preferences', { token: u.token, body: { seatType: 'premium' } }),
        call(h.url, 'PUT', '/api/me/preferences', { token: u.token, body: { offers: true } }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect((await call(h.url, 'GET', '/api/me/preferences', { token: u.token })).body.preferences).toMatchObject({
        language: 'te',
        city: 'testville',
        seatType: 'premium',
        offers: { consent: true },
      });
    }
  });

  it('refuses with 400 VALIDATION naming the field: a language we do not have, an unknown city, an unknown seat type, unknown fields; nothing is stored', async () => {
    const u = await h.register('badprefs');
    const cases: [unknown, string, string][] = [
      [{ language: 'fr' }, 'language', 'invalid_choice'],
      [{ city: 'atlantis' }, 'city', 'city_not_found'],
      [{ seatType: 'balcony' }, 'seatType', 'invalid_choice'],
      [{ offers: 'yes' }, 'offers', 'invalid'],
      [{ theme: 'dark' }, '(body)', 'unknown_field'],
    ];
    for (const [body, path, reason] of cases) {
      const r = await call(h.url, 'PUT', '/api/me/preferences', { token: u.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION');
      expect(r.body.error.details[0], JSON.stringify(body)).toMatchObject({ path, reason });
    }
    expect((await call(h.url, 'GET', '/api/me/preferences', { token: u.token })).body.preferences).toMatchObject({ language: null, city: null, seatType: null });
  });
});

describe('book again: the shows offered', () => {
  it("lists the theatre's other upcoming shows (not the booked one) for the booking's owner, and 404 for anyone else", async () => {
    const u = await h.register('again');
    const s = await h.connect(u.token);
    expect(await ack<Ack<object>>(s, 'seat:hold', { showId: show.showId, seatIds: ['C3', 'C4'] })).toMatchObject({ ok: true });
    const booked = await ack<Ack<{ booking: { id: string } }>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'again-booking-1' });
    if (!booked.ok) throw new Error(booked.error.message);
    const r = await call(h.url, 'GET', `/api/bookings/${booked.booking.id}/again`, { token: u.token });
    expect(r.status).toBe(200);
    const ids = (r.body.shows as { id: string; theatre: { id: string } }[]).map((x) => x.id);
    expect(ids).toContain(other.showId);
    expect(ids).not.toContain(show.showId);
    expect((r.body.shows as { theatre: { id: string } }[]).every((x) => x.theatre.id === 'test-theatre')).toBe(true);
    const stranger = await h.register('stranger');
    const refused = await call(h.url, 'GET', `/api/bookings/${booked.booking.id}/again`, { token: stranger.token });
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', reason: 'booking_not_found' } } });
  });
});
