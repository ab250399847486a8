/**
 * createApp(deps, config): wires adapters, services and transports. No globals, no env.
 *
 * Payments: `config.payments.gateway` is the PaymentGateway adapter main.ts built from
 * PAYMENT_GATEWAY (config rather than deps because it decides behaviour: absent or null means
 * PAYMENT_GATEWAY=none, confirm books at once as before; set, confirm starts a payment and the
 * webhook, refund and reconciliation rounds run).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { observeDynamo, type Dynamo } from './adapters/dynamo/client.js';
import { createBookingStore } from './adapters/dynamo/booking-store.js';
import { createCatalogStore } from './adapters/dynamo/catalog-store.js';
import { createSeatStore } from './adapters/dynamo/seat-store.js';
import { createUserStore } from './adapters/dynamo/user-store.js';
import { createSessionStore } from './adapters/dynamo/session-store.js';
import type { MailOutbox } from './adapters/mail/outbox.js';
import type { ChangeFeed, Clock, LimitStore, Notifier, PaymentGateway, QueueLine } from './ports.js';
import { createPaymentStore } from './adapters/dynamo/payment-store.js';
import { createLoyaltyStore } from './adapters/dynamo/loyalty-store.js';
import { createLoyalty } from './services/loyalty.js';
import { createPayments } from './services/payments/index.js';
import { publicBooking } from './services/seats/index.js';
import { userRoom } from './transport/socket/types.js';
import { randomInt as secureRandomInt, randomUUID } from 'node:crypto';
import { createMemoryLine } from './adapters/queue/memory-line.js';
import { createWaitingRoom } from './services/waiting-room.js';
import { createReviews } from './services/reviews.js';
import { createRecommendations } from './services/recommendations.js';
import { createReviewStore } from './adapters/dynamo/review-store.js';
import { missingTables } from './adapters/dynamo/tables.js';
import { createMetrics } from './adapters/metrics.js';
import type { RandomInt } from './domain/queue.js';
import { createMemoryLimits } from './adapters/limits/index.js';
import { createAuth, type SessionsEnded } from './services/auth.js';
import { createAccounts } from './services/accounts.js';
import { createMe } from './services/me.js';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from './domain/sessions.js';
import { passwordRules } from './domain/passwords.js';
import { createInFlight } from './transport/in-flight.js';
import { createAvailability } from './services/availability.js';
import { createCatalog } from './services/catalog.js';
import { createSearch } from './services/search.js';
import { createOutboxStore } from './adapters/dynamo/outbox-store.js';
import { renderTicketPdf, renderTicketQr } from './adapters/pdf/ticket-pdf.js';
import { DEFAULT_DOOR_POLICY, type DoorPolicy } from './domain/door.js';
import { DEFAULT_REFUND_POLICY, type RefundPolicy } from './domain/refunds.js';
import { createNotifications, type NotificationPolicy } from './services/notifications.js';
import { createTickets } from './services/tickets.js';
import type { BucketPolicy } from './domain/rate-limit.js';
import { canManageTheatre, createStaff } from './services/staff.js';
import type { Principal } from './services/auth.js';
import type { BookingRecord } from './ports.js';
import { createSeatService, createWriteClock } from './services/seats/index.js';
import { bookingIdFor } from './domain/booking-ids.js';
import { createRooms } from './rooms/rooms.js';
import { createSweeper } from './services/sweeper.js';
import { createHttpApp } from './transport/http.js';
import { createPosters } from './services/posters.js';
import { createDiskPosterStore } from './adapters/posters/disk.js';
import type { PosterStore } from './ports.js';
import { attachSocketHandlers, createRoomPublisher, type AppServer } from './transport/socket/index.js';

export interface AppDeps {
  dynamo: Dynamo;
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  /** The ordered change feed of every show (memory for one process, Redis for several). */
  feed: ChangeFeed;
  /** Set with the embedded mail outbox: serves GET /dev/mail. */
  mailOutbox?: MailOutbox | null;
  /** Refused as passwords (lower-case), e.g. adapters/common-passwords.ts; read once by the caller. */
  commonPasswords: readonly string[];
  /** Installs a Socket.IO adapter (Redis) on the server. */
  configureIo?: (io: AppServer) => void | Promise<void>;
  /**
   * Where rate limits and the per-user socket cap are counted: Redis (every process together)
   * or this process's memory (the default). Rate limits count real time, not `clock`.
   */
  limitStore?: LimitStore;
  /** The waiting rooms' lines: Redis for several processes, this process's memory by default. */
  queueLine?: QueueLine;
  /** Where uploaded posters' files live (disk under DATA_DIR, or S3 with POSTER_BUCKET); default: a temporary directory. */
  posterStore?: PosterStore;
  /** Shuffles the pre-queue at opening: a secure source (node:crypto) unless a test seeds one. */
  randomInt?: RandomInt;
}

