/**
 * Uploaded posters: `PUT /api/staff/movies/:id/poster` (the image as the raw body, staff and
 * admins only), `DELETE` of the same (back to the generated poster), and the WebP sizes at
 * `GET /api/movies/:id/poster/:width.webp?v=<version>`.
 */
import express, { type Request, type Response, type Router } from 'express';
import { apiError, Id } from '../../protocol/index.js';
import { POSTER_RULES } from '../domain/poster-sniff.js';
import type { MovieRecord } from '../ports.js';
import type { Principal } from '../services/auth.js';
import type { Catalog } from '../services/catalog.js';
import type { Posters } from '../services/posters.js';
import { send, sendError } from './http-edge.js';
import type { Route } from './staff-routes.js';
import { parse } from './validate.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'public, max-age=0, must-revalidate';
const tooLarge = () => apiError('TOO_LARGE', { message: `A poster may be at most ${POSTER_RULES.maxBytes / 1024 / 1024} MB.`, params: { maxMegabytes: POSTER_RULES.maxBytes / 1024 / 1024 } });

// Whatever the Content-Type says: the bytes are judged by what they are. One byte over the
// limit is read so that "exactly the limit" and "over it" differ.
const rawBody = express.raw({ type: () => true, limit: POSTER_RULES.maxBytes });

export function posterRoutes(
  app: Router,
  deps: { catalog: Catalog; posters: Posters; route: Route; requireStaff: (req: Request, res: Response) => Principal | null },
) {
  const { catalog, posters, route } = deps;

  async function movieOf(req: Request, res: Response): Promise<MovieRecord | null> {
    const id = parse(Id, req.params.id);
    if (!id.ok) return (sendError(res, id.error), null);
    const movie = (await catalog.movies()).get(id.value);
    if (!movie) sendError(res, apiError('NOT_FOUND', { message: `No movie called "${id.value}".` }));
    return movie ?? null;
  }
  /** The body as bytes, or null when it answered (too large). */
  const bytesOf = (req: Request, res: Response) =>
    new Promise<Buffer | null>((resolve, reject) => {
      if (Number(req.get('content-length') ?? 0) > POSTER_RULES.maxBytes) return resolve((sendError(res, tooLarge()), null));
      rawBody(req, res, (e?: unknown) => {
        if ((e as { type?: string } | undefined)?.type === 'entity.too.large') return resolve((sendError(res, tooLarge()), null));
        if (e) return reject(e);
        resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      });
    });

  app.put(
    '/api/staff/movies/:id/poster',
    route(async (req, res) => {
      if (!deps.requireStaff(req, res)) return;
      const movie = await movieOf(req, res);
      const bytes = movie && (await bytesOf(req, res));
      if (!movie || !bytes) return;
      const done = await posters.upload(movie, bytes);
      send(res, done.ok ? { ok: true, value: { movie: { ...movie, uploadedPoster: done.value, posterUrl: posters.urlOf(movie), posterImages: posters.imagesOf({ ...movie, uploadedPoster: done.value }) } } } : done);
    }),
  );
  app.delete(
    '/api/staff/movies/:id/poster',
    route(async (req, res) => {
      if (!deps.requireStaff(req, res)) return;
      const movie = await movieOf(req, res);
      if (!movie) return;
      const done = await posters.remove(movie);
      if (!done.ok) return sendError(res, done.error);
      const { uploadedPoster: _gone, ...rest } = movie;
      res.json({ movie: { ...rest, posterUrl: posters.urlOf(movie) } });
    }),
  );
  app.get(
    '/api/movies/:id/poster/:file',
    route(async (req, res) => {
      const width = /^(\d{2,4})\.webp$/.exec(String(req.params.file))?.[1];
      const movie = width ? await movieOf(req, res) : (sendError(res, apiError('NOT_FOUND')), null);
      if (!movie) return;
      // A version asked for is served while its files exist (a page loaded before a new upload); else the current one.
      const asked = typeof req.query.v === 'string' ? req.query.v : undefined;
      const version = asked ?? movie.uploadedPoster?.version;
      const image = version ? await posters.image(movie.id, version, Number(width)) : null;
      if (!image) return sendError(res, apiError('NOT_FOUND', { message: 'This movie has no uploaded poster of that size.' }));
      const etag = `"${version}-${width}"`;
      res.set('etag', etag).set('cache-control', asked ? IMMUTABLE : REVALIDATE);
      if (req.get('if-none-match')?.split(/\s*,\s*/).includes(etag)) return res.status(304).end();
      res.type('image/webp').send(image);
    }),
  );
}
