/**
 * Reviews from real viewers: the attendance rule (domain/reviews.ts) against the user's
 * bookings, one review per user per movie, helpful marks, hiding by staff (logged), and the
 * rating summaries the cards show.
 */
import type { Logger } from 'pino';
import type { Review, ReviewRequest, ReviewsResponse, RatingSummary } from '../../protocol/reviews.js';
import { attended, firstName, ratingSummary, sortReviews } from '../domain/reviews.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { BookingStore, Clock, ReviewRecord, ReviewStore } from '../ports.js';
import type { Principal } from './auth.js';
import type { Catalog } from './catalog.js';

export interface ReviewDeps {
  reviews: ReviewStore;
  bookings: Pick<BookingStore, 'listByUser'>;
  catalog: Pick<Catalog, 'movies' | 'showContext' | 'showTimes'>;
  clock: Clock;
  logger: Logger;
}

/** The rating summaries are read by every listing: recomputed at most this often. */
const SUMMARY_TTL_MS = 30_000;

const noMovie = () => fail('NOT_FOUND', { message: 'No such movie.' });

export function createReviews(deps: ReviewDeps) {
  const { reviews, clock, logger } = deps;
  let summaries: { at: number; value: Promise<Map<string, RatingSummary>> } | null = null;

  const movieExists = async (movieId: string) => (await deps.catalog.movies()).has(movieId);
  const visible = (list: ReviewRecord[]) => list.filter((r) => !r.hidden);

  async function hasSeen(userId: string, movieId: string): Promise<boolean> {
    const mine = (await deps.bookings.listByUser(userId)).filter((b) => b.status === 'confirmed');
    const shows = await Promise.all(
      mine.map(async (b) => {
        const [ctx, times] = await Promise.all([deps.catalog.showContext(b.showId), deps.catalog.showTimes(b.showId)]);
        return ctx && times ? { status: b.status, usedAt: b.usedAt, movieId: ctx.show.movieId, endsAt: times.endsAt } : null;
      }),
    );
    return attended(shows.filter((s) => s !== null), movieId, clock.now());
  }

  const publicReview = (r: ReviewRecord, reader: string | null, marked: Set<string>): Review => ({
    movieId: r.movieId,
    authorId: r.authorId,
    authorName: r.authorName,
    rating: r.rating,
    text: r.text,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    helpful: r.helpful,
    ...(reader ? { mine: r.authorId === reader, markedHelpful: marked.has(r.authorId) } : {}),
  });

  return {
    async post(p: Principal, movieId: string, req: ReviewRequest): Promise<Result<{ review: Review; created: boolean }>> {
      if (!(await movieExists(movieId))) return noMovie();
      if (!(await hasSeen(p.id, movieId))) return fail('NOT_ATTENDED');
      const { review, created } = await reviews.put({ movieId, authorId: p.id, authorName: firstName(p.name), rating: req.rating, text: req.text }, new Date(clock.now()).toISOString());
      summaries = null;
      return ok({ review: publicReview(review, p.id, new Set()), created });
    },

    async list(movieId: string, sort: 'helpful' | 'newest', reader: Principal | null): Promise<Result<ReviewsResponse>> {
      if (!(await movieExists(movieId))) return noMovie();
      const [all, marked] = await Promise.all([reviews.list(movieId), reader ? reviews.markedBy(movieId, reader.id) : new Set<string>()]);
      const shown = visible(all);
      return ok({ summary: ratingSummary(shown.map((r) => r.rating)), reviews: sortReviews(shown, sort).map((r) => publicReview(r, reader?.id ?? null, marked)) });
    },

    async remove(p: Principal, movieId: string): Promise<Result<{ deleted: boolean }>> {
      if (!(await movieExists(movieId))) return noMovie();
      const deleted = await reviews.remove(movieId, p.id);
      summaries = null;
      return deleted ? ok({ deleted }) : fail('NOT_FOUND', { message: 'You have not reviewed this movie.' });
    },

    async markHelpful(p: Principal, movieId: string, authorId: string): Promise<Result<{ review: Review }>> {
      if (authorId === p.id) return fail('VALIDATION', { message: 'You cannot mark your own review as helpful.' });
      const outcome = await reviews.markHelpful(movieId, authorId, p.id, new Date(clock.now()).toISOString());
      if (outcome === 'missing') return fail('NOT_FOUND', { message: 'No such review.' });
      const review = await reviews.get(movieId, authorId);
      return review ? ok({ review: publicReview(review, p.id, new Set([authorId])) }) : fail('NOT_FOUND', { message: 'No such review.' });
    },

    async hide(p: Principal, movieId: string, authorId: string, reason: string): Promise<Result<{ hidden: true }>> {
      if (p.role === 'customer') return fail('FORBIDDEN', { message: 'Only staff and admins can hide reviews.', reason: 'staff_only' });
      const hidden = await reviews.hide(movieId, authorId, { reason, by: p.id, at: new Date(clock.now()).toISOString() });
      if (!hidden) return fail('NOT_FOUND', { message: 'No such review.' });
      logger.info({ movieId, authorId, by: p.id, reason }, 'review hidden');
      summaries = null;
      return ok({ hidden: true });
    },

    /** Every movie's rating summary (cards, search results). */
    async summaries(): Promise<Map<string, RatingSummary>> {
      if (!summaries || clock.now() - summaries.at > SUMMARY_TTL_MS) {
        const value = (async () => {
          const ids = [...(await deps.catalog.movies()).keys()];
          const lists = await Promise.all(ids.map((id) => reviews.list(id)));
          return new Map(ids.map((id, i) => [id, ratingSummary(visible(lists[i]!).map((r) => r.rating))]));
        })();
        summaries = { at: clock.now(), value };
        value.catch(() => (summaries = null));
      }
      return summaries.value;
    },
  };
}
export type Reviews = ReturnType<typeof createReviews>;
