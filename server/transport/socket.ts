/**
 * Socket.IO transport: identity from the handshake JWT, one room per show,
 * every payload validated with the protocol schemas, every event acknowledged.
 */
import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  apiError,
  ConfirmRequest,
  HoldRequest,
  JoinRequest,
  ReleaseRequest,
  RenewSessionRequest,
  roomOf,
  type Ack,
  type ApiError,
  type ClientToServerEvents,
  type SeatChange,
  type ServerToClientEvents,
} from '../../protocol/index.js';
import type { SeatRecord } from '../domain/holds.js';
import { AppError, fail, ok, type Result } from '../domain/result.js';
import type { Clock, VersionCounter } from '../ports.js';
import type { RateLimiter } from '../domain/rate-limit.js';
import type { Auth, Principal, SessionsEnded } from '../services/auth.js';
import type { InFlight } from './in-flight.js';
import type { SeatService } from '../services/seats.js';
import { parse } from './validate.js';

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
interface SocketData {
  user: Principal | null;
}

/**
 * Changes to one show made within a few milliseconds go out as one message with one
 * version: under a rush that divides the per-socket writes (the fan-out cost) by the
 * batch size. Each caller resolves after its batch is sent, so its ack still follows
 * the broadcast.
 */
export interface ViewPatch {
  seatIds: string[];
  record: Omit<SeatRecord, 'seatId'> | null;
}
/** The patches of one broadcast version; null when a change in it came without one (the sweeper's). */
export type BatchPatches = (showId: string, version: number, patches: ViewPatch[] | null) => void;

/**
 * Changes to one show made within a few milliseconds go out as one message with one
 * version: under a rush that divides the per-socket writes (the fan-out cost) by the
 * batch size. Each caller resolves after its batch is sent, so its ack still follows
 * the broadcast. With several processes the batch's patches also go to the other
 * servers (serverSideEmit), which keep their seat views current with them.
 */
export function createBroadcaster(io: AppServer, versions: VersionCounter, opts: { peers: boolean; batchMs?: number }) {
  const batchMs = opts.batchMs ?? 5;
  interface Batch {
    changes: SeatChange[];
    patches: ViewPatch[];
    unpatched: boolean;
    done: Promise<number>;
  }
  let onBatch: BatchPatches = () => undefined;
  const pending = new Map<string, Batch>();
  const servers = io as unknown as {
    serverSideEmit(event: string, ...args: unknown[]): void;
    on(event: string, fn: (...args: never[]) => void): void;
  };

  function flush(showId: string, batch: Batch): Promise<number> {
    return new Promise<void>((r) => setTimeout(r, batchMs)).then(async () => {
      pending.delete(showId);
      const version = await versions.next(showId);
      io.to(roomOf(showId)).emit('seats:changed', { showId, version, changes: batch.changes });
      const patches = batch.unpatched ? null : batch.patches;
      onBatch(showId, version, patches);
      if (opts.peers) servers.serverSideEmit('seats:patch', showId, version, patches);
      return version;
    });
  }

  return {
    /** Broadcasts (batched), resolving with the version the changes went out with; null: nothing sent. */
    async seatsChanged(showId: string, changes: SeatChange[], patch?: ViewPatch): Promise<number | null> {
      if (changes.length === 0) return null;
      let batch = pending.get(showId);
      if (!batch) {
        batch = { changes: [], patches: [], unpatched: false, done: null as unknown as Promise<number> };
        batch.done = flush(showId, batch);
        pending.set(showId, batch);
      }
      batch.changes.push(...changes);
      if (patch) batch.patches.push(patch);
      else batch.unpatched = true;
      return batch.done;
    },
    /** Every broadcast's patches, this process's own and (through Redis) the other processes'. */
    onPatches(handler: BatchPatches) {
      onBatch = handler;
      servers.on('seats:patch', ((showId: string, version: number, patches: ViewPatch[] | null) => handler(showId, version, patches)) as never);
    },
  };
}

export interface SocketDeps {
  auth: Auth;
  seats: SeatService;
  logger: Logger;
  clock: Clock;
  inFlight: InFlight;
  seatEventLimiter?: RateLimiter | null;
  /** Concurrent sockets one user may hold (across processes when they share Redis). */
  maxSocketsPerUser: number;
  /** Pages served from other origins that may open sockets (besides our own). */
  allowedOrigins: readonly string[];
  publicUrl: string;
  peers: boolean;
}

const userRoom = (userId: string) => `user:${userId}`;

