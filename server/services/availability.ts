/**
 * Free seats per show for the listings, without a store read per show per request: a show
 * whose room is open in this process is counted from the room (exact, no I/O); any other is
 * read from the store once and kept until the change feed says its seats changed (at most one
 * re-read per `minAgeMs` while a show sells fast) or `maxAgeMs` passed. Held seats are kept
 * with their expiry, so a hold that runs out stops counting without a re-read.
 */
import type { Availability, ShowSummary } from '../../protocol/index.js';
import { availabilityLevel } from '../domain/availability.js';
import { statusOfEntry } from '../domain/seat-state.js';
import type { Rooms } from '../rooms/rooms.js';
import type { ChangeFeed, Clock, SeatStore } from '../ports.js';

interface Counted {
  at: number;
  changed: boolean;
  booked: number;
  /** Expiry of each live hold when read. */
  holds: number[];
}

export interface AvailabilityDeps {
  seats: Pick<SeatStore, 'seats'>;
  rooms: Pick<Rooms, 'peek'>;
  feed: Pick<ChangeFeed, 'subscribe'>;
  clock: Clock;
  minAgeMs?: number;
  maxAgeMs?: number;
}

export function createAvailability(deps: AvailabilityDeps) {
  const minAgeMs = deps.minAgeMs ?? 2_000;
  const maxAgeMs = deps.maxAgeMs ?? 60_000;
  const counted = new Map<string, Counted>();
  const loading = new Map<string, Promise<Counted>>();
  deps.feed.subscribe((m) => {
    const c = counted.get(m.showId);
    if (c) c.changed = true;
  });

  async function read(showId: string): Promise<Counted> {
    const now = deps.clock.now();
    let booked = 0;
    const holds: number[] = [];
    for (const r of await deps.seats.seats(showId)) {
      const status = statusOfEntry(r, now);
      if (status === 'booked') booked++;
      else if (status === 'held') holds.push(r.expiresAt!);
    }
    const c = { at: now, changed: false, booked, holds };
    counted.set(showId, c);
    return c;
  }

  function stale(c: Counted, now: number): boolean {
    const age = now - c.at;
    return age < 0 || age >= maxAgeMs || (c.changed && age >= minAgeMs);
  }

  async function takenSeats(showId: string): Promise<number> {
    const now = deps.clock.now();
    const room = deps.rooms.peek(showId);
    if (room) {
      const { held, booked } = room.state.counts(now);
      return held + booked;
    }
    let c = counted.get(showId);
    if (!c || stale(c, now)) {
      let pending = loading.get(showId);
      if (!pending) {
        pending = read(showId).finally(() => loading.delete(showId));
        loading.set(showId, pending);
      }
      c = await pending;
    }
    return c.booked + c.holds.filter((expiresAt) => expiresAt > now).length;
  }

  function forget(now: number) {
    for (const [id, c] of counted) if (now - c.at > maxAgeMs * 5) counted.delete(id);
  }

  return {
    async of(showId: string, capacity: number): Promise<Availability> {
      const free = Math.max(0, capacity - (await takenSeats(showId)));
      return { level: availabilityLevel(free, capacity), free };
    },
    /** The shows with their availability now. */
    async add(shows: ShowSummary[]): Promise<ShowSummary[]> {
      forget(deps.clock.now());
      return Promise.all(shows.map(async (s) => ({ ...s, availability: await this.of(s.id, s.capacity) })));
    },
  };
}
export type AvailabilityService = ReturnType<typeof createAvailability>;
