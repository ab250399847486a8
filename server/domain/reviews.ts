/**
 * Reviews' rules, pure: who may review a movie (they saw it here), the rating summary, and
 * the orders a movie page lists reviews in.
 */
import type { RatingSummary } from '../../protocol/reviews.js';

export interface AttendedBooking {
  status: string;
  usedAt?: string;
  /** The booking's show: its movie and when it ends (start + runtime), epoch ms. */
  movieId: string;
  endsAt: number;
}

/** A confirmed booking of the movie whose show has ended, or whose ticket was checked in. */
export function attended(bookings: readonly AttendedBooking[], movieId: string, now: number): boolean {
  return bookings.some((b) => b.movieId === movieId && b.status === 'confirmed' && (b.usedAt !== undefined || b.endsAt <= now));
}

export function ratingSummary(ratings: readonly number[]): RatingSummary {
  const distribution = [0, 0, 0, 0, 0];
  for (const r of ratings) distribution[r - 1]!++;
  const count = ratings.length;
  const average = count ? Math.round((ratings.reduce((a, b) => a + b, 0) / count) * 10) / 10 : null;
  return { average, count, distribution };
}

export interface Sortable {
  helpful: number;
  updatedAt: string;
  authorId: string;
}

/** `helpful`: most marked first, then newest; `newest`: last written or edited first. Ties by author, so the order is stable. */
export function sortReviews<T extends Sortable>(reviews: readonly T[], by: 'helpful' | 'newest'): T[] {
  const newest = (a: T, b: T) => b.updatedAt.localeCompare(a.updatedAt) || a.authorId.localeCompare(b.authorId);
  return reviews.slice().sort(by === 'helpful' ? (a, b) => b.helpful - a.helpful || newest(a, b) : newest);
}

/** Only the first name of an author is shown next to their review. */
export const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? '';
