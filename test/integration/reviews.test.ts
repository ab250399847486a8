/**
 * Issue 17: reviews from real viewers through the real server and store: the attendance
 * rule, one review per user per movie, helpful marks once each, hiding by staff, deletion,
 * text kept as given, typed errors that change nothing, and the per-user rate limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking, ReviewsResponse } from '../../protocol/index.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let staffToken: string;
beforeAll(async () => {
  // The clock moves past shows' ends (hours): sign-ins must outlast it.
  h = await startHarness({ config: { accessTokenSeconds: 20 * 86_400 } });
  await h.app.stores.catalog.putMovies([{ id: 'other-movie', title: 'Another Movie', languages: ['Hindi'], genres: ['Comedy'], runtimeMinutes: 100, certificate: 'U' }]);
  const staff = await h.app.services.auth.register({ name: 'Staff', email: `rstaff-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' }, 'staff', ['test-theatre']);
  if (!staff.ok) throw new Error('staff sign-up failed');
  staffToken = staff.value.token;
});
afterAll(() => h.close());

const http = async (method: string, path: string, token?: string, body?: unknown) => {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
};
const reviewsOf = async (movieId: string, token?: string, sort = 'helpful') => (await http('GET', `/api/movies/${movieId}/reviews?sort=${sort}`, token)).body as ReviewsResponse;

/** A user with a confirmed booking of a show of the test movie that starts in an hour (runtime 2 h). */
async function viewer(name: string) {
  const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 3, perRow: 6, startsInMs: 3600_000 });
  const u = await h.register(name);
  const s = await h.connect(u.token);
  expect(await ack<Ack>(s, 'seat:hold', { showId: show.showId, seatIds: ['B2'] })).toMatchObject({ ok: true });
  const booked = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: `review-${name}-booking` });
  if (!booked.ok) throw new Error(JSON.stringify(booked));
  return { ...u, booking: booked.booking, show };
}

