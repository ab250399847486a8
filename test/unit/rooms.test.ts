/** The show room's parts: the shared sequence rule, last-writer-wins seat state, and the room itself (stub store and feed). */
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Sequence } from '../../protocol/sequence.js';
import type { SeatsChanged } from '../../protocol/index.js';
import { createMemoryFeed } from '../../server/adapters/feed/memory-feed.js';
import { SeatState, type SeatChangeRecord, type SeatEntry } from '../../server/domain/seat-state.js';
import type { ChangeFeed, FeedMessage, SeatRecord } from '../../server/ports.js';
import { ShowRoom } from '../../server/rooms/show-room.js';

const m = (version: number) => ({ version });

describe('Sequence (one gap/resync rule for server, seat map and staff page)', () => {
  it('applies the next version, ignores old ones, and holds later ones until the gap closes', () => {
    const seq = new Sequence(3);
    expect(seq.push(m(3))).toEqual([]);
    expect(seq.push(m(4))).toEqual([m(4)]);
    expect(seq.push(m(6))).toEqual([]);
    expect(seq.hasGap).toBe(true);
    expect(seq.missing()).toEqual([5, 5]);
    expect(seq.push(m(7))).toEqual([]);
    expect(seq.push(m(5))).toEqual([m(5), m(6), m(7)]);
    expect(seq.hasGap).toBe(false);
    expect(seq.version).toBe(7);
  });
  it('reset to a snapshot keeps the later waiting messages that now follow it', () => {
    const seq = new Sequence(1);
    seq.push(m(4));
    seq.push(m(9));
    expect(seq.reset(3)).toEqual([m(4)]);
    expect(seq.missing()).toEqual([5, 8]);
  });
  it('whatever the arrival order, releases every version once and in order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(Array.from({ length: 30 }, (_, i) => i + 1), { minLength: 30, maxLength: 30 }), (order) => {
        const seq = new Sequence();
        const out = order.flatMap((v) => seq.push(m(v)).map((x) => x.version));
        expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      }),
    );
  });
});

const held = (userId: string, at: number, expiresAt = 10_000): SeatEntry => ({ status: 'held', userId, expiresAt, at });
const free = (at: number): SeatEntry => ({ status: 'free', at });

describe('SeatState', () => {
  it('keeps the newest write per seat whatever the arrival order (last writer wins)', () => {
    // Each seat's writes in store order (each made after the one before), delivered in any order.
    const writes = fc.array(fc.constantFrom<'hold' | 'free' | 'book'>('hold', 'free', 'book'), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(writes, { minLength: 1, maxLength: 6 }), fc.integer(), (perSeat, seed) => {
        const changes: SeatChangeRecord[] = [];
        perSeat.forEach((ops, s) =>
          ops.forEach((op, i) => {
            const at = 1000 + i * 7 + s * 0.001;
            const entry: SeatEntry = op === 'free' ? free(at) : op === 'book' ? { status: 'booked', userId: 'u', bookingId: 'b', at } : held(`u${i}`, at);
            changes.push({ seatId: `A${s + 1}`, entry });
          }),
        );
        const shuffled = [...changes].sort((a, b) => ((a.entry.at * 7919 + seed) % 13) - ((b.entry.at * 7919 + seed) % 13));
        const state = new SeatState();
        for (const c of shuffled) state.apply(c.seatId, c.entry);
        perSeat.forEach((_, s) => {
          const last = changes.filter((c) => c.seatId === `A${s + 1}`).at(-1)!;
          expect(state.entry(`A${s + 1}`)).toEqual(last.entry);
        });
      }),
    );
  });
  it('derives a user\'s cart from their live holds; expired holds are free; others\' holds and bookings are taken', () => {
    const state = new SeatState();
    state.apply('A1', held('u1', 1, 5000));
    state.apply('A2', held('u1', 2, 5000));
    state.apply('B1', held('u2', 3, 5000));
    state.apply('C1', { status: 'booked', userId: 'u3', bookingId: 'b', at: 4 });
    expect(state.cartOf('u1', 4999)).toEqual({ seatIds: ['A1', 'A2'], expiresAt: 5000 });
    expect(state.cartOf('u1', 5000)).toBeNull();
    expect(state.takenFrom('u1', ['A1', 'B1', 'C1', 'D1'], 4000)).toEqual(['B1', 'C1']);
    expect(state.takenFrom('u1', ['B1'], 5000)).toEqual([]);
    state.apply('A1', free(6));
    expect(state.cartOf('u1', 10)?.seatIds).toEqual(['A2']);
    expect(state.counts(10)).toEqual({ held: 2, booked: 1 });
  });
});

