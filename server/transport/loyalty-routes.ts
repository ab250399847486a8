/** `GET /api/me/loyalty`: the signed-in user's points, tier and ledger. */
import type { Request, Response, Router } from 'express';
import type { Principal } from '../services/auth.js';
import type { Loyalty } from '../services/loyalty.js';
import type { Route } from './staff-routes.js';

export function loyaltyRoutes(app: Router, deps: { loyalty: Loyalty; route: Route; requireUser: (req: Request, res: Response) => Principal | null }) {
  app.get(
    '/api/me/loyalty',
    deps.route(async (req, res) => {
      const p = deps.requireUser(req, res);
      if (!p) return;
      res.set('cache-control', 'private, no-store').json(await deps.loyalty.account(p.id));
    }),
  );
}
