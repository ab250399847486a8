/** The rooms' way out: a show's messages to the watchers connected to this process. */
import { roomOf } from '../../../protocol/index.js';
import type { Metrics, RoomPublisher } from '../../ports.js';
import type { AppServer } from './types.js';

export function createRoomPublisher(io: AppServer, metrics?: Pick<Metrics, 'broadcast'> | null): RoomPublisher {
  return {
    seatsChanged(msg, committedAt) {
      // Local only: every process sends its own watchers what the ordered feed brings it.
      io.local.to(roomOf(msg.showId)).emit('seats:changed', msg);
      metrics?.broadcast(msg.changes.length, committedAt === undefined ? null : (performance.now() - committedAt) / 1000);
    },
    hasWatchers: (showId) => (io.of('/').adapter.rooms.get(roomOf(showId))?.size ?? 0) > 0,
    watchers: (showId) => io.of('/').adapter.rooms.get(roomOf(showId))?.size ?? 0,
  };
}
