/**
 * The waiting room's gate on the seat map: while a show's queue is on, a buyer's
 * `show:join`, `seat:hold`, `seat:hold-best` and `booking:confirm` need a valid pass (in the
 * payload, or bound to the socket by `queue:join` or an earlier event). Let through without
 * one: the theatre's own staff, and a buyer who still holds live seats on the show (their
 * pass ran out while choosing: the holds live on until the cart timer ends, as promised).
 */
import { fail, type Result } from '../../domain/result.js';
import type { Principal } from '../../services/auth.js';
import type { WaitingRoom } from '../../services/waiting-room.js';
import type { AppSocket } from './types.js';

export interface GateDeps {
  waitingRoom: WaitingRoom;
  holdsLive(userId: string, showId: string): Promise<boolean>;
  canManageShow(p: Principal, showId: string): Promise<boolean>;
}

export type QueueGate = (socket: AppSocket, user: Principal, showId: string, pass?: string) => Promise<Result<never> | null>;

export function createQueueGate(deps: GateDeps): QueueGate {
  return async (socket, user, showId, pass) => {
    if (!deps.waitingRoom.isOn(showId)) return null;
    const code = pass ?? socket.data.passes?.get(showId);
    if (code && deps.waitingRoom.check(user.id, showId, code) !== null) {
      bindPass(socket, showId, code);
      return null;
    }
    if (user.role !== 'customer' && (await deps.canManageShow(user, showId))) return null;
    if (await deps.holdsLive(user.id, showId)) return null;
    return code
      ? fail('QUEUE_REQUIRED', { message: 'That waiting-room pass is not valid for you on this show (or it has expired). Join the queue again.', reason: 'pass_invalid' })
      : fail('QUEUE_REQUIRED', { reason: 'pass_missing' });
  };
}

export function bindPass(socket: AppSocket, showId: string, pass: string) {
  (socket.data.passes ??= new Map()).set(showId, pass);
}
