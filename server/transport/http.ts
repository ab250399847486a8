import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { apiError, QuoteQuery, SearchQuery, ShowsQuery, VerifyTicketRequest } from '../../protocol/index.js';
import { AppError } from '../domain/result.js';
import type { Auth, Principal } from '../services/auth.js';
import type { AvailabilityService } from '../services/availability.js';
import type { Catalog } from '../services/catalog.js';
import type { Search } from '../services/search.js';
import { publicBooking, type SeatService } from '../services/seats/index.js';
import type { BookingRecord, BookingStore, Limiter, LocalMailbox } from '../ports.js';
import type { Notifications } from '../services/notifications.js';
import type { Tickets } from '../services/tickets.js';
import type { Staff } from '../services/staff.js';
import { staffOnly, staffRoutes } from './staff-routes.js';
import { posterRoutes } from './poster-routes.js';
import type { WaitingRoom } from '../services/waiting-room.js';
import type { Metrics } from '../ports.js';
import { timingSafeEqual } from 'node:crypto';
import type { Reviews } from '../services/reviews.js';
import { reviewRoutes } from './review-routes.js';
import { recommendationRoutes } from './recommendation-routes.js';
import { loyaltyRoutes } from './loyalty-routes.js';
import type { Loyalty } from '../services/loyalty.js';
import type { Recommendations } from '../services/recommendations.js';
import { paymentRoutes, webhookRoute } from './payment-routes.js';
import type { Payments } from '../services/payments/index.js';
import type { Accounts } from '../services/accounts.js';
import { authRoutes, type AuthLimits } from './auth-routes.js';
import { movieRoutes } from './movie-routes.js';
import { meRoutes } from './me-routes.js';
import type { Me } from '../services/me.js';
import { apiDocsRoutes } from './api-docs-routes.js';
import type { Posters } from '../services/posters.js';
import { drainGate, originPolicy, requestLog, send, sendError } from './http-edge.js';
import type { InFlight } from './in-flight.js';
import { parse } from './validate.js';
import { Id } from '../../protocol/index.js';

export interface HttpDeps {
  auth: Auth;
  accounts: Accounts;
  catalog: Catalog;
  /** Free seats per show for the listing. */
  availability: AvailabilityService;
  search: Search;
  seats: SeatService;
  bookings: BookingStore;
  tickets: Tickets;
  notifications: Notifications;
  /** May this principal act on this booking as staff (role and theatre)? */
  staffCan: (p: Principal, booking: BookingRecord) => boolean;
  staff: Staff;
  waitingRoom: WaitingRoom;
  reviews: Reviews;
  recommendations: Recommendations;
  /** Favourites, preferences, Book again. */
  me: Me;
  loyalty: Loyalty;
  /** Generated and uploaded posters. */
  posters: Posters;
  /** Abuse limits; a null per-IP limiter is a load-test rig (LOAD_TEST=1). */
  limits: AuthLimits & { reviewsPerUser?: Limiter | null };
  logger: Logger;
  /** Origins besides our own that browsers may call the API from (CORS). */
  corsOrigins: readonly string[];
  publicUrl: string;
  inFlight: InFlight;
  now: () => number;
  clientDir: string | null;
  mailOutbox: LocalMailbox | null;
  ready: () => Promise<boolean>;
  /** Prometheus metrics at /metrics; `token` (METRICS_TOKEN) lets non-loopback callers in. */
  metrics?: { metrics: Metrics; token: string | null } | null;
  /** Null without a gateway (PAYMENT_GATEWAY=none): the webhook answers 404. */
  payments: Payments | null;
  /** The gateway's own pages (pay page, drive routes), mounted before the API's 404 and the client's pages. */
  gatewayRoutes: RequestHandler | null;
}

type Handler = (req: Request, res: Response) => Promise<unknown>;

/**
 * A ticket PDF. Chrome shows an inline PDF through an embedded viewer that the page's
 * `object-src 'none'` would block, so this response gets a policy of its own.
 */
