/** HTTP routes for theatre staff and admins: `/api/staff/...`. Customers get 403. */
import type { Request, Response, Router } from 'express';
import { apiError, CreateShowRequest, Id, PutLayoutRequest, PutQueueRequest, ReportQuery, StaffDayQuery, UpdateShowRequest } from '../../protocol/index.js';
import type { Principal } from '../services/auth.js';
import { reportCsv, type Staff } from '../services/staff.js';
import type { WaitingRoom } from '../services/waiting-room.js';
import { parse } from './validate.js';
import type { Result } from '../domain/result.js';
import type { ApiError } from '../../protocol/index.js';

export type Route = (h: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: (e: unknown) => void) => void;

/** The caller, if staff or admin; answers 401/403 otherwise. */
export const staffOnly =
  (requireUser: (req: Request, res: Response) => Principal | null, sendError: (res: Response, error: ApiError) => void) =>
  (req: Request, res: Response): Principal | null => {
    const p = requireUser(req, res);
    if (!p) return null;
    if (p.role === 'customer') {
      sendError(res, apiError('FORBIDDEN', { message: 'This page is for theatre staff.', reason: 'staff_only' }));
      return null;
    }
    return p;
  };

export function staffRoutes(
  app: Router,
  deps: {
    staff: Staff;
    waitingRoom: WaitingRoom;
    route: Route;
    requireUser: (req: Request, res: Response) => Principal | null;
    send: <T>(res: Response, result: Result<T>, status?: number) => void;
    sendError: (res: Response, error: ApiError) => void;
  },
) {
  const { staff, route, send, sendError } = deps;
  const forbidden = () => apiError('FORBIDDEN', { message: 'You do not work at this theatre.', reason: 'not_your_theatre' });

  const requireStaff = staffOnly(deps.requireUser, sendError);
  const idParam = (req: Request, res: Response, name: string): string | null => {
    const id = parse(Id, req.params[name]);
    if (!id.ok) {
      sendError(res, id.error);
      return null;
    }
    return id.value;
  };

  app.get(
    '/api/staff/theatres',
    route(async (req, res) => {
      const p = requireStaff(req, res);
      if (p) res.json({ theatres: await staff.theatres(p) });
    }),
  );
  app.get(
    '/api/staff/theatres/:theatreId/screens',
    route(async (req, res) => {
      const p = requireStaff(req, res);
      const id = p && idParam(req, res, 'theatreId');
      if (p && id) send(res, await staff.screens(p, id).then((r) => (r.ok ? { ok: true as const, value: { screens: r.value } } : r)));
    }),
  );
  app.get(
    '/api/staff/theatres/:theatreId/shows',
    route(async (req, res) => {
      const p = requireStaff(req, res);
      const id = p && idParam(req, res, 'theatreId');
      if (!p || !id) return;
      const q = parse(StaffDayQuery, req.query);
      if (!q.ok) return sendError(res, q.error);
      send(res, await staff.day(p, id, q.value.date));
    }),
  );
  app.post(
    '/api/staff/theatres/:theatreId/shows',
    route(async (req, res) => {
      const p = requireStaff(req, res);
      const id = p && idParam(req, res, 'theatreId');
      if (!p || !id) return;
      if (!staff.canManageTheatre(p, id)) return sendError(res, forbidden());
      const body = parse(CreateShowRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      send(res, await staff.createShow(p, id, body.value), 201);
    }),
  );
  app.get(
    '/api/staff/shows/:id/occupancy',
    route(async (req, res) => {
      const p = requireStaff(req, res);
      const id = p && idParam(req, res, 'id');
      if (p && id) send(res, await staff.occupancy(p, id));
    }),
  );
  app.patch(
    '/api/staff/shows/:id',
    route(async (req, res) => {
      const p = requireStaff(req, res);
      const id = p && idParam(req, res, 'id');
      if (!p || !id) return;
      // Authorization before validation: another theatre's staff learn nothing from the body's errors.
      if ((await staff.canManageShow(p, id)) === false) return sendError(res, forbidden());
      const body = parse(UpdateShowRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      send(res, await staff.updateShow(p, id, body.value));
    }),
  );
  app.post(
    '/api/staff/shows/:id/cancel',
    route(async (req, res) => {
      const p = requireStaff(req, res);
      const id = p && idParam(req, res, 'id');
      if (p && id) send(res, await staff.cancelShow(p, id));
    }),
  );
  /** The show's id when the caller may run it; answers 401/403/404 otherwise. */
  const ownShow = async (req: Request, res: Response): Promise<string | null> => {
    const p = requireStaff(req, res);
    const id = p && idParam(req, res, 'id');
    if (!p || !id) return null;
    const can = await staff.canManageShow(p, id);
    if (can === null) return (sendError(res, apiError('NOT_FOUND', { message: 'No such show.', reason: 'show_not_found' })), null);
    if (!can) return (sendError(res, forbidden()), null);
    return id;
  };
  app.get(
    '/api/staff/shows/:id/queue',
    route(async (req, res) => {
      const id = await ownShow(req, res);
      if (id) res.json({ queue: await deps.waitingRoom.view(id) });
    }),
  );
  app.put(
    '/api/staff/shows/:id/queue',
    route(async (req, res) => {
      const id = await ownShow(req, res);
      if (!id) return;
      const body = parse(PutQueueRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      const r = await deps.waitingRoom.put(id, body.value);
      send(res, r.ok ? { ok: true as const, value: { queue: r.value } } : r);
    }),
  );
  app.delete(
    '/api/staff/shows/:id/queue',
    route(async (req, res) => {
      const id = await ownShow(req, res);
      if (id) res.json({ queue: null, admitted: await deps.waitingRoom.end(id) });
    }),
  );
  app.put(
    '/api/staff/screens/:id/layout',
    route(async (req, res) => {
      const p = requireStaff(req, res);
      const id = p && idParam(req, res, 'id');
      if (!p || !id) return;
      if ((await staff.canManageScreen(p, id)) === false) return sendError(res, forbidden());
      const body = parse(PutLayoutRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      send(res, await staff.putLayout(p, id, body.value.layout));
    }),
  );
  app.get(
    '/api/staff/theatres/:theatreId/report',
    route(async (req, res) => {
      const p = requireStaff(req, res);
      const id = p && idParam(req, res, 'theatreId');
      if (!p || !id) return;
      if (!staff.canManageTheatre(p, id)) return sendError(res, forbidden());
      const q = parse(ReportQuery, req.query);
      if (!q.ok) return sendError(res, q.error);
      const r = await staff.report(p, id, q.value.from, q.value.to);
      if (!r.ok) return sendError(res, r.error);
      if (q.value.format === 'json') return res.json(r.value);
      res
        .type('text/csv')
        .set('content-disposition', `attachment; filename="report-${id}-${q.value.from}-${q.value.to}.csv"`)
        .send(reportCsv(r.value.rows));
    }),
  );
}
