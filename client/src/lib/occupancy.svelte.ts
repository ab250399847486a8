/**
 * Live occupancy of a set of shows, from the same per-show rooms moviegoers watch:
 * a snapshot at join, then versioned `seats:changed` deltas (a gap triggers a rejoin).
 */
import type { SeatsChanged, Snapshot, StaffShow } from '../../../protocol/schemas.js';
import { Sequence } from '../../../protocol/sequence.js';
import { emit, getSocket } from './socket.js';

export interface LiveShow extends StaffShow {
  changedAt: number;
  /** Booked seats over time since the page opened, for the small chart. */
  history: { at: number; booked: number }[];
}

interface Tracked {
  sequence: Sequence<SeatsChanged>;
  seats: Map<string, { status: string; price: number }>;
}

export class LiveOccupancy {
  shows = $state<LiveShow[]>([]);
  lastChangeMs = $state<number | null>(null);
  #tracked = new Map<string, Tracked>();
  #off: (() => void) | null = null;

  async watch(list: StaffShow[]) {
    this.stop();
    this.shows = list.map((s) => ({ ...s, changedAt: 0, history: [{ at: Date.now(), booked: s.occupancy.booked }] }));
    const socket = getSocket();
    const onChange = (m: SeatsChanged) => this.#apply(m);
    socket.on('seats:changed', onChange);
    const onReconnect = () => void Promise.all(this.shows.map((s) => this.#join(s.show.id)));
    socket.io.on('reconnect', onReconnect);
    this.#off = () => {
      socket.off('seats:changed', onChange);
      socket.io.off('reconnect', onReconnect);
      for (const s of this.shows) void emit('show:leave', { showId: s.show.id });
    };
    await Promise.all(this.shows.map((s) => this.#join(s.show.id)));
  }

  stop() {
    this.#off?.();
    this.#off = null;
    this.#tracked.clear();
  }

  async #join(showId: string) {
    const r = await emit<{ snapshot: Snapshot }>('show:join', { showId });
    if (!r.ok) return;
    this.#tracked.set(showId, {
      sequence: new Sequence(r.snapshot.version),
      seats: new Map(r.snapshot.seats.map((s) => [s.id, { status: s.status, price: s.price }])),
    });
    this.#recount(showId);
  }

  #apply(m: SeatsChanged) {
    const t = this.#tracked.get(m.showId);
    if (!t) return;
    const ready = t.sequence.push(m);
    if (t.sequence.hasGap) return void this.#join(m.showId);
    if (ready.length === 0) return;
    for (const c of ready.flatMap((x) => x.changes)) {
      const seat = t.seats.get(c.seatId);
      if (seat) seat.status = c.status;
    }
    this.lastChangeMs = Date.now();
    this.#recount(m.showId);
  }

  #recount(showId: string) {
    const t = this.#tracked.get(showId);
    const i = this.shows.findIndex((s) => s.show.id === showId);
    if (!t || i < 0) return;
    let booked = 0;
    let held = 0;
    let revenue = 0;
    for (const s of t.seats.values()) {
      if (s.status === 'booked') {
        booked++;
        revenue += s.price;
      } else if (s.status === 'held') held++;
    }
    const old = this.shows[i]!;
    const capacity = t.seats.size;
    const last = old.history.at(-1);
    const history = last?.booked === booked ? old.history : [...old.history, { at: Date.now(), booked }].slice(-200);
    this.shows[i] = {
      ...old,
      history,
      changedAt: Date.now(),
      occupancy: { ...old.occupancy, capacity, booked, held, free: capacity - booked - held, revenue },
    };
  }
}