function sendPdf(res: Response, filename: string, pdf: Buffer, disposition: 'inline' | 'attachment') {
  res
    .type('application/pdf')
    .set('content-security-policy', "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .set('content-disposition', `${disposition}; filename="${filename}"`)
    .set('cache-control', 'private, no-store')
    .send(pdf);
}
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `/metrics` for a scraper on this host, or one that shows METRICS_TOKEN; every response counted by status. */
function metricsRoute(app: express.Express, m: { metrics: Metrics; token: string | null }) {
  app.use((_req, res, next) => {
    res.on('finish', () => m.metrics.httpResponse(res.statusCode));
    next();
  });
  app.get('/metrics', async (req, res) => {
    const bearer = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    const allowed = LOOPBACK.has(req.ip ?? '') || (m.token !== null && bearer !== undefined && sameSecret(bearer, m.token));
    if (!allowed) return sendError(res, apiError('FORBIDDEN', { message: 'Metrics are for this host, or a scraper with METRICS_TOKEN.' }));
    res.type(m.metrics.contentType).send(await m.metrics.render());
  });
}

const route = (h: Handler) => (req: Request, res: Response, next: NextFunction) => h(req, res).catch(next);

export function createHttpApp(deps: HttpDeps) {
  const { auth, catalog, seats, bookings, tickets, logger, staffCan } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // 'self' covers our own ws:/wss: (CSP3); no other host is reachable from the page.
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          // Inline style attributes only (seat positions); scripts stay strictly 'self'.
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
    }),
  );
  app.use(requestLog(logger));
  app.use(originPolicy(deps.corsOrigins, new URL(deps.publicUrl).origin));
  app.get('/healthz', (_req, res) => res.json({ ok: true }));
  if (deps.metrics) metricsRoute(app, deps.metrics);
  app.use(drainGate(deps.inFlight));
  webhookRoute(app, { payments: deps.payments, route });
  app.use(express.json({ limit: '16kb' }));

  // Who is calling: one store read, and only when a token is sent (it checks the session was not ended).
  app.use(async (req, res, next) => {
    const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    res.locals.principal = m ? await auth.authenticate(m[1]!) : null;
    next();
  });
  const requireUser = (_req: Request, res: Response): Principal | null => {
    const p = res.locals.principal as Principal | null;
    if (!p) sendError(res, apiError('UNAUTHENTICATED'));
    return p;
  };

  /** Answers 429 with Retry-After when `limiter` refuses `key` for now. */
  async function limited(res: Response, limiter: Limiter | null, key: string): Promise<boolean> {
    const waitMs = (await limiter?.take(key)) ?? 0;
    if (waitMs === 0) return false;
    res.set('retry-after', String(Math.ceil(waitMs / 1000)));
    sendError(res, apiError('RATE_LIMITED', { message: `Too many attempts. Try again in ${Math.ceil(waitMs / 1000)} s.`, params: { retryAfterSeconds: Math.ceil(waitMs / 1000) } }));
    return true;
  }

  app.get(
    '/readyz',
    route(async (_req, res) => {
      const ready = await deps.ready().catch(() => false);
      if (ready) res.json({ ok: true });
      else sendError(res, apiError('UNAVAILABLE', { message: 'The store is not reachable.' }));
    }),
  );

  apiDocsRoutes(app, { publicUrl: deps.publicUrl });
  authRoutes(app, { auth, accounts: deps.accounts, limits: deps.limits, route, requireUser, limited, now: deps.now });

  app.get(
    '/api/cities',
    route(async (_req, res) => {
      const cities = await catalog.cities();
      res.json({ cities: cities.map(({ id, name, timeZone, currency }) => ({ id, name, timeZone, currency })) });
    }),
  );
  movieRoutes(app, { catalog, posters: deps.posters, route });
  posterRoutes(app, { catalog, posters: deps.posters, route, requireStaff: staffOnly(requireUser, sendError) });
  app.get(
    '/api/shows',
    route(async (req, res) => {
      const q = parse(ShowsQuery, req.query);
      if (!q.ok) return sendError(res, q.error);
      const shows = await catalog.listShows(q.value);
      if (!shows) return sendError(res, apiError('NOT_FOUND', { message: `No city called "${q.value.city}".`, reason: 'city_not_found', params: { city: q.value.city ?? '' } }));
      res.json({ shows: await deps.availability.add(shows) });
    }),
  );
  app.get(
    '/api/search',
    route(async (req, res) => {
      const q = parse(SearchQuery, req.query);
      if (!q.ok) return sendError(res, q.error);
      // Ratings are a nicety here: search still answers when they cannot be read.
      const [results, ratings] = await Promise.all([deps.search.search(q.value.q, q.value.city), deps.reviews.summaries().catch(() => null)]);
      if (!results) return sendError(res, apiError('NOT_FOUND', { message: `No city called "${q.value.city}".`, reason: 'city_not_found', params: { city: q.value.city ?? '' } }));
      const ratingOf = (id: string) => {
        const r = ratings?.get(id);
        return r && r.count > 0 && r.average !== null ? { average: r.average, count: r.count } : null;
      };
      res.json({ ...results, movies: results.movies.map((m) => ({ ...m, rating: ratingOf(m.id) })) });
    }),
  );
  const showIdParam = (req: Request, res: Response): string | null => {
    const id = parse(Id, req.params.id);
    if (!id.ok) {
      sendError(res, id.error);
      return null;
    }
    return id.value;
  };
  app.get(
    '/api/shows/:id',
    route(async (req, res) => {
      const id = showIdParam(req, res);
      if (!id) return;
      const ctx = await catalog.showContext(id);
      if (!ctx) return sendError(res, apiError('NOT_FOUND', { message: 'No such show.', reason: 'show_not_found' }));
      res.json({ show: catalog.summary(ctx), layout: ctx.screen.layout });
    }),
  );
  app.get(
    '/api/shows/:id/seats',
    route(async (req, res) => {
      const id = showIdParam(req, res);
      if (!id) return;
      send(res, await seats.seatMap(id));
    }),
  );

  app.get(
    '/api/shows/:id/quote',
    route(async (req, res) => {
      const id = showIdParam(req, res);
      if (!id) return;
      const q = parse(QuoteQuery, req.query);
      if (!q.ok) return sendError(res, q.error);
      const p = res.locals.principal as Principal | null;
      if (p) res.set('cache-control', 'private, no-store'); // their points are in it
      send(res, await seats.quote(id, q.value.seats, p ? { userId: p.id, usePoints: q.value.points ?? 0 } : undefined));
    }),
  );

  app.get(
    '/api/bookings',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (!p) return;
      const list = await bookings.listByUser(p.id);
      res.json({ bookings: list.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((b) => publicBooking(b, tickets.code)) });
    }),
  );
  app.get(
    '/api/bookings/:id',
    route(async (req, res) => {
      const booking = await bookingOf(req, res);
      if (!booking) return;
      const refund = await seats.refundPreview(booking);
      res.json({ booking: { ...publicBooking(booking, tickets.code), ...(refund ? { refundIfCancelledNow: refund } : {}) } });
    }),
  );
  app.get(
    '/api/bookings/:id/ticket.pdf',
    route(async (req, res) => {
      const booking = await bookingOf(req, res);
      if (!booking) return;
      sendPdf(res, `movie-magic-${booking.id}.pdf`, await tickets.pdf(booking), 'attachment');
    }),
  );
  // The mailed link: the signed link is the only credential, so any change to it (or its expiry) is a plain 404.
  app.get(
    '/api/tickets/:link/ticket.pdf',
    route(async (req, res) => {
      const booking = await tickets.byLink(String(req.params.link));
      if (!booking) return sendError(res, apiError('NOT_FOUND', { message: 'This ticket link is not valid (any more).' }));
      sendPdf(res, `movie-magic-${booking.id}.pdf`, await tickets.pdf(booking), 'inline');
    }),
  );
  app.post(
    '/api/bookings/:id/cancel',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (!p) return;
      const id = parse(Id, req.params.id);
      if (!id.ok) return sendError(res, id.error);
      const existing = await bookings.get(id.value);
      const canManage = !!existing && staffCan(p, existing);
      const result = await seats.cancel(p, id.value, canManage);
      if (!result.ok) return sendError(res, result.error);
      res.json({ booking: publicBooking(result.value.booking, tickets.code) });
    }),
  );
  app.post(
    '/api/tickets/verify',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (!p) return;
      if (p.role === 'customer') return sendError(res, apiError('FORBIDDEN', { message: 'Only theatre staff can check tickets.', reason: 'staff_only' }));
      const body = parse(VerifyTicketRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      res.json(await tickets.verify(body.value.code, (b) => staffCan(p, b)));
    }),
  );
  app.get(
    '/api/staff/notifications/failed',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (!p) return;
      if (p.role !== 'admin') return sendError(res, apiError('FORBIDDEN'));
      res.json({ notifications: await deps.notifications.failed() });
    }),
  );

  reviewRoutes(app, { reviews: deps.reviews, route, requireUser, limited, writeLimiter: deps.limits.reviewsPerUser ?? null });
  recommendationRoutes(app, { recommendations: deps.recommendations, route, requireUser });
  meRoutes(app, { me: deps.me, availability: deps.availability, route, requireUser });
  loyaltyRoutes(app, { loyalty: deps.loyalty, route, requireUser });
  staffRoutes(app, { staff: deps.staff, waitingRoom: deps.waitingRoom, route, requireUser, send, sendError });
  paymentRoutes(app, { payments: deps.payments, route, requireUser, bookingOf, ticketCode: tickets.code });

  /**
   * The `:id` booking if the caller owns it or is staff of its theatre; otherwise it has
   * answered 401/400/404 (404 for others' bookings: existence is not revealed) and is null.
   */
  async function bookingOf(req: Request, res: Response): Promise<BookingRecord | null> {
    const p = requireUser(req, res);
    if (!p) return null;
    const id = parse(Id, req.params.id);
    if (!id.ok) return (sendError(res, id.error), null);
    const booking = await bookings.get(id.value);
    if (!booking || (booking.userId !== p.id && !staffCan(p, booking))) return (sendError(res, apiError('NOT_FOUND')), null);
    return booking;
  }

  if (deps.mailOutbox) {
    const outbox = deps.mailOutbox;
    app.get(
      '/dev/mail',
      route(async (req, res) => {
        const mails = await outbox.list();
        if (req.accepts(['html', 'json']) === 'json') return res.json({ mails: outbox.listed(mails) });
        res.type('html').send(outbox.renderHtml(mails));
      }),
    );
    app.get(
      '/dev/mail/:id/attachments/:n',
      route(async (req, res) => {
        const n = Number(req.params.n);
        const file = Number.isInteger(n) && n >= 0 ? await outbox.attachment(String(req.params.id), n) : null;
        if (!file) return sendError(res, apiError('NOT_FOUND'));
        res.type(file.contentType).set('content-disposition', `inline; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`).send(file.content);
      }),
    );
  }

  if (deps.gatewayRoutes) app.use(deps.gatewayRoutes);
  app.use('/api', (_req, res) => sendError(res, apiError('NOT_FOUND', { message: 'No such API route.' })));

  if (deps.clientDir && existsSync(join(deps.clientDir, 'index.html'))) {
    const dir = deps.clientDir;
    app.use(express.static(dir, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!api\/|socket\.io\/|dev\/).*/, (_req, res) => res.sendFile(join(dir, 'index.html')));
  }

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.parse.failed') return sendError(res, apiError('VALIDATION', { message: 'The body is not valid JSON.' }));
    if (e?.type === 'entity.too.large') return sendError(res, apiError('VALIDATION', { message: 'The body is too large.' }));
    if (err instanceof AppError) return sendError(res, err.error);
    logger.error({ err, path: req.path }, 'request failed');
    sendError(res, apiError('INTERNAL'));
  });
  return app;
}
