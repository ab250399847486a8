/**
 * A per-show read of the seat items, shared by every join and seat-map request
 * made while the show's broadcast version stays the same. Correct because the
 * caller reads the version *after* joining the room and the entry's version was
 * read *before* its store read: any change missing from the entry is announced
 * with a later version, which either invalidates the entry or reaches the caller
 * as a broadcast. Expiry needs no invalidation: status is computed at use time.
 * The same view lets a hold for a seat already known to be taken fail fast,
 * without a store write (the sold-out majority of a rush).
 */
import type { SeatRecord } from '../domain/holds.js';
import type { Clock, SeatStore } from '../ports.js';

interface Entry {
  version: number;
  at: number;
  records: Promise<SeatRecord[]>;
  settled?: Map<string, SeatRecord>;
  pending: Patch[];
  /** Versions that arrived before the one the entry needs next. */
  future: Map<number, Patch[] | null>;
  futureSince?: number;
}

export type Patch = { seatIds: string[]; record: Omit<SeatRecord, 'seatId'> | null };

function patchInto(seats: Map<string, SeatRecord>, patch: Patch) {
  for (const seatId of patch.seatIds) {
    if (patch.record) seats.set(seatId, { ...patch.record, seatId });
    else seats.delete(seatId);
  }
}

/** Bounds the damage of a change that was never broadcast (a crashed process). */
const MAX_AGE_MS = 2000;
const MAX_SHOWS = 500;
const MAX_OUT_OF_ORDER = 100;
const MAX_GAP_MS = 1000;

export function createSeatView(store: SeatStore, clock: Clock) {
  const entries = new Map<string, Entry>();

  function fresh(entry: Entry | undefined, version: number): entry is Entry {
    return !!entry && entry.version === version && clock.now() - entry.at < MAX_AGE_MS;
  }

  return {
    /** Seat items of a show as of `version` (read by the caller before this call). */
    read(showId: string, version: number): Promise<SeatRecord[]> {
      const hit = entries.get(showId);
      if (fresh(hit, version)) return hit.records;
      const entry: Entry = { version, at: clock.now(), records: null as unknown as Promise<SeatRecord[]>, pending: [], future: new Map() };
      entry.records = store.seats(showId).then(
        (records) => {
          const settled = new Map(records.map((r) => [r.seatId, r]));
          for (const patch of entry.pending) patchInto(settled, patch);
          entry.pending = [];
          entry.settled = settled;
          return [...settled.values()];
        },
        (err) => {
          if (entries.get(showId) === entry) entries.delete(showId);
          throw err;
        },
      );
      entries.delete(showId);
      entries.set(showId, entry);
      if (entries.size > MAX_SHOWS) entries.delete(entries.keys().next().value!);
      return entry.records;
    },

    /**
     * Applies the changes broadcast as `version` (this process's or another's, all of one
     * batch at once; null when some change in it came without its record, like the
     * sweeper's). Versions can arrive out of order from other processes: later ones wait
     * briefly for the missing one; a gap that does not close drops the view, and the
     * next read goes to the store.
     */
    apply(showId: string, version: number, patches: Patch[] | null) {
      const hit = entries.get(showId);
      // At or below the entry's version: the change was in the store before the entry's read.
      if (!hit || version <= hit.version) return;
      if (version > hit.version + 1) {
        hit.future.set(version, patches);
        hit.futureSince ??= clock.now();
        if (hit.future.size > MAX_OUT_OF_ORDER || clock.now() - hit.futureSince > MAX_GAP_MS) entries.delete(showId);
        return;
      }
      let next: Patch[] | null | undefined = patches;
      let v = version;
      while (next !== undefined) {
        if (next === null) {
          entries.delete(showId);
          return;
        }
        hit.version = v;
        // A read still in flight gets the patches when it lands: under load reads are slow,
        // and dropping them on every change would send every join to the store.
        if (!hit.settled) hit.pending.push(...next);
        else for (const patch of next) patchInto(hit.settled, patch);
        hit.future.delete(v);
        v += 1;
        next = hit.future.get(v);
      }
      if (hit.future.size === 0) hit.futureSince = undefined;
      if (hit.settled) hit.records = Promise.resolve([...hit.settled.values()]);
    },

    /** Seats among `seatIds` that a settled, current view shows held by someone else or booked. */
    knownTaken(showId: string, version: number, userId: string, seatIds: string[], now: number): string[] {
      const hit = entries.get(showId);
      if (!fresh(hit, version) || !hit.settled) return [];
      return seatIds.filter((id) => {
        const r = hit.settled!.get(id);
        if (!r) return false;
        if (r.status === 'booked') return true;
        return r.userId !== userId && r.expiresAt !== undefined && r.expiresAt > now;
      });
    },
  };
}