function roomWith(opts: { records?: SeatRecord[]; feed?: ChangeFeed; watchers?: number } = {}) {
  const feed = opts.feed ?? createMemoryFeed();
  const sent: SeatsChanged[] = [];
  let reads = 0;
  const store = {
    seats: async () => (reads++, opts.records ?? []),
    seat: async () => null,
  };
  const clock = { now: () => 1000 };
  const room = new ShowRoom('s', { store, feed, publisher: { seatsChanged: (x) => sent.push(x), hasWatchers: () => true, watchers: () => opts.watchers ?? 1 }, clock, logger: pino({ level: 'silent' }), gapWaitMs: 10 });
  feed.subscribe((msg) => msg.showId === 's' && room.receive(msg));
  return { room, feed, sent, reads: () => reads };
}
const msg = (version: number, seatId: string, entry: SeatEntry): FeedMessage => ({ showId: 's', version, changes: [{ seatId, entry }] });

describe('ShowRoom', () => {
  it('with few watchers, changes 20 ms apart go out as two messages; with 2,000 watchers the window grows and they go as one', async () => {
    for (const [watchers, messages] of [[1, 2], [2000, 1]] as const) {
      const { room, sent } = roomWith({ watchers });
      await room.ready();
      const a = room.commit([{ seatId: 'A1', entry: held('u1', 1) }]);
      await new Promise((r) => setTimeout(r, 20));
      const b = room.commit([{ seatId: 'A2', entry: held('u2', 2) }]);
      await Promise.all([a, b]);
      expect(sent.length, `${watchers} watchers`).toBe(messages);
    }
  });

  it('loads the store as of the feed version, then applies and sends every later message in version order', async () => {
    const { room, sent } = roomWith({ records: [{ showId: 's', seatId: 'A1', status: 'booked', userId: 'u', bookingId: 'b', at: 5 }] });
    await room.ready();
    expect(room.state.status('A1', 1000)).toBe('booked');
    room.receive(msg(2, 'B1', held('u2', 20)));
    room.receive(msg(1, 'B2', held('u1', 10)));
    expect(sent.map((x) => x.version)).toEqual([1, 2]);
    expect(sent[1]!.changes).toEqual([{ seatId: 'B1', status: 'held' }]);
  });

  it('sends the seat as it stands: a late, older change in a newer message does not undo a newer one', async () => {
    const { room, sent } = roomWith();
    await room.ready();
    room.receive(msg(1, 'A1', held('u1', 20)));
    room.receive(msg(2, 'A1', free(10))); // versioned later, written earlier
    expect(sent.at(-1)!.changes).toEqual([{ seatId: 'A1', status: 'held' }]);
  });

  it('replays a missing version from the feed; reloads from the store when the feed no longer has it', async () => {
    const kept = new Map<number, FeedMessage>([[2, msg(2, 'C2', held('u', 2))]]);
    const feed: ChangeFeed = { ...createMemoryFeed(), replay: async (_s, from, to) => [...kept.values()].filter((x) => x.version >= from && x.version <= to), current: async () => 0 };
    const { room, sent, reads } = roomWith({ feed });
    await room.ready();
    room.receive(msg(1, 'C1', held('u', 1)));
    room.receive(msg(3, 'C3', held('u', 3)));
    await new Promise((r) => setTimeout(r, 40));
    expect(sent.map((x) => x.version)).toEqual([1, 2, 3]);
    room.receive(msg(6, 'C6', held('u', 6))); // 4 and 5 are gone
    await new Promise((r) => setTimeout(r, 60));
    expect(reads()).toBe(2);
  });

  it('batches this process\'s changes into one message and resolves each commit after it was sent', async () => {
    const { room, sent } = roomWith();
    await room.ready();
    const a = room.commit([{ seatId: 'A1', entry: held('u1', 1) }]);
    const b = room.commit([{ seatId: 'A2', entry: held('u2', 2) }]);
    expect(room.state.status('A1', 1000)).toBe('held'); // known here at once
    await Promise.all([a, b]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual({ showId: 's', version: 1, changes: [{ seatId: 'A1', status: 'held' }, { seatId: 'A2', status: 'held' }] });
  });
});
