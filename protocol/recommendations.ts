/** "For you": `GET /api/me/recommendations?city=&lang=` (signed in): movies showing in the city, each with why. */
import { z } from 'zod';
import { UiLanguage } from './languages.js';
import { Id } from './schemas.js';

export const RECOMMENDATION_LIMIT = 10;

export const RecommendationsQuery = z.object({
  /** A city id or name, as for /api/shows. */
  city: z.string().trim().min(1).max(80),
  /** The page's language (en, hi, te): Hindi or Telugu counts as a film language the user told us. */
  lang: UiLanguage.optional(),
});
export type RecommendationsQuery = z.infer<typeof RecommendationsQuery>;

/** Why a movie is recommended: data the client words in the user's language. */
export const RecommendationReason = z.discriminatedUnion('kind', [
  /** Often booked by people who booked `movieId`, which this user booked. */
  z.object({ kind: z.literal('because_you_watched'), movieId: Id, title: z.string() }),
  z.object({ kind: z.literal('similar_genre'), genre: z.string() }),
  z.object({ kind: z.literal('your_language'), language: z.string() }),
  /** Among the most booked in the city this week. */
  z.object({ kind: z.literal('popular_in_city'), cityId: Id, cityName: z.string() }),
  /** Nothing personal and nobody booked it this week yet: it is simply on in the city. */
  z.object({ kind: z.literal('showing_in_city'), cityId: Id, cityName: z.string() }),
]);
export type RecommendationReason = z.infer<typeof RecommendationReason>;

export const RecommendedMovie = z.object({
  id: Id,
  title: z.string(),
  languages: z.array(z.string()),
  genres: z.array(z.string()),
  reason: RecommendationReason,
});
export type RecommendedMovie = z.infer<typeof RecommendedMovie>;

/** Best first; never a movie the user has booked. */
export const RecommendationsResponse = z.object({ movies: z.array(RecommendedMovie).max(RECOMMENDATION_LIMIT) });
export type RecommendationsResponse = z.infer<typeof RecommendationsResponse>;
