/**
 * Every show room of this process: opened on first use, fed by the ordered change feed,
 * closed when nobody here has watched or changed the show for a while.
 */
import type { SeatChangeRecord } from '../domain/seat-state.js';
import { ShowRoom, type RoomDeps } from './show-room.js';

const IDLE_MS = 10 * 60_000;

export function createRooms(deps: RoomDeps) {
  const rooms = new Map<string, ShowRoom>();
  deps.feed.subscribe((m) => rooms.get(m.showId)?.receive(m));
  deps.feed.onReset(() => {
    for (const room of rooms.values()) void room.reload().catch((err) => deps.logger.error({ err, showId: room.showId }, 'room reload failed'));
  });

  function room(showId: string): ShowRoom {
    let r = rooms.get(showId);
    if (!r) rooms.set(showId, (r = new ShowRoom(showId, deps)));
    return r;
  }

  const idleTimer = setInterval(() => {
    const now = deps.clock.now();
    for (const [showId, r] of rooms) {
      if (now - r.lastUsed > IDLE_MS && !r.busy && !deps.publisher.hasWatchers(showId)) {
        r.close();
        rooms.delete(showId);
      }
    }
  }, 60_000);
  idleTimer.unref();

  return {
    /** The show's room, ready to read. */
    async open(showId: string): Promise<ShowRoom> {
      const r = room(showId);
      await r.ready();
      return r;
    },
    /**
     * Seats changed in the store here (sweeper, cancellations): through the show's room if this
     * process has one, else straight to the feed for the processes that do.
     */
    async changed(showId: string, changes: SeatChangeRecord[]): Promise<void> {
      if (changes.length === 0) return;
      const r = rooms.get(showId);
      if (r) return r.commit(changes);
      await deps.feed.append(showId, changes);
    },
    /** The show's room if this process has one ready to read; never opens one. */
    peek(showId: string): ShowRoom | undefined {
      const r = rooms.get(showId);
      return r?.loaded ? r : undefined;
    },
    get size() {
      return rooms.size;
    },
    /** The rooms open here (the sweeper's rounds). */
    all: () => [...rooms.values()],
    close() {
      clearInterval(idleTimer);
      for (const r of rooms.values()) r.close();
      rooms.clear();
    },
  };
}
export type Rooms = ReturnType<typeof createRooms>;
