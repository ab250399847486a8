/**
 * One show's live seats in this process: the unit of real-time state. The room owns the
 * seat state, its version, the batching of this process's changes into one message and the
 * fan-out to the watchers connected here. Changes reach it from the ordered feed (every
 * process's, its own included) and are applied in version order; a gap waits briefly, is
 * replayed from the feed, and as a last resort the room reloads from the store (clients then
 * see a version jump and resync).
 */
import type { Logger } from 'pino';
import { Sequence } from '../../protocol/sequence.js';
import type { SeatChange } from '../../protocol/index.js';
import { SeatState, type SeatChangeRecord, type SeatEntry } from '../domain/seat-state.js';
import type { ChangeFeed, Clock, FeedMessage, RoomPublisher, SeatRecord, SeatStore } from '../ports.js';

export interface RoomDeps {
  store: Pick<SeatStore, 'seats' | 'seat'>;
  feed: ChangeFeed;
  publisher: RoomPublisher;
  clock: Clock;
  logger: Logger;
  /**
   * Changes made here within this long go out as one message (default 5 ms). With many watchers
   * the window grows (1 ms per 40 watchers, at most 50 ms): each message costs one socket write
   * per watcher, so 2,000 watchers at 5 ms could spend the whole process writing frames.
   */
  batchMs?: number;
  /** How long a later message waits for a missing one before it is replayed (default 50 ms). */
  gapWaitMs?: number;
}

export const entryOf = (r: SeatRecord): SeatEntry => ({
  status: r.status,
  userId: r.userId,
  expiresAt: r.expiresAt,
  bookingId: r.bookingId,
  at: r.at ?? 0,
});

/** Longest an ack waits for its own message to be in order (a lost message is replayed long before). */
const OWN_MESSAGE_WAIT_MS = 3000;
const MAX_BATCH_MS = 50;
const WATCHERS_PER_BATCH_MS = 40;

export class ShowRoom {
  state = new SeatState();
  lastUsed: number;
  readonly #deps: RoomDeps;
  #seq = new Sequence<FeedMessage>();
  #loading: Promise<void> | null = null;
  #loaded = false;
  /** Messages that arrived while the room was (re)loading. */
  #early: FeedMessage[] = [];
  #batch: { changes: SeatChangeRecord[]; sent: Promise<void> } | null = null;
  /** When each batch of this process's own changes was first committed (performance.now()), for the fan-out delay. */
  #committedAt = new WeakMap<SeatChangeRecord[], number>();
  #waiters: { version: number; resolve: () => void }[] = [];
  #gapTimer: NodeJS.Timeout | null = null;
  #locks = new Map<string, Promise<unknown>>();
  /**
   * Seats a best-available request of this process is writing right now: other best-available
   * requests here choose around them instead of racing for the same set. A hint only; the
   * conditional write still decides who gets a seat.
   */
  readonly choosing = new Set<string>();

  constructor(
    readonly showId: string,
    deps: RoomDeps,
  ) {
    this.#deps = deps;
    this.lastUsed = deps.clock.now();
  }

  get version(): number {
    return this.#seq.version;
  }

  /** Holds the show's seats (read from the store and kept up to date by the feed). */
  get loaded(): boolean {
    return this.#loaded;
  }

  get busy(): boolean {
    return this.#batch !== null || this.#locks.size > 0 || this.#waiters.length > 0 || this.#loading !== null;
  }

  /** Ready to read: the store's seats as of the feed's version, then every later message. */
  ready(): Promise<void> {
    this.lastUsed = this.#deps.clock.now();
    if (this.#loaded) return Promise.resolve();
    return (this.#loading ??= this.#load());
  }

  async #load(): Promise<void> {
    try {
      // Version first, then seats: every change after this version arrives as a later message.
      const version = await this.#deps.feed.current(this.showId);
      const records = await this.#deps.store.seats(this.showId);
      const state = new SeatState();
      for (const r of records) state.apply(r.seatId, entryOf(r));
      this.state = state;
      this.#loaded = true;
      const early = this.#early;
      this.#early = [];
      this.#release(this.#seq.reset(version));
      for (const m of early) this.receive(m);
      this.#wakeWaiters();
    } finally {
      this.#loading = null;
    }
  }

  /** Drops what the room knows and reads the store again (a gap that did not close, a feed reset). */
  reload(): Promise<void> {
    this.#loaded = false;
    return this.ready();
  }

  /** A message from the feed (another process's, or this one's own). */
  receive(m: FeedMessage): void {
    if (!this.#loaded) {
      this.#early.push(m);
      return;
    }
    this.#release(this.#seq.push(m));
    this.#watchGap();
  }

  #release(ready: FeedMessage[]) {
    for (const m of ready) this.#applyAndSend(m);
    if (ready.length) this.#wakeWaiters();
  }

