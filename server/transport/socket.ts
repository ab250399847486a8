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
  roomOf,
  type Ack,
  type ClientToServerEvents,
  type SeatChange,
  type ServerToClientEvents,
} from '../../protocol/index.js';
import type { SeatRecord } from '../domain/holds.js';
import { AppError, type Result } from '../domain/result.js';
import type { Clock, VersionCounter } from '../ports.js';
import type { RateLimiter } from '../domain/rate-limit.js';
import type { Auth, Principal } from '../services/auth.js';
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

export function attachSocketHandlers(
  io: AppServer,
  deps: { auth: Auth; seats: SeatService; logger: Logger; seatEventLimiter?: RateLimiter | null; clock?: Clock },
) {
  const { auth, seats, logger } = deps;

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (token === undefined || token === null || token === '') {
      socket.data.user = null;
      return next();
    }
    const user = typeof token === 'string' ? auth.verify(token) : null;
    if (!user) return next(new Error('UNAUTHENTICATED'));
    socket.data.user = user;
    next();
  });

  io.on('connection', (socket: AppSocket) => {
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
        try {
          // A token that expired after the connection was made is not trusted any longer.
          if (socket.data.user?.expiresAt !== undefined && socket.data.user.expiresAt <= (deps.clock ?? Date).now()) {
            socket.data.user = null;
            if (needsUser) return reply({ ok: false, error: apiError('UNAUTHENTICATED', { message: 'Your session has expired. Please log in again.' }) });
          }
          const user = socket.data.user;
          if (needsUser && !user) return reply({ ok: false, error: apiError('UNAUTHENTICATED') });
          const input = parse(schema, payload);
          if (!input.ok) return reply(input);
          const result = await handle(input.value, user);
          reply(result.ok ? ({ ok: true, ...result.value } as Ack<T>) : result);
        } catch (err) {
          if (err instanceof AppError) return reply({ ok: false, error: err.error });
          logger.error({ err, event }, 'socket handler failed');
          reply({ ok: false, error: apiError('INTERNAL') });
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
      return waitMs ? { ok: false, error: apiError('RATE_LIMITED', { message: `Too many seat changes. Try again in ${Math.ceil(waitMs / 1000)} s.` }) } : null;
    };
    socket.on('disconnect', () => deps.seatEventLimiter?.forget(socket.id));
    on('seat:hold', HoldRequest, true, async (req, user) => limited() ?? seats.hold(user!.id, req));
    on('seat:release', ReleaseRequest, true, async (req, user) => limited() ?? seats.release(user!.id, req));
    on('booking:confirm', ConfirmRequest, true, async (req, user) => seats.confirm(user!, req));
  });
}
