/** `GET /api/me/recommendations?city=&lang=`: the signed-in user's "For you" row. */
import type { Request, Response, Router } from 'express';
import { apiError, RecommendationsQuery } from '../../protocol/index.js';
import type { Principal } from '../services/auth.js';
import type { Recommendations } from '../services/recommendations.js';
import { sendError } from './http-edge.js';
import type { Route } from './staff-routes.js';
import { parse } from './validate.js';

export function recommendationRoutes(
  app: Router,
  deps: { recommendations: Recommendations; route: Route; requireUser: (req: Request, res: Response) => Principal | null },
) {
  app.get(
    '/api/me/recommendations',
    deps.route(async (req, res) => {
      const p = deps.requireUser(req, res);
      if (!p) return;
      const q = parse(RecommendationsQuery, req.query);
      if (!q.ok) return sendError(res, q.error);
      const result = await deps.recommendations.forUser(p.id, q.value.city, q.value.lang);
      if (!result) return sendError(res, apiError('NOT_FOUND', { message: `No city called "${q.value.city}".`, reason: 'city_not_found', params: { city: q.value.city } }));
      // Personal: never in a shared cache.
      res.set('cache-control', 'private, no-store').json(result);
    }),
  );
}
