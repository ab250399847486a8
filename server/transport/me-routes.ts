/** `/api/me/favourites`, `/api/me/preferences` and Book again's `/api/bookings/:id/again` (protocol/me.ts). */
import type { Request, Response, Router } from 'express';
import { FavouriteKind, Id, PreferencesRequest } from '../../protocol/index.js';
import type { Principal } from '../services/auth.js';
import type { AvailabilityService } from '../services/availability.js';
import type { Me } from '../services/me.js';
import { send, sendError } from './http-edge.js';
import type { Route } from './staff-routes.js';
import { parse } from './validate.js';

export function meRoutes(
  app: Router,
  deps: { me: Me; availability: AvailabilityService; route: Route; requireUser: (req: Request, res: Response) => Principal | null },
) {
  const { me, route, requireUser } = deps;
  /** The signed-in caller and the path's kind and id, or null once the answer (401, 400) is sent. */
  const favouriteArgs = (req: Request, res: Response) => {
    const p = requireUser(req, res);
    if (!p) return null;
    const kind = parse(FavouriteKind, req.params.kind);
    if (!kind.ok) return (sendError(res, kind.error), null);
    const id = parse(Id, req.params.id);
    if (!id.ok) return (sendError(res, id.error), null);
    return { p, kind: kind.value, id: id.value };
  };

  app.get(
    '/api/me/favourites',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (p) send(res, await me.favourites(p));
    }),
  );
  app.put(
    '/api/me/favourites/:kind/:id',
    route(async (req, res) => {
      const a = favouriteArgs(req, res);
      if (a) send(res, await me.addFavourite(a.p, a.kind, a.id));
    }),
  );
  app.delete(
    '/api/me/favourites/:kind/:id',
    route(async (req, res) => {
      const a = favouriteArgs(req, res);
      if (a) send(res, await me.removeFavourite(a.p, a.kind, a.id));
    }),
  );

  app.get(
    '/api/me/preferences',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (p) send(res, await me.preferences(p));
    }),
  );
  app.put(
    '/api/me/preferences',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (!p) return;
      const body = parse(PreferencesRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      send(res, await me.setPreferences(p, body.value));
    }),
  );

  app.get(
    '/api/bookings/:id/again',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (!p) return;
      const id = parse(Id, req.params.id);
      if (!id.ok) return sendError(res, id.error);
      const r = await me.againOptions(p, id.value);
      if (!r.ok) return sendError(res, r.error);
      res.json({ shows: await deps.availability.add(r.value.shows) });
    }),
  );
}
