/**
 * Socket.IO transport: identity from the handshake JWT, one room per show, every event of
 * the protocol's table validated with its schema and acknowledged; an unknown event with an
 * ack is answered at once with a typed error.
 */
import type { Socket } from 'socket.io';
import type { Logger } from 'pino';
import { apiError, clientEvents, isClientEvent, type Ack, type ClientEvent } from '../../../protocol/index.js';
import { AppError } from '../../domain/result.js';
import type { Clock, Limiter, SocketSlots } from '../../ports.js';
import type { Auth } from '../../services/auth.js';
import type { SeatService } from '../../services/seats/index.js';
import type { InFlight } from '../in-flight.js';
import type { WaitingRoom } from '../../services/waiting-room.js';
import { createQueueGate, type GateDeps } from './queue-gate.js';
import type { Metrics } from '../../ports.js';
import { parse } from '../validate.js';
import { createHandlers, unknownEvent, type Handlers } from './handlers.js';
import { useHandshake } from './handshake.js';
import { createIdentities, type Identities } from './identity.js';
import { createLeaving } from './leave.js';
import type { AppServer, AppSocket } from './types.js';

export type { AppServer } from './types.js';
export { createRoomPublisher } from './publisher.js';

export interface SocketDeps {
  auth: Auth;
  seats: SeatService;
  logger: Logger;
  clock: Clock;
  inFlight: InFlight;
  /** Per socket: seat:hold, seat:release and session:renew. */
  seatEventLimiter?: Limiter | null;
  /** The per-user socket cap's slots (across processes when they share Redis). */
  socketSlots: SocketSlots;
  /** The cap, for the message that names it. */
  maxSocketsPerUser: number;
  /** Pages served from other origins that may open sockets (besides our own). */
  allowedOrigins: readonly string[];
  publicUrl: string;
  /** Several processes share rooms (Redis adapter). */
  peers: boolean;
  /** A closing (or reloading) tab's holds are released after this, unless the show is opened again. */
  leaveGraceMs: number;
  waitingRoom: WaitingRoom;
  metrics?: Metrics | null;
  holdsLive: GateDeps['holdsLive'];
  canManageShow: GateDeps['canManageShow'];
}

const restarting = () => apiError('UNAVAILABLE', { message: 'The server is restarting. Please try again in a moment.', reason: 'restarting' });

export function attachSocketHandlers(io: AppServer, deps: SocketDeps) {
  const { logger } = deps;
  const identities = createIdentities(io, deps);
  const leaving = createLeaving(io, { ...deps, identities, graceMs: deps.leaveGraceMs });
  const gate = createQueueGate(deps);
  const handlers = createHandlers({ ...deps, identities, leaving, gate });
  useHandshake(io, { ...deps, identities });

  io.on('connection', (socket: AppSocket) => {
    identities.setUser(socket, socket.data.user);
    socket.on('disconnect', () => {
      identities.setUser(socket, null);
      deps.waitingRoom.unwatch(socket.id);
      void deps.seatEventLimiter?.forget(socket.id);
    });
    for (const event of Object.keys(clientEvents) as ClientEvent[]) {
      (socket as unknown as Socket).on(event, (payload: unknown, ack: unknown) => void answer(socket, event, payload, ack));
    }
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args.at(-1);
      if (!isClientEvent(event) && typeof ack === 'function') (ack as (a: Ack) => void)({ ok: false, error: unknownEvent(event) });
    });
  });

  async function answer(socket: AppSocket, event: ClientEvent, payload: unknown, ack: unknown) {
    if (typeof ack !== 'function') return logger.warn({ event, socket: socket.id }, 'event without ack callback ignored');
    const answered = ack as (a: Ack<object>) => void;
    const timer = deps.metrics?.ackTimer(event);
    const reply = (a: Ack<object>) => {
      answered(a);
      if (timer) observe(event, payload, a, timer);
    };
    if (deps.inFlight.draining) return reply({ ok: false, error: restarting() });
    const done = deps.inFlight.enter();
    try {
      reply(await handle(handlers, identities, socket, event, payload));
    } catch (err) {
      if (err instanceof AppError) return reply({ ok: false, error: err.error });
      logger.error({ err, event, socket: socket.id }, 'socket handler failed');
      reply({ ok: false, error: apiError('INTERNAL') });
    } finally {
      done();
    }
  }

  /** The ack's latency by outcome, and the seats and bookings it made. */
  function observe(event: ClientEvent, payload: unknown, a: Ack<object>, timer: (outcome: string) => void) {
    timer(a.ok ? 'ok' : a.error.code);
    if (!a.ok || !deps.metrics) return;
    if (event === 'seat:hold') deps.metrics.seatsHeld((payload as { seatIds: string[] }).seatIds.length);
    if (event === 'seat:hold-best') deps.metrics.seatsHeld((a as unknown as { chosen: string[] }).chosen.length);
    if (event === 'booking:confirm') deps.metrics.booked((a as unknown as { booking: { status: string } }).booking.status);
  }

  return {
    /** Pending leave releases are dropped: their holds expire as usual. */
    close: () => leaving.close(),
    sessionsEnded: identities.sessionsEnded,
  };
}

async function handle(handlers: Handlers, identities: Identities, socket: AppSocket, event: ClientEvent, payload: unknown): Promise<Ack<object>> {
  const handler = handlers[event] as Handlers[ClientEvent];
  const user = identities.currentUser(socket);
  if (handler.needsUser && !user) {
    return { ok: false, error: apiError('UNAUTHENTICATED', { message: 'Your session has expired or ended. Please log in again.', reason: 'session_ended' }) };
  }
  const input = parse(clientEvents[event].request, payload);
  if (!input.ok) return input;
  const result = await (handler.handle as (i: unknown, c: { socket: AppSocket; user: typeof user }) => ReturnType<Handlers[ClientEvent]['handle']>)(input.value, { socket, user });
  return result.ok ? { ok: true, ...result.value } : result;
}
