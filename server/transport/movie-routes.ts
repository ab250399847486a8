/**
 * `/api/movies`: the catalogue's movies with their details and poster URLs, one movie, and
 * its generated poster (`/api/movies/:id/poster.svg`).
 */
import type { Request, Response, Router } from 'express';
import { apiError, Id, PosterQuery, type Movie } from '../../protocol/index.js';
import type { MovieRecord } from '../ports.js';
import type { Catalog } from '../services/catalog.js';
import type { Posters } from '../services/posters.js';
import { sendError } from './http-edge.js';
import { parse } from './validate.js';

type Route = (h: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: (e: unknown) => void) => void;

/** A year: the URL changes with the poster, so a cached copy is never stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Without the current version in the URL: keep it, but ask again (a 304 by ETag) before use. */
const REVALIDATE = 'public, max-age=0, must-revalidate';

export function movieRoutes(app: Router, deps: { catalog: Catalog; posters: Posters; route: Route }) {
  const { catalog, posters, route } = deps;
  const listed = (m: MovieRecord): Movie => {
    const posterImages = posters.imagesOf(m);
    return { ...m, posterUrl: posters.urlOf(m), ...(posterImages ? { posterImages } : {}) };
  };

  async function movieOf(req: Request, res: Response): Promise<MovieRecord | null> {
    const id = parse(Id, req.params.id);
    if (!id.ok) {
      sendError(res, id.error);
      return null;
    }
    const movie = (await catalog.movies()).get(id.value);
    if (!movie) sendError(res, apiError('NOT_FOUND', { message: `No movie called "${id.value}".` }));
    return movie ?? null;
  }

  app.get(
    '/api/movies',
    route(async (_req, res) => {
      res.json({ movies: [...(await catalog.movies()).values()].map(listed) });
    }),
  );
  app.get(
    '/api/movies/:id',
    route(async (req, res) => {
      const movie = await movieOf(req, res);
      if (movie) res.json({ movie: listed(movie) });
    }),
  );
  app.get(
    '/api/movies/:id/poster.svg',
    route(async (req, res) => {
      const movie = await movieOf(req, res);
      if (!movie) return;
      const lang = parse(PosterQuery, req.query);
      if (!lang.ok) return sendError(res, lang.error);
      const { svg, version } = posters.posterOf(movie, lang.value.lang);
      const etag = `"${version}${lang.value.lang && lang.value.lang !== 'en' ? `-${lang.value.lang}` : ''}"`;
      res
        .set('etag', etag)
        .set('cache-control', req.query.v === version ? IMMUTABLE : REVALIDATE)
        // An SVG opened on its own is a document: it may draw, never run or fetch anything.
        .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
      if (req.get('if-none-match')?.split(/\s*,\s*/).includes(etag)) return res.status(304).end();
      res.type('image/svg+xml; charset=utf-8').send(svg);
    }),
  );
}