  #applyAndSend(m: FeedMessage) {
    const now = this.#deps.clock.now();
    const changes: SeatChange[] = [];
    for (const c of m.changes) {
      this.state.apply(c.seatId, c.entry);
      // The seat as it now stands here (a late, older change does not undo a newer one).
      changes.push({ seatId: c.seatId, status: this.state.status(c.seatId, now) });
    }
    // The feed hands this process's own message back with the same changes array (the memory feed), or this
    // process applies its copy first (Redis): either way the delay from the commit is known; others' are not.
    this.#deps.publisher.seatsChanged({ showId: this.showId, version: m.version, changes }, this.#committedAt.get(m.changes));
  }

  #watchGap() {
    if (!this.#seq.hasGap || this.#gapTimer) return;
    this.#gapTimer = setTimeout(() => {
      this.#gapTimer = null;
      void this.#fillGap();
    }, this.#deps.gapWaitMs ?? 50);
    this.#gapTimer.unref?.();
  }

  async #fillGap() {
    const missing = this.#seq.missing();
    if (!missing) return;
    try {
      const found = await this.#deps.feed.replay(this.showId, missing[0], missing[1]);
      for (const m of found) this.receive(m);
    } catch (err) {
      this.#deps.logger.warn({ err, showId: this.showId }, 'feed replay failed');
    }
    if (this.#seq.missing()?.[0] === missing[0]) {
      this.#deps.logger.warn({ showId: this.showId, missing }, 'changes missing from the feed: reloading the show from the store');
      await this.reload().catch((err) => this.#deps.logger.error({ err, showId: this.showId }, 'room reload failed'));
    } else this.#watchGap();
  }

  /**
   * This process changed seats in the store: the room knows at once, and the change goes out
   * with the next message. Resolves once that message went to this process's watchers, so
   * an ack sent after it follows the broadcast.
   */
  commit(changes: SeatChangeRecord[]): Promise<void> {
    if (changes.length === 0) return Promise.resolve();
    this.lastUsed = this.#deps.clock.now();
    for (const c of changes) this.state.apply(c.seatId, c.entry);
    if (!this.#batch) {
      const batch = { changes: [] as SeatChangeRecord[], sent: Promise.resolve() };
      this.#committedAt.set(batch.changes, performance.now());
      batch.sent = new Promise<void>((r) => setTimeout(r, this.#batchWindow())).then(() => this.#send(batch.changes));
      this.#batch = batch;
    }
    this.#batch.changes.push(...changes);
    return this.#batch.sent;
  }

  #batchWindow(): number {
    const base = this.#deps.batchMs ?? 5;
    const watchers = this.#deps.publisher.watchers?.(this.showId) ?? 0;
    return Math.max(base, Math.min(MAX_BATCH_MS, watchers / WATCHERS_PER_BATCH_MS));
  }

  async #send(changes: SeatChangeRecord[]) {
    this.#batch = null;
    const version = await this.#deps.feed.append(this.showId, changes);
    this.receive({ showId: this.showId, version, changes });
    if (!this.#loaded || this.#seq.version < version) await this.#inOrder(version);
  }

  #inOrder(version: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiter = { version, resolve };
      this.#waiters.push(waiter);
      setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve();
      }, OWN_MESSAGE_WAIT_MS).unref?.();
    });
  }

  #wakeWaiters() {
    const done = this.#waiters.filter((w) => this.#loaded && w.version <= this.#seq.version);
    if (done.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => !done.includes(w));
    for (const w of done) w.resolve();
  }

  /** Runs `fn` with no other call for the same user on this show in this process (their cart is one timer). */
  exclusive<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.#locks.get(userId) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#locks.set(userId, tail);
    void tail.then(() => this.#locks.get(userId) === tail && this.#locks.delete(userId));
    return run;
  }

  /**
   * A write found seats taken that the room thinks free. Usually another process's change is
   * a few milliseconds away; if it has not come within a second, the feed never carried it (a
   * process crashed between its write and its message): read the seats and tell everyone.
   */
  suspect(seatIds: string[], afterMs = 1000): void {
    setTimeout(() => {
      this.#repair(seatIds).catch((err) => this.#deps.logger.warn({ err, showId: this.showId }, 'seat repair failed'));
    }, afterMs).unref?.();
  }

  async #repair(seatIds: string[]): Promise<void> {
    const now = this.#deps.clock.now();
    const stale = seatIds.filter((id) => this.state.status(id, now) === 'free');
    const found = await Promise.all(stale.map((id) => this.#deps.store.seat(this.showId, id)));
    const changes = found
      .filter((r): r is SeatRecord => !!r && r.status !== 'free' && this.state.status(r.seatId, now) === 'free')
      .map((r) => ({ seatId: r.seatId, entry: entryOf(r) }));
    if (changes.length) this.#deps.logger.warn({ showId: this.showId, seats: changes.map((c) => c.seatId) }, 'repaired seats the feed never announced');
    await this.commit(changes);
  }

  close() {
    if (this.#gapTimer) clearTimeout(this.#gapTimer);
    this.#gapTimer = null;
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
  }
}
