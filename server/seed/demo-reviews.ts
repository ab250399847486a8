/**
 * Demo reviews (server/seed/demo-reviews.json): a few per demo movie, so movie pages, ratings
 * and cards have something to show on a fresh start. Each is written only when that author has
 * no review of that movie, so a restart writes nothing and staff hiding one is kept.
 */
import type { ReviewStore } from '../ports.js';
import { slug } from './demo.js';
import reviewsJson from './demo-reviews.json' with { type: 'json' };

export interface DemoReview {
  movieId: string;
  authorId: string;
  authorName: string;
  rating: number;
  text: string;
}

export const demoAuthorId = (n: number) => `demo-r-${n}`;

export function demoReviews(): DemoReview[] {
  return Object.entries(reviewsJson.reviews).flatMap(([title, list]) =>
    list.map((r) => ({ movieId: slug(title), authorId: demoAuthorId(r.by), authorName: reviewsJson.reviewers[r.by]!, rating: r.rating, text: r.text })),
  );
}

/** Spread over the past weeks, so "newest" has an order; fixed by position, not by chance. */
const AGE_STEP_MS = 11 * 3600_000;

export async function seedDemoReviews(store: Pick<ReviewStore, 'list' | 'put'>, now: number): Promise<{ reviewsAdded: number }> {
  const all = demoReviews();
  const movieIds = [...new Set(all.map((r) => r.movieId))];
  const lists = await Promise.all(movieIds.map((id) => store.list(id)));
  const have = new Set(lists.flat().map((r) => `${r.movieId}|${r.authorId}`));
  const missing = all.map((r, i) => ({ r, i })).filter(({ r }) => !have.has(`${r.movieId}|${r.authorId}`));
  await Promise.all(missing.map(({ r, i }) => store.put(r, new Date(now - (all.length - i) * AGE_STEP_MS).toISOString())));
  return { reviewsAdded: missing.length };
}
