import { z } from 'zod';
import { UiLanguage } from './languages.js';

/** Who made a movie besides its cast; the client translates the known roles. */
export const CrewRole = z.enum(['director', 'music', 'writer', 'producer', 'cinematography']);
export type CrewRole = z.infer<typeof CrewRole>;
export const CrewMember = z.object({ role: CrewRole, name: z.string().min(1).max(100) });
export type CrewMember = z.infer<typeof CrewMember>;

/**
 * What a movie page shows beyond the listing facts. All optional: movies written before these
 * fields existed (or added without them) still load. Synopses are in English, like titles.
 */
export const MovieDetails = z.object({
  synopsis: z.string().max(1000).optional(),
  /** Lead actors, top billing first. */
  cast: z.array(z.string().min(1).max(100)).max(20).optional(),
  crew: z.array(CrewMember).max(20).optional(),
  trailerUrl: z.string().url().optional(),
  /**
   * Set by the API, never stored: the movie's poster, with a version in the query so that it
   * can be cached for good (GET /api/movies/:id/poster.svg).
   */
  posterUrl: z.string().optional(),
  /**
   * Stored: a poster staff uploaded (PUT /api/staff/movies/:id/poster), re-encoded to WebP at
   * these widths (2:3, so the height is 1.5 × the width). Absent: the generated SVG poster.
   */
  uploadedPoster: z.object({ version: z.string().min(1).max(40), widths: z.array(z.number().int().positive()).min(1).max(8) }).optional(),
  /** Set by the API, never stored: the uploaded poster's WebP sizes (for `srcset`), narrowest first. */
  posterImages: z.array(z.object({ url: z.string(), width: z.number().int().positive(), height: z.number().int().positive() })).optional(),
});
export type MovieDetails = z.infer<typeof MovieDetails>;

/** GET /api/movies/:id/poster.svg: `v` the version (for caching), `lang` the language of the poster's words (English if left out). */
export const PosterQuery = z.object({ v: z.string().max(40).optional(), lang: UiLanguage.optional() });