export interface AppConfig {
  holdSeconds: number;
  maxSeatsPerUser: number;
  jwtSecret: string;
  bcryptCost: number;
  /** Access token lifetime; refresh tokens and emailed links follow `sessions`. */
  accessTokenSeconds: number;
  sessions?: Partial<Omit<SessionPolicy, 'accessMs'>>;
  /** Unverified accounts may browse and hold but not confirm. */
  requireVerifiedEmail?: boolean;
  /** false on load-test rigs (LOAD_TEST=1): sign-ups start verified and no verification mail is sent. */
  verifyEmailOnSignUp?: boolean;
  publicUrl: string;
  /** Other origins whose pages may call the API and open sockets (CORS); none by default. */
  corsOrigins?: string[];
  /** Concurrent sockets per signed-in user. */
  maxSocketsPerUser?: number;
  /** How long a shutdown waits for started requests and socket events (confirms) to finish. */
  shutdownGraceMs?: number;
  /** Built client (client/dist); null serves the API only. */
  clientDir: string | null;
  /** 0 disables the background sweeper (tests drive it by hand). */
  sweepIntervalMs: number;
  /** A closing tab's holds are released this long after it said so, unless the show is opened again (default 15 s). */
  leaveGraceMs?: number;
  /** Only websocket transport (several processes without sticky sessions). */
  websocketOnly?: boolean;
  refundPolicy?: RefundPolicy;
  /** The payment gateway and the time to pay; absent or a null gateway: confirm books at once (PAYMENT_GATEWAY=none). */
  payments?: {
    gateway: PaymentGateway | null;
    windowSeconds: number;
    /** The gateway's own pages on our site (the test gateway's pay page and drive routes, Razorpay's checkout page). */
    routes?: RequestHandler | null;
    /** Refund round (every process; each refund leased); 0 disables it (tests drive settleRefunds). Default 2 s. */
    refundIntervalMs?: number;
    /** Reconciliation round (leased: one process at a time); 0 disables it. Default 30 s. */
    reconcileIntervalMs?: number;
    /** How long an expired booking is still asked about at the gateway (money after the deadline). Default 1 day. */
    lateWatchSeconds?: number;
  };
  /** Prometheus metrics at /metrics (default on); `token` is METRICS_TOKEN for non-loopback scrapers. */
  metrics?: { enabled?: boolean; token?: string | null };
  /** The waiting room: its round (0 disables it: tests call tick), the safety net (QUEUE_ACTIVE_BUYERS), how often waiters hear their position. */
  queue?: { intervalMs?: number; safetyNet?: number | null; updateEveryMs?: number };
  /** When the door lets a ticket in (default: from 60 min before the start until the show ends). */
  door?: DoorPolicy;
  /** Outbox dispatcher round; 0 disables it (tests drive dispatchOnce by hand). */
  outboxIntervalMs?: number;
  notificationPolicy?: NotificationPolicy;
  /**
   * Abuse limits as token buckets (enforced as fixed windows: see domain/rate-limit.ts);
   * `authPerIp: null` lifts the per-IP sign-up/login limit (LOAD_TEST=1).
   */
  limits?: {
    authPerIp?: BucketPolicy | null;
    loginPerAccount?: BucketPolicy;
    mailPerAccount?: BucketPolicy;
    seatEventsPerSocket?: BucketPolicy | null;
    reviewsPerUser?: BucketPolicy | null;
  };
}

