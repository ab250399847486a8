/**
 * Reviews and ratings (issue 17): the calls, and the pure parts of showing them (average,
 * distribution bars, dates in the reader's language). Review text is the author's own words:
 * components show it with `{text}`, never as HTML.
 */
import type { RatingSummary, Review, ReviewsResponse } from '../../../protocol/reviews.js';
import { api } from './api.js';

export const TEXT_LIMIT = 2000;
export type ReviewSort = 'helpful' | 'newest';

const base = (movieId: string) => `/api/movies/${encodeURIComponent(movieId)}/reviews`;

/** Signed in, the answer says which review is the reader's and which they marked helpful. */
export const loadReviews = (movieId: string, sort: ReviewSort) => api<ReviewsResponse>(`${base(movieId)}?sort=${sort}`, { auth: true });
export const postReview = (movieId: string, rating: number, text: string) =>
  api<{ review: Review }>(base(movieId), { method: 'POST', body: { rating, text }, auth: true });
export const deleteMyReview = (movieId: string) => api<{ deleted: true }>(`${base(movieId)}/mine`, { method: 'DELETE', auth: true });
export const markHelpful = (movieId: string, authorId: string) =>
  api<{ review: Review }>(`${base(movieId)}/${encodeURIComponent(authorId)}/helpful`, { method: 'POST', auth: true });
export const hideReview = (movieId: string, authorId: string, reason: string) =>
  api<{ hidden: true }>(`/api/staff/reviews/${encodeURIComponent(movieId)}/${encodeURIComponent(authorId)}/hide`, { method: 'POST', body: { reason }, auth: true });
export const loadRatings = () => api<{ ratings: Record<string, RatingSummary> }>('/api/ratings').then((r) => r.ratings);

/** "4.3": always one decimal, so 4 reads "4.0" beside its neighbours. */
export function averageText(average: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(average);
}

/** Five rows, 5 stars first, each with its count and its bar's length against the longest (0–100). */
export function distributionRows(summary: RatingSummary): { stars: number; count: number; percent: number }[] {
  const most = Math.max(1, ...summary.distribution);
  return [5, 4, 3, 2, 1].map((stars) => {
    const count = summary.distribution[stars - 1] ?? 0;
    return { stars, count, percent: Math.round((count / most) * 100) };
  });
}

/** How many of the five stars to draw full for an average, to the nearest half (4.3 → ★★★★½). */
export function starFill(average: number): { full: number; half: boolean } {
  const halves = Math.round(average * 2);
  return { full: Math.floor(halves / 2), half: halves % 2 === 1 };
}

/** "2 Dec 2026" in English, "2 दिस॰ 2026" in Hindi: when a review was written. */
export function reviewDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso));
}

/** The list with one review replaced by its newer copy (after a helpful mark), order kept. */
export function replaceReview(list: Review[], next: Review): Review[] {
  return list.map((r) => (r.authorId === next.authorId ? next : r));
}

/** Changed more than a minute after it was first posted. */
export const wasEdited = (r: Pick<Review, 'createdAt' | 'updatedAt'>) => Date.parse(r.updatedAt) - Date.parse(r.createdAt) > 60_000;
