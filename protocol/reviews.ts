/**
 * Reviews and ratings from real viewers (issue 17): `POST /api/movies/:id/reviews` from
 * someone who saw the movie (a confirmed booking whose show has ended, or whose ticket was
 * checked in), one per user per movie, edited by posting again.
 */
import { z } from 'zod';
import { Id } from './schemas.js';

export const ReviewRequest = z.object({
  rating: z.number().int().min(1).max(5),
  /** Stored as given; clients show it as text, never as HTML. */
  text: z.string().max(2000).default(''),
});
export type ReviewRequest = z.infer<typeof ReviewRequest>;

export const ReviewsQuery = z.object({ sort: z.enum(['helpful', 'newest']).default('helpful') });

/** Average (one decimal), count and how many gave each star (index 0 = 1 star). */
export const RatingSummary = z.object({
  average: z.number().nullable(),
  count: z.number().int(),
  distribution: z.array(z.number().int()).length(5),
});
export type RatingSummary = z.infer<typeof RatingSummary>;

export const Review = z.object({
  movieId: Id,
  authorId: Id,
  /** The author's first name only. */
  authorName: z.string(),
  rating: z.number().int().min(1).max(5),
  text: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  helpful: z.number().int(),
  /** For a signed-in reader: their own review; whether they marked it helpful. */
  mine: z.boolean().optional(),
  markedHelpful: z.boolean().optional(),
});
export type Review = z.infer<typeof Review>;

export const ReviewsResponse = z.object({ summary: RatingSummary, reviews: z.array(Review) });
export type ReviewsResponse = z.infer<typeof ReviewsResponse>;

/** `POST /api/staff/reviews/:movieId/:authorId/hide`: staff or admins hide a review, saying why (logged). */
export const HideReviewRequest = z.object({ reason: z.string().trim().min(3).max(300) });