export function attachSocketHandlers(io: AppServer, deps: SocketDeps) {
  const { auth, seats, logger, clock, inFlight } = deps;
  /** This process's sockets per signed-in user: for the cap, and to end sessions at once. */
  const local = new Map<string, Set<AppSocket>>();
  /**
   * One admission at a time per user in this process, each over only once its socket is
   * connected and counted: a burst of connections cannot slip past the cap, nor be cut
   * below it.
   */
  const admissions = new Map<string, Promise<unknown>>();
  function oneAtATime<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    const run = (admissions.get(userId) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    admissions.set(userId, tail);
    void tail.then(() => admissions.get(userId) === tail && admissions.delete(userId));
    return run;
  }
  // Socket.IO connects an admitted socket on the next tick; after this, it is counted.
  const counted = () => new Promise<void>((r) => setImmediate(r));
  const expiryTimers = new WeakMap<AppSocket, NodeJS.Timeout>();
  const servers = io as unknown as {
    serverSideEmit(event: string, ...args: unknown[]): void;
    on(event: string, fn: (...args: never[]) => void): void;
  };

  /** Sockets of this user on every process (through Redis when shared); the local count if that is slow or down. */
  async function socketsOf(userId: string): Promise<number> {
    const here = local.get(userId)?.size ?? 0;
    if (!deps.peers) return here;
    const everywhere = io.in(userRoom(userId)).fetchSockets().then((all) => all.length);
    const fallback = new Promise<number>((r) => setTimeout(() => r(here), 1000).unref());
    return Promise.race([everywhere.catch(() => here), fallback]);
  }

  function setUser(socket: AppSocket, user: Principal | null) {
    const before = socket.data.user;
    if (before && before.id !== user?.id) {
      local.get(before.id)?.delete(socket);
      if (local.get(before.id)?.size === 0) local.delete(before.id);
      void socket.leave(userRoom(before.id));
    }
    clearTimeout(expiryTimers.get(socket));
    socket.data.user = user;
    if (!user) return;
    if (!local.has(user.id)) local.set(user.id, new Set());
    local.get(user.id)!.add(socket);
    void socket.join(userRoom(user.id));
    // Tell the client when its token runs out, so it renews before it next needs it.
    const timer = setTimeout(() => socket.data.user === user && endSession(socket, 'expired'), Math.max(0, user.expiresAt - clock.now()));
    timer.unref();
    expiryTimers.set(socket, timer);
  }

  /** The socket goes on as an anonymous watcher (rooms kept) until `session:renew`. */
  function endSession(socket: AppSocket, reason: 'expired' | 'revoked') {
    setUser(socket, null);
    socket.emit('session:ended', { reason });
  }

  function onSessionsEnded(e: SessionsEnded) {
    for (const socket of [...(local.get(e.userId) ?? [])]) {
      const user = socket.data.user;
      if (!user) continue;
      const ends = 'sessionId' in e ? user.sessionId === e.sessionId : user.sessionVersion < e.beforeVersion;
      if (ends) endSession(socket, 'revoked');
    }
  }
  servers.on('sessions:ended', ((e: SessionsEnded) => onSessionsEnded(e)) as never);

  /** Null when the user may open one more socket; else why not. Call inside oneAtATime. */
  async function admit(userId: string): Promise<ApiError | null> {
    if ((await socketsOf(userId)) < deps.maxSocketsPerUser) return null;
    return apiError('RATE_LIMITED', { message: `Too many open connections for this account (at most ${deps.maxSocketsPerUser}). Close a tab or device.`, reason: 'too_many_connections', params: { max: deps.maxSocketsPerUser } });
  }

  const ownOrigin = new URL(deps.publicUrl).origin;
  const originAllowed = (origin: string | undefined, host: string | undefined) =>
    !origin || origin === ownOrigin || deps.allowedOrigins.includes(origin) || (!!host && (origin === `http://${host}` || origin === `https://${host}`));

  io.use(async (socket, next) => {
    const refuse = (error: ApiError) => next(Object.assign(new Error(error.code), { data: error }));
    try {
      if (inFlight.draining) return refuse(apiError('UNAVAILABLE', { message: 'The server is restarting. Please try again in a moment.', reason: 'restarting' }));
      // Browsers send Origin on WebSocket upgrades but apply no CORS to them: check it here.
      if (!originAllowed(socket.handshake.headers.origin, socket.handshake.headers.host)) {
        return refuse(apiError('FORBIDDEN', { message: 'Connections from this site are not allowed.' }));
      }
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      socket.data.user = null;
      if (token === undefined || token === null || token === '') return next();
      const user = typeof token === 'string' ? await auth.authenticate(token) : null;
      if (!user) return refuse(apiError('UNAUTHENTICATED'));
      await oneAtATime(user.id, async () => {
        const over = await admit(user.id);
        if (over) return refuse(over);
        socket.data.user = user;
        next();
        await counted();
      });
    } catch (err) {
      logger.error({ err }, 'socket handshake failed');
      refuse(err instanceof AppError ? err.error : apiError('INTERNAL'));
    }
  });

  io.on('connection', (socket: AppSocket) => {
    setUser(socket, socket.data.user);
    socket.on('disconnect', () => {
      setUser(socket, null);
      deps.seatEventLimiter?.forget(socket.id);
    });

    /** Registers a validated, acknowledged handler; events without an ack are ignored. */
    function on<S extends z.ZodType, T extends object>(
      event: keyof ClientToServerEvents,
      schema: S,
      needsUser: boolean,
      handle: (input: z.infer<S>, user: Principal | null) => Promise<Result<T>>,
    ) {
      (socket as unknown as Socket).on(event, async (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') {
          logger.warn({ event, socket: socket.id }, 'event without ack callback ignored');
          return;
        }
        const reply = ack as (a: Ack<T>) => void;
        if (inFlight.draining) return reply({ ok: false, error: apiError('UNAVAILABLE', { message: 'The server is restarting. Please try again in a moment.', reason: 'restarting' }) });
        const done = inFlight.enter();
        try {
          // A token that ran out since it was checked is not trusted any longer (the timer may not have fired yet).
          if (socket.data.user && socket.data.user.expiresAt <= clock.now()) endSession(socket, 'expired');
          const user = socket.data.user;
          if (needsUser && !user) {
            return reply({ ok: false, error: apiError('UNAUTHENTICATED', { message: 'Your session has expired or ended. Please log in again.', reason: 'session_ended' }) });
          }
          const input = parse(schema, payload);
          if (!input.ok) return reply(input);
          const result = await handle(input.value, user);
          reply(result.ok ? ({ ok: true, ...result.value } as Ack<T>) : result);
        } catch (err) {
          if (err instanceof AppError) return reply({ ok: false, error: err.error });
          logger.error({ err, event, socket: socket.id }, 'socket handler failed');
          reply({ ok: false, error: apiError('INTERNAL') });
        } finally {
          done();
        }
      });
    }

    on('show:join', JoinRequest, false, async ({ showId }, user) => {
      // Join before reading: a change made meanwhile reaches us as a later version.
      await socket.join(roomOf(showId));
      const snapshot = await seats.snapshot(showId, user?.id ?? null);
      if (!snapshot.ok) {
        await socket.leave(roomOf(showId));
        return snapshot;
      }
      return { ok: true, value: { snapshot: snapshot.value } };
    });
    on('show:leave', JoinRequest, false, async ({ showId }) => {
      await socket.leave(roomOf(showId));
      return { ok: true, value: {} };
    });
    // One bucket per socket: a client spamming holds is slowed, everyone else is not.
    const limited = (): Result<never> | null => {
      const waitMs = deps.seatEventLimiter?.take(socket.id) ?? 0;
      return waitMs ? { ok: false, error: apiError('RATE_LIMITED', { message: `Too many requests. Try again in ${Math.ceil(waitMs / 1000)} s.`, params: { retryAfterSeconds: Math.ceil(waitMs / 1000) } }) } : null;
    };
    on('seat:hold', HoldRequest, true, async (req, user) => limited() ?? seats.hold(user!.id, req));
    on('seat:release', ReleaseRequest, true, async (req, user) => limited() ?? seats.release(user!.id, req));
    on('booking:confirm', ConfirmRequest, true, async (req, user) => {
      if (!(await auth.mayConfirm(user!))) return fail('EMAIL_NOT_VERIFIED');
      return seats.confirm(user!, req);
    });
    on('session:renew', RenewSessionRequest, false, async ({ token }) => {
      const slow = limited();
      if (slow) return slow;
      const user = await auth.authenticate(token);
      if (!user) return fail('UNAUTHENTICATED', { message: 'That sign-in is no longer valid. Please log in again.', reason: 'session_ended' });
      if (user.id !== socket.data.user?.id) {
        const over = await oneAtATime(user.id, async () => {
          const refused = await admit(user.id);
          if (!refused) setUser(socket, user);
          return refused;
        });
        if (over) return { ok: false, error: over };
      } else setUser(socket, user);
      return ok({ expiresAt: new Date(user.expiresAt).toISOString() });
    });
  });

  return {
    /** Ends matching sessions' sockets here and on the other processes. */
    sessionsEnded(e: SessionsEnded) {
      onSessionsEnded(e);
      if (deps.peers) servers.serverSideEmit('sessions:ended', e);
    },
  };
}