export const DEFAULT_LIMITS = {
  authPerIp: { burst: 10, perSecond: 10 / 60 },
  loginPerAccount: { burst: 5, perSecond: 1 / 60 },
  mailPerAccount: { burst: 3, perSecond: 1 / 600 },
  seatEventsPerSocket: { burst: 20, perSecond: 5 },
  reviewsPerUser: { burst: 10, perSecond: 1 / 60 },
} satisfies Record<string, BucketPolicy>;

export const DEFAULT_MAX_SOCKETS_PER_USER = 8;

export function createApp(deps: AppDeps, config: AppConfig) {
  const { dynamo, clock, logger } = deps;
  const metrics = config.metrics?.enabled === false ? null : createMetrics();
  if (metrics) observeDynamo(dynamo, metrics);
  const stores = {
    catalog: createCatalogStore(dynamo),
    users: createUserStore(dynamo),
    seats: createSeatStore(dynamo),
    bookings: createBookingStore(dynamo),
    loyalty: createLoyaltyStore(dynamo),
  };
  const loyalty = createLoyalty({ store: stores.loyalty, clock });
  const catalog = createCatalog(stores.catalog, clock);
  const sessionPolicy: SessionPolicy = { ...DEFAULT_SESSION_POLICY, ...config.sessions, accessMs: config.accessTokenSeconds * 1000 };
  // Bound once the socket layer exists: it ends the sockets of ended sessions.
  let sessionsEnded: (e: SessionsEnded) => void = () => undefined;
  const auth = createAuth(
    { users: stores.users, sessions: createSessionStore(dynamo), clock, onSessionsEnded: (e) => sessionsEnded(e), queued: (id) => notifications.kick(id), logger },
    {
      jwtSecret: config.jwtSecret,
      bcryptCost: config.bcryptCost,
      sessions: sessionPolicy,
      requireVerifiedEmail: config.requireVerifiedEmail ?? false,
      verifyEmailOnSignUp: config.verifyEmailOnSignUp ?? true,
    },
  );
  const outbox = createOutboxStore(dynamo);
  const tickets = createTickets({
    bookings: stores.bookings,
    showTimes: catalog.showTimes,
    clock,
    key: config.jwtSecret,
    door: config.door ?? DEFAULT_DOOR_POLICY,
    publicUrl: config.publicUrl,
    render: { pdf: renderTicketPdf, qr: renderTicketQr },
  });
  const notifications = createNotifications({
    outbox,
    bookings: stores.bookings,
    users: stores.users,
    notifier: deps.notifier,
    tickets,
    clock,
    logger,
    publicUrl: config.publicUrl,
    links: { key: config.jwtSecret, verifyEmailMs: sessionPolicy.verifyEmailMs },
    policy: config.notificationPolicy,
    metrics,
  });
  const accounts = createAccounts({
    auth,
    users: stores.users,
    outbox,
    clock,
    codeKey: config.jwtSecret,
    sessions: sessionPolicy,
    bcryptCost: config.bcryptCost,
    passwordRules: passwordRules(deps.commonPasswords),
    queued: notifications.kick,
  });
  const inFlight = createInFlight();
  const staffCan = (p: Principal, booking: BookingRecord) => canManageTheatre(p, booking.show.theatreId ?? '');

  const httpServer: HttpServer = createServer();
  const io: AppServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    transports: config.websocketOnly ? ['websocket'] : ['polling', 'websocket'],
    connectionStateRecovery: undefined,
  });
  const rooms = createRooms({ store: stores.seats, feed: deps.feed, publisher: createRoomPublisher(io, metrics), clock, logger });
  const writeTime = createWriteClock(clock);
  const gateway = config.payments?.gateway ?? null;
  const payments = gateway
    ? createPayments({
        gateway,
        payments: createPaymentStore(dynamo),
        bookings: stores.bookings,
        seats: stores.seats,
        rooms,
        clock,
        writeTime,
        logger,
        publicUrl: config.publicUrl,
        lateWatchMs: (config.payments?.lateWatchSeconds ?? 86_400) * 1000,
        refundLeaseMs: 30_000,
        // Every tab of the owner's, on any process (the Redis adapter carries it).
        changed: (b) => {
          io.to(userRoom(b.userId)).emit('booking:changed', { booking: publicBooking(b, tickets.code) });
          if (b.payment) metrics?.paymentStatus(b.payment.status);
        },
        queued: (id) => notifications.kick(id),
        owner: randomUUID(),
        // The catalogue cache of this process may not know yet that another process cancelled the show.
        showOnSale: async (showId) => !!(await catalog.showContext(showId)) && (await stores.catalog.showStatus(showId)) === 'scheduled',
      })
    : null;
  const seats = createSeatService({
    rooms,
    seats: stores.seats,
    bookings: stores.bookings,
    loyalty: stores.loyalty,
    catalog,
    clock,
    policy: { holdMs: config.holdSeconds * 1000, maxSeatsPerUser: config.maxSeatsPerUser },
    refundPolicy: config.refundPolicy ?? DEFAULT_REFUND_POLICY,
    writeTime,
    bookingIdFor: (userId, key) => bookingIdFor(config.jwtSecret, userId, key),
    queued: notifications.kick,
    confirmed: notifications.sendClaimed,
    ticketCode: tickets.code,
    payment: payments
      ? {
          gateway: payments.gatewayName,
          windowMs: config.payments!.windowSeconds * 1000,
          openOrder: payments.openOrder,
          refundQueued: () => void payments.settleRefunds().catch((err) => logger.warn({ err }, 'refund right after cancel failed; the round retries')),
        }
      : undefined,
  });
  const staff = createStaff({ store: stores.catalog, catalog, seats: stores.seats, bookings: stores.bookings, seatService: seats, clock, endUnpaid: payments?.endUnpaid });
  const sweeper = createSweeper({ seats: stores.seats, clock, rooms: rooms.all, writeTime, logger, expireUnpaid: payments?.expireUnpaid });

  const waitingRoom = createWaitingRoom({
    line: deps.queueLine ?? createMemoryLine(),
    clock,
    logger,
    key: config.jwtSecret,
    randomInt: deps.randomInt ?? ((n) => secureRandomInt(n)),
    showStartsAt: async (showId) => (await catalog.showContext(showId))?.show.startsAt ?? null,
    activeBuyers: (showId) => rooms.peek(showId)?.state.activeBuyers(clock.now()) ?? null,
    roomShows: () => rooms.all().map((r) => r.showId),
    admitted: (userId, msg) => void io.to(userRoom(userId)).emit('queue:admitted', msg),
    safetyNet: config.queue?.safetyNet ?? null,
    tierOf: loyalty.tier,
    updateEveryMs: config.queue?.updateEveryMs,
  });

  metrics?.setSources({
    rooms: () => rooms.size,
    sockets: () => io.engine?.clientsCount ?? 0,
    waiting: () => waitingRoom.waiting(),
    queuesOn: () => waitingRoom.queuesOn(),
  });

  const recommendations = createRecommendations({ catalog, store: stores.catalog, bookings: stores.bookings, reviews: createReviewStore(dynamo), clock });
  const limitStore = deps.limitStore ?? createMemoryLimits();
  const policy = { ...DEFAULT_LIMITS, ...config.limits };
  const limiter = (name: string, p: BucketPolicy | null | undefined, opts?: { local?: boolean }) => (p ? limitStore.limiter(name, p, opts) : null);
  const http = createHttpApp({
    auth,
    accounts,
    catalog,
    availability: createAvailability({ seats: stores.seats, rooms, feed: deps.feed, clock }),
    search: createSearch({ catalog, store: stores.catalog, clock }),
    seats,
    bookings: stores.bookings,
    tickets,
    notifications,
    staffCan,
    staff,
    waitingRoom,
    reviews: createReviews({ reviews: createReviewStore(dynamo), bookings: stores.bookings, catalog, clock, logger }),
    loyalty,
    posters: createPosters({
      store: deps.posterStore ?? createDiskPosterStore(join(tmpdir(), `moviemagic-posters-${process.pid}`)),
      catalogStore: stores.catalog,
      movieChanged: () => catalog.invalidate('movies'),
    }),
    recommendations,
    me: createMe({ users: stores.users, catalog, store: stores.catalog, bookings: stores.bookings, clock }),
    limits: {
      reviewsPerUser: limiter('reviews-user', policy.reviewsPerUser),
      authPerIp: limiter('auth-ip', policy.authPerIp),
      loginPerAccount: limiter('login-account', policy.loginPerAccount)!,
      mailPerAccount: limiter('mail-account', policy.mailPerAccount)!,
    },
    logger,
    corsOrigins: config.corsOrigins ?? [],
    publicUrl: config.publicUrl,
    inFlight,
    now: clock.now,
    clientDir: config.clientDir,
    mailOutbox: deps.mailOutbox ?? null,
    payments,
    gatewayRoutes: config.payments?.routes ?? null,
    metrics: metrics ? { metrics, token: config.metrics?.token ?? null } : null,
    ready: async () => {
      const missing = await missingTables(dynamo);
      if (missing.length) logger.error({ missing }, 'readyz: tables missing');
      return missing.length === 0;
    },
  });
  httpServer.on('request', http);
  const sockets = attachSocketHandlers(io, {
    auth,
    seats,
    logger,
    clock,
    inFlight,
    // A socket's events all reach the one process it is connected to: its count is exact there.
    seatEventLimiter: limiter('seat-events', policy.seatEventsPerSocket, { local: true }),
    socketSlots: limitStore.socketSlots(config.maxSocketsPerUser ?? DEFAULT_MAX_SOCKETS_PER_USER),
    maxSocketsPerUser: config.maxSocketsPerUser ?? DEFAULT_MAX_SOCKETS_PER_USER,
    allowedOrigins: config.corsOrigins ?? [],
    publicUrl: config.publicUrl,
    peers: !!deps.configureIo,
    leaveGraceMs: config.leaveGraceMs ?? 15_000,
    waitingRoom,
    metrics,
    holdsLive: async (userId, showId) => !!(await rooms.open(showId)).state.cartOf(userId, clock.now()),
    canManageShow: async (p, showId) => (await staff.canManageShow(p, showId)) === true,
  });
  sessionsEnded = sockets.sessionsEnded;

  return {
    httpServer,
    io,
    stores: { ...stores, outbox },
    services: { auth, accounts, catalog, seats, sweeper, notifications, tickets, staff, payments, waitingRoom, recommendations },
    rooms,
    async listen(port: number, host = '0.0.0.0'): Promise<number> {
      await deps.configureIo?.(io);
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      if (config.sweepIntervalMs > 0) sweeper.start(config.sweepIntervalMs);
      if ((config.queue?.intervalMs ?? 1000) > 0) waitingRoom.start(config.queue?.intervalMs ?? 1000);
      if ((config.outboxIntervalMs ?? 1000) > 0) notifications.start(config.outboxIntervalMs ?? 1000);
      payments?.start({ refundIntervalMs: config.payments?.refundIntervalMs ?? 2000, reconcileIntervalMs: config.payments?.reconcileIntervalMs ?? 30_000 });
      return (httpServer.address() as { port: number }).port;
    },
    /**
     * Graceful stop: no new connections, requests or socket events (they get UNAVAILABLE);
     * started work, confirms above all, runs to its answer; then sockets close.
     */
    async close(): Promise<void> {
      httpServer.close();
      const graceMs = config.shutdownGraceMs ?? 10_000;
      if (!(await inFlight.drain(graceMs))) logger.warn({ running: inFlight.running, graceMs }, 'shutdown: work still running after the grace period');
      await sweeper.stop();
      await waitingRoom.stop();
      await payments?.stop();
      sockets.close();
      rooms.close();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await notifications.stop();
      await notifications.drain();
    },
  };
}
export type App = ReturnType<typeof createApp>;
