/**
 * Leaving a show's seat map releases the user's holds on it, unless another socket of theirs
 * (on any process) still has the show open; a closing tab's release waits a short grace, so
 * a reload (which opens the show again) keeps the seats.
 */
import type { Logger } from 'pino';
import { roomOf } from '../../../protocol/index.js';
import type { SeatService } from '../../services/seats/index.js';
import type { Identities } from './identity.js';
import { userRoom, type AppServer, type SocketData } from './types.js';

export function createLeaving(io: AppServer, deps: { seats: SeatService; identities: Identities; logger: Logger; peers: boolean; graceMs: number }) {
  const closing = new Map<string, NodeJS.Timeout>();
  const key = (userId: string, showId: string) => `${userId}|${showId}`;

  /** Whether another socket of the user (on any process) still has the show open. */
  async function openElsewhere(userId: string, showId: string, except: string): Promise<boolean> {
    const others = (sockets: { id: string; data: SocketData }[]) => sockets.some((s) => s.id !== except && s.data.user?.id === userId);
    const here = () => others(deps.identities.localIn(userId, roomOf(showId)));
    if (!deps.peers) return here();
    const everywhere = io.in(roomOf(showId)).fetchSockets().then(others);
    const fallback = new Promise<boolean>((r) => setTimeout(() => r(here()), 1000).unref());
    return Promise.race([everywhere.catch(here), fallback]);
  }

  async function releaseNow(userId: string, showId: string, socketId: string) {
    if (await openElsewhere(userId, showId, socketId)) return;
    const result = await deps.seats.releaseAll(userId, showId);
    if (!result.ok) return deps.logger.warn({ showId, error: result.error.code }, 'release on leave failed');
    const { released, seatIds, expiresAt } = result.value;
    if (released.length) io.to(userRoom(userId)).emit('cart:changed', { showId, seatIds, expiresAt });
  }

  return {
    releaseNow,
    releaseLater(userId: string, showId: string, socketId: string) {
      clearTimeout(closing.get(key(userId, showId)));
      const timer = setTimeout(() => {
        closing.delete(key(userId, showId));
        releaseNow(userId, showId, socketId).catch((err) => deps.logger.warn({ err, showId }, 'release on leave failed'));
      }, deps.graceMs);
      timer.unref();
      closing.set(key(userId, showId), timer);
    },
    /** The show was opened again (a reload, another tab): a pending release of a closed tab is off. */
    reopened(userId: string, showId: string) {
      clearTimeout(closing.get(key(userId, showId)));
      closing.delete(key(userId, showId));
    },
    close() {
      for (const timer of closing.values()) clearTimeout(timer);
      closing.clear();
    },
  };
}
export type Leaving = ReturnType<typeof createLeaving>;
