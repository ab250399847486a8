/** Issue 17: the demo's reviews are seeded once each, through the real store, and show on the movie's page. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReviewStore } from '../../server/adapters/dynamo/review-store.js';
import type { ReviewStore } from '../../server/ports.js';
import { demoReviews, seedDemoReviews } from '../../server/seed/demo-reviews.js';
import { buildDemoCatalog } from '../../server/seed/demo.js';
import { call, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ demoData: true });
});
afterAll(() => h.close());

describe('demo reviews', () => {
  it('are 3-8 per demo movie, each author once per movie, rated 1-5 with short text, not all alike', () => {
    const all = demoReviews();
    const movieIds = buildDemoCatalog().movies.map((m) => m.id);
    for (const id of movieIds) {
      const mine = all.filter((r) => r.movieId === id);
      expect(mine.length, id).toBeGreaterThanOrEqual(3);
      expect(mine.length, id).toBeLessThanOrEqual(8);
      expect(new Set(mine.map((r) => r.authorId)).size, id).toBe(mine.length);
    }
    expect(all.every((r) => movieIds.includes(r.movieId) && Number.isInteger(r.rating) && r.rating >= 1 && r.rating <= 5 && r.text.length > 0 && r.text.length <= 300)).toBe(true);
    expect(new Set(all.map((r) => r.rating)).size).toBe(5);
    expect(all.every((r) => /^demo-r-\d+$/.test(r.authorId))).toBe(true);
  });

  it('seeding twice writes each review once, and the movie’s summary and list show them', async () => {
    const store = createReviewStore(h.dynamo);
    let puts = 0;
    const counting: Pick<ReviewStore, 'list' | 'put'> = { list: (id) => store.list(id), put: (r, at) => (puts++, store.put(r, at)) };
    const all = demoReviews();
    expect(await seedDemoReviews(counting, h.clock.now())).toEqual({ reviewsAdded: all.length });
    expect(await seedDemoReviews(counting, h.clock.now())).toEqual({ reviewsAdded: 0 });
    expect(puts).toBe(all.length);

    const rrr = all.filter((r) => r.movieId === 'rrr');
    const { status, body } = await call(h.url, 'GET', '/api/movies/rrr/reviews?sort=newest');
    expect(status).toBe(200);
    expect(body.summary.count).toBe(rrr.length);
    expect(body.summary.average).toBeCloseTo(rrr.reduce((s, r) => s + r.rating, 0) / rrr.length, 1);
    expect(body.reviews.map((r: { authorName: string }) => r.authorName).sort()).toEqual(rrr.map((r) => r.authorName).sort());
  });

  it('keeps a demo review that staff hid hidden on the next seeding (it exists, so it is not written again)', async () => {
    const store = createReviewStore(h.dynamo);
    const one = demoReviews()[0]!;
    expect(await store.hide(one.movieId, one.authorId, { reason: 'test', by: 'staff', at: new Date(h.clock.now()).toISOString() })).toBe(true);
    expect(await seedDemoReviews(store, h.clock.now())).toEqual({ reviewsAdded: 0 });
    expect((await store.get(one.movieId, one.authorId))?.hidden).toBeDefined();
  });
});
