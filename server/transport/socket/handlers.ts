/**
 * What each client event does, one entry per event of the protocol's table. Payloads
 * arrive validated and the caller's identity checked (see index.ts).
 */
import type { z } from 'zod';
import { apiError, roomOf, type AckOf, type CartChanged, type ClientEvent, type clientEvents } from '../../../protocol/index.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { Limiter } from '../../ports.js';
import type { Auth, Principal } from '../../services/auth.js';
import type { SeatService } from '../../services/seats/index.js';
import type { Identities } from './identity.js';
import type { Leaving } from './leave.js';
import type { WaitingRoom } from '../../services/waiting-room.js';
import { bindPass, type QueueGate } from './queue-gate.js';
import { userRoom, type AppSocket } from './types.js';

export interface EventContext {
  socket: AppSocket;
  user: Principal | null;
}
interface Handler<E extends ClientEvent> {
  needsUser: boolean;
  handle(input: z.infer<(typeof clientEvents)[E]['request']>, ctx: EventContext): Promise<Result<AckOf<E>>>;
}
export type Handlers = { [E in ClientEvent]: Handler<E> };

export interface HandlerDeps {
  auth: Auth;
  seats: SeatService;
  identities: Identities;
  leaving: Leaving;
  seatEventLimiter?: Limiter | null;
  waitingRoom: WaitingRoom;
  gate: QueueGate;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { seats, auth, identities, leaving, waitingRoom, gate } = deps;

  // One count per socket: a client spamming holds is slowed, everyone else is not.
  const limited = async (socket: AppSocket): Promise<Result<never> | null> => {
    const waitMs = (await deps.seatEventLimiter?.take(socket.id)) ?? 0;
    return waitMs ? fail('RATE_LIMITED', { message: `Too many requests. Try again in ${Math.ceil(waitMs / 1000)} s.`, params: { retryAfterSeconds: Math.ceil(waitMs / 1000) } }) : null;
  };
  /** The user's other tabs (on any process) learn what they now hold on the show. */
  const tellOtherTabs = (socket: AppSocket, userId: string, cart: CartChanged) => socket.to(userRoom(userId)).emit('cart:changed', cart);

  return {
    'show:join': {
      needsUser: false,
      async handle({ showId, pass }, { socket, user }) {
        // Watchers need no pass; a buyer does while the show's queue is on.
        const refused = user && (await gate(socket, user, showId, pass));
        if (refused) return refused;
        // Join, then read: a change made meanwhile is in the snapshot or reaches us as a later version.
        await socket.join(roomOf(showId));
        const snapshot = await seats.snapshot(showId, user?.id ?? null);
        if (!snapshot.ok) {
          await socket.leave(roomOf(showId));
          return snapshot;
        }
        if (user) leaving.reopened(user.id, showId);
        return ok({ snapshot: snapshot.value });
      },
    },
    'show:leave': {
      needsUser: false,
      async handle({ showId, release }, { socket, user }) {
        await socket.leave(roomOf(showId));
        if (user && release === 'now') await leaving.releaseNow(user.id, showId, socket.id);
        if (user && release === 'later') leaving.releaseLater(user.id, showId, socket.id);
        return ok({});
      },
    },
    'seat:hold': {
      needsUser: true,
      async handle(req, { socket, user }) {
        const result = (await limited(socket)) ?? (await gate(socket, user!, req.showId, req.pass)) ?? (await seats.hold(user!.id, req));
        if (result.ok) tellOtherTabs(socket, user!.id, result.value);
        return result;
      },
    },
    'seat:hold-best': {
      needsUser: true,
      async handle(req, { socket, user }) {
        const result = (await limited(socket)) ?? (await gate(socket, user!, req.showId, req.pass)) ?? (await seats.holdBest(user!.id, req));
        if (result.ok) tellOtherTabs(socket, user!.id, { showId: result.value.showId, seatIds: result.value.seatIds, expiresAt: result.value.expiresAt });
        return result;
      },
    },
    'seat:release': {
      needsUser: true,
      async handle(req, { socket, user }) {
        const result = (await limited(socket)) ?? (await seats.release(user!.id, req));
        if (result.ok && result.value.released.length) tellOtherTabs(socket, user!.id, { showId: result.value.showId, seatIds: result.value.seatIds, expiresAt: result.value.expiresAt });
        return result;
      },
    },
    'booking:confirm': {
      needsUser: true,
      async handle(req, { socket, user }) {
        if (!(await auth.mayConfirm(user!))) return fail('EMAIL_NOT_VERIFIED');
        const refused = await gate(socket, user!, req.showId, req.pass);
        if (refused) return refused;
        const result = await seats.confirm(user!, req);
        if (result.ok) tellOtherTabs(socket, user!.id, { showId: req.showId, seatIds: [], expiresAt: null });
        return result;
      },
    },
    'queue:join': {
      needsUser: true,
      async handle({ showId }, { socket, user }) {
        const slow = await limited(socket);
        if (slow) return slow;
        const result = await waitingRoom.join(user!.id, showId, { socketId: socket.id, push: (m) => socket.emit('queue:update', m) });
        if (result.ok && result.value.status === 'admitted') bindPass(socket, showId, result.value.pass);
        return result;
      },
    },
    'session:renew': {
      needsUser: false,
      async handle({ token }, { socket }) {
        const slow = await limited(socket);
        if (slow) return slow;
        const user = await auth.authenticate(token);
        if (!user) return fail('UNAUTHENTICATED', { message: 'That sign-in is no longer valid. Please log in again.', reason: 'session_ended' });
        if (user.id !== socket.data.user?.id) {
          const over = await identities.admit(user.id, socket);
          if (over) return { ok: false, error: over };
        }
        identities.setUser(socket, user);
        return ok({ expiresAt: new Date(user.expiresAt).toISOString() });
      },
    },
  };
}

export const unknownEvent = (event: string) => apiError('VALIDATION', { message: `Unknown event "${event.slice(0, 40)}".` });
