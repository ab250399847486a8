/** Reviews over HTTP: read by anyone, written by viewers (rate-limited per user), hidden by staff. */
import type { Request, Response, Router } from 'express';
import { HideReviewRequest, Id, ReviewRequest, ReviewsQuery } from '../../protocol/index.js';
import type { Limiter } from '../ports.js';
import type { Principal } from '../services/auth.js';
import type { Reviews } from '../services/reviews.js';
import { send, sendError } from './http-edge.js';
import type { Route } from './staff-routes.js';
import { parse } from './validate.js';

export function reviewRoutes(
  app: Router,
  deps: {
    reviews: Reviews;
    route: Route;
    requireUser: (req: Request, res: Response) => Principal | null;
    limited: (res: Response, limiter: Limiter | null, key: string) => Promise<boolean>;
    writeLimiter: Limiter | null;
  },
) {
  const { reviews, route, requireUser } = deps;
  /** The path's ids, or null once a 400 has been sent. */
  const ids = (req: Request, res: Response, names: string[]): string[] | null => {
    const out: string[] = [];
    for (const n of names) {
      const id = parse(Id, req.params[n]);
      if (!id.ok) return (sendError(res, id.error), null);
      out.push(id.value);
    }
    return out;
  };

  app.get(
    '/api/movies/:id/reviews',
    route(async (req, res) => {
      const [id] = ids(req, res, ['id']) ?? [];
      const q = parse(ReviewsQuery, req.query);
      if (!id) return;
      if (!q.ok) return sendError(res, q.error);
      send(res, await reviews.list(id, q.value.sort, res.locals.principal as Principal | null));
    }),
  );
  app.get(
    '/api/ratings',
    route(async (_req, res) => {
      res.json({ ratings: Object.fromEntries(await reviews.summaries()) });
    }),
  );
  app.post(
    '/api/movies/:id/reviews',
    route(async (req, res) => {
      const p = requireUser(req, res);
      const [id] = (p && ids(req, res, ['id'])) ?? [];
      if (!p || !id) return;
      const body = parse(ReviewRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      if (await deps.limited(res, deps.writeLimiter, p.id)) return;
      const r = await reviews.post(p, id, body.value);
      send(res, r.ok ? { ok: true as const, value: { review: r.value.review } } : r, r.ok && r.value.created ? 201 : 200);
    }),
  );
  app.delete(
    '/api/movies/:id/reviews/mine',
    route(async (req, res) => {
      const p = requireUser(req, res);
      const [id] = (p && ids(req, res, ['id'])) ?? [];
      if (p && id) send(res, await reviews.remove(p, id));
    }),
  );
  app.post(
    '/api/movies/:id/reviews/:authorId/helpful',
    route(async (req, res) => {
      const p = requireUser(req, res);
      const [id, authorId] = (p && ids(req, res, ['id', 'authorId'])) ?? [];
      if (!p || !id || !authorId) return;
      if (await deps.limited(res, deps.writeLimiter, p.id)) return;
      send(res, await reviews.markHelpful(p, id, authorId));
    }),
  );
  app.post(
    '/api/staff/reviews/:movieId/:authorId/hide',
    route(async (req, res) => {
      const p = requireUser(req, res);
      const [movieId, authorId] = (p && ids(req, res, ['movieId', 'authorId'])) ?? [];
      if (!p || !movieId || !authorId) return;
      const body = parse(HideReviewRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      send(res, await reviews.hide(p, movieId, authorId, body.value.reason));
    }),
  );
}
