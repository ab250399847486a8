/**
 * Generated posters, made on first request and kept: a poster is a pure function of a few
 * movie facts, so it is drawn again only when one of them changes. Its version (a hash of
 * the SVG) goes into the URL, which lets browsers cache it for good.
 */
import { createHash } from 'node:crypto';
import { posterSvg } from '../domain/poster.js';
import type { MovieRecord } from '../ports.js';

export interface Poster {
  svg: string;
  /** A content hash: the ETag, and the `v` of the poster's URL. */
  version: string;
}

export function createPosters() {
  const made = new Map<string, { inputs: string; poster: Poster }>();
  function posterOf(movie: MovieRecord): Poster {
    const { id, title, genres, certificate, runtimeMinutes } = movie;
    const inputs = JSON.stringify([title, genres, certificate, runtimeMinutes]);
    const kept = made.get(id);
    if (kept?.inputs === inputs) return kept.poster;
    const svg = posterSvg({ id, title, genres, certificate, runtimeMinutes });
    const poster = { svg, version: createHash('sha256').update(svg).digest('base64url').slice(0, 16) };
    made.set(id, { inputs, poster });
    return poster;
  }
  return {
    posterOf,
    urlOf: (movie: MovieRecord) => `/api/movies/${encodeURIComponent(movie.id)}/poster.svg?v=${posterOf(movie).version}`,
  };
}
export type Posters = ReturnType<typeof createPosters>;