describe('reviews', () => {
  it('refuses a review before the show has ended (403 NOT_ATTENDED, nothing stored), accepts it after (201), and posting again edits it (200, one review)', async () => {
    const v = await viewer('Asha');
    const early = await http('POST', '/api/movies/test-movie/reviews', v.token, { rating: 4, text: 'Loved it' });
    expect(early).toMatchObject({ status: 403, body: { error: { code: 'NOT_ATTENDED' } } });
    expect((await reviewsOf('test-movie')).reviews.filter((r) => r.authorId === v.userId)).toEqual([]);

    h.clock.advance(3 * 3600_000 + 1); // the show (1 h from now, 2 h long) is over
    const posted = await http('POST', '/api/movies/test-movie/reviews', v.token, { rating: 4, text: 'Loved it' });
    expect(posted).toMatchObject({ status: 201, body: { review: { rating: 4, text: 'Loved it', authorName: 'Asha', helpful: 0 } } });
    h.clock.advance(1000);
    const edited = await http('POST', '/api/movies/test-movie/reviews', v.token, { rating: 5, text: 'Even better the second time I thought about it' });
    expect(edited.status).toBe(200);
    expect(edited.body.review.createdAt).toBe(posted.body.review.createdAt);
    const mine = (await reviewsOf('test-movie', v.token)).reviews.filter((r) => r.authorId === v.userId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ rating: 5, mine: true });
  });

  it('accepts a review once the ticket was checked in, before the show ends; refuses one for another movie', async () => {
    const v = await viewer('Bala');
    expect((await http('POST', '/api/movies/test-movie/reviews', v.token, { rating: 3 })).status).toBe(403);
    expect(await h.app.stores.bookings.markUsed(v.booking.id, new Date(h.clock.now()).toISOString())).toBe(true);
    expect((await http('POST', '/api/movies/test-movie/reviews', v.token, { rating: 3 })).status).toBe(201);
    expect((await http('POST', '/api/movies/other-movie/reviews', v.token, { rating: 3 })).body.error.code).toBe('NOT_ATTENDED');
  });

  it('keeps text exactly as given (HTML and script included) for clients to show as text', async () => {
    const v = await viewer('Chitra');
    h.clock.advance(3 * 3600_000 + 1);
    const text = '<script>alert("x")</script> <b>bold</b> & "quotes"';
    expect((await http('POST', '/api/movies/test-movie/reviews', v.token, { rating: 2, text })).status).toBe(201);
    expect((await reviewsOf('test-movie')).reviews.find((r) => r.authorId === v.userId)!.text).toBe(text);
  });

  it('counts a helpful mark once per reader, never the author’s own, and sorts by helpfulness or newest', async () => {
    const [a, b] = [await viewer('Dev'), await viewer('Esha')];
    h.clock.advance(3 * 3600_000 + 1);
    await http('POST', '/api/movies/test-movie/reviews', a.token, { rating: 5, text: 'A' });
    h.clock.advance(1000);
    await http('POST', '/api/movies/test-movie/reviews', b.token, { rating: 1, text: 'B' });
    const reader = await h.register('reader');
    const marks = await Promise.all([1, 2, 3].map(() => http('POST', `/api/movies/test-movie/reviews/${a.userId}/helpful`, reader.token)));
    expect(marks.every((m) => m.status === 200)).toBe(true);
    expect(marks.map((m) => m.body.review.helpful).sort()).toEqual([1, 1, 1]);
    expect((await http('POST', `/api/movies/test-movie/reviews/${a.userId}/helpful`, a.token)).body.error.code).toBe('VALIDATION');
    const list = await reviewsOf('test-movie', reader.token);
    const ids = list.reviews.map((r) => r.authorId);
    expect(ids.indexOf(a.userId)).toBe(0);
    expect(list.reviews[0]).toMatchObject({ helpful: 1, markedHelpful: true, mine: false });
    expect((await reviewsOf('test-movie', undefined, 'newest')).reviews[0]!.authorId).toBe(b.userId);
  });

  it('lets staff hide a review with a reason (gone from the page and the average) and refuses customers; the author can delete theirs', async () => {
    const v = await viewer('Farah');
    h.clock.advance(3 * 3600_000 + 1);
    await http('POST', '/api/movies/test-movie/reviews', v.token, { rating: 1, text: 'spam spam' });
    const before = (await reviewsOf('test-movie')).summary.count;
    expect((await http('POST', `/api/staff/reviews/test-movie/${v.userId}/hide`, v.token, { reason: 'spam' })).status).toBe(403);
    expect((await http('POST', `/api/staff/reviews/test-movie/${v.userId}/hide`, staffToken, { reason: '' })).status).toBe(400);
    expect((await http('POST', `/api/staff/reviews/test-movie/${v.userId}/hide`, staffToken, { reason: 'advertising' })).body).toEqual({ hidden: true });
    const after = await reviewsOf('test-movie');
    expect(after.summary.count).toBe(before - 1);
    expect(after.reviews.some((r) => r.authorId === v.userId)).toBe(false);

    const w = await viewer('Gita');
    h.clock.advance(3 * 3600_000 + 1);
    await http('POST', '/api/movies/test-movie/reviews', w.token, { rating: 4 });
    expect((await http('DELETE', '/api/movies/test-movie/reviews/mine', w.token)).body).toEqual({ deleted: true });
    expect((await reviewsOf('test-movie')).reviews.some((r) => r.authorId === w.userId)).toBe(false);
    expect((await http('DELETE', '/api/movies/test-movie/reviews/mine', w.token)).status).toBe(404);
  });

  it('answers bad input with typed errors and changes nothing: rating out of range, text too long, no sign-in, unknown movie', async () => {
    const v = await viewer('Hari');
    h.clock.advance(3 * 3600_000 + 1);
    const count = (await reviewsOf('test-movie')).summary.count;
    expect((await http('POST', '/api/movies/test-movie/reviews', v.token, { rating: 6 })).body.error.code).toBe('VALIDATION');
    expect((await http('POST', '/api/movies/test-movie/reviews', v.token, { rating: 5, text: 'x'.repeat(2001) })).body.error.code).toBe('VALIDATION');
    expect((await http('POST', '/api/movies/test-movie/reviews', undefined, { rating: 5 })).status).toBe(401);
    expect((await http('POST', '/api/movies/no-such-movie/reviews', v.token, { rating: 5 })).status).toBe(404);
    expect((await http('GET', '/api/movies/no-such-movie/reviews')).status).toBe(404);
    expect((await reviewsOf('test-movie')).summary.count).toBe(count);
  });

  it('limits review writes per user (429 with Retry-After after 10 at once)', async () => {
    const v = await viewer('Isha');
    h.clock.advance(3 * 3600_000 + 1);
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await http('POST', '/api/movies/test-movie/reviews', v.token, { rating: 3, text: `take ${i}` }));
    expect(answers.slice(0, 10).every((a) => a.status === 201 || a.status === 200)).toBe(true);
    expect(answers[10]).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
  });

  it('serves every movie’s rating summary for cards and search', async () => {
    const { ratings } = (await http('GET', '/api/ratings')).body as { ratings: Record<string, { average: number; count: number }> };
    expect(ratings['test-movie']!.count).toBeGreaterThan(0);
    expect(ratings['other-movie']).toEqual({ average: null, count: 0, distribution: [0, 0, 0, 0, 0] });
  });
});
