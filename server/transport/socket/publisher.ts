/** The rooms' way out: a show's messages to the watchers connected to this process. */
import { roomOf } from '../../../protocol/index.js';
import type { RoomPublisher } from '../../ports.js';
import type { AppServer } from './types.js';

export function createRoomPublisher(io: AppServer): RoomPublisher {
  return {
    // Local only: every process sends its own watchers what the ordered feed brings it.
    seatsChanged: (msg) => void io.local.to(roomOf(msg.showId)).emit('seats:changed', msg),
    hasWatchers: (showId) => (io.of('/').adapter.rooms.get(roomOf(showId))?.size ?? 0) > 0,
    watchers: (showId) => io.of('/').adapter.rooms.get(roomOf(showId))?.size ?? 0,
  };
}
