/**
 * Live state of one show's seats: a snapshot from show:join, then versioned
 * seats:changed diffs. A gap in versions (or a reconnect) triggers a resync.
 */
import type { ApiError } from '../../../protocol/errors.js';
import type { CartChanged, HoldBestResult, HoldResult, ReleaseResult, Seat, SeatMap, SeatsChanged, SeatStatus, Snapshot } from '../../../protocol/schemas.js';
import type { Booking } from '../../../protocol/schemas.js';
import { Sequence } from '../../../protocol/sequence.js';
import type { SeatSource, SeatView } from './seat-board.js';
import { emit, getSocket, onIdentityChange, type AppSocket } from './socket.js';
import { clearPass, readPass, type StoredPass } from './waiting-room.js';

export type { SeatView };

export class ShowState implements SeatSource {
  readonly showId: string;
  /** Static seat facts, in layout order. */
  seats = $state.raw<Seat[]>([]);
  /**
   * Live status per seat index (server view; our own holds read 'held'). Deliberately
   * not reactive: the seat board is told which seats changed (see subscribe).
   */
  status: SeatStatus[] = [];
  /** Seats this user holds, including ones whose hold request is in flight. */
  #mine = $state<string[]>([]);
  #pending = $state<string[]>([]);
  private listeners = new Set<(changed: number[] | 'all') => void>();
  expiresAt = $state<number | null>(null);
  categories = $state.raw<SeatMap['categories']>([]);
  currency = $state<SeatMap['currency']>('INR');
  loading = $state(true);
  connected = $state(true);
  error = $state<ApiError | null>(null);
  /** The last problem to show the user (seat taken, limit...). */
  notice = $state<ApiError | null>(null);
  /** The hold ran out and the server released the seats (cleared by the next hold). */
  timedOut = $state(false);
  /** The show's waiting room stands between this user and the seat map (no valid pass). */
  inQueue = $state(false);

  /** The one gap/resync rule (protocol/sequence.ts): a missed message means a rejoin. */
  private sequence = new Sequence<SeatsChanged>();
  private index = new Map<string, number>();
  private joining: Promise<void> | null = null;
  private queued: SeatsChanged[] = [];
  private socket: AppSocket;
  private off: (() => void)[] = [];

  constructor(showId: string, socket: AppSocket = getSocket()) {
    this.showId = showId;
    this.socket = socket;
    const onChanged = (m: SeatsChanged) => this.receive(m);
    const onCart = (c: CartChanged) => this.cartChanged(c);
    const onConnect = () => {
      this.connected = true;
      void this.join(); // reconnect: the room is gone, rejoin for a fresh snapshot
    };
    const onDisconnect = () => (this.connected = false);
    // A closing tab cannot tell a reload from leaving: the server waits briefly for the show to be opened again.
    const onPageHide = () => void emit('show:leave', { showId: this.showId, release: 'later' });
    socket.on('seats:changed', onChanged);
    socket.on('cart:changed', onCart);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    if (typeof window !== 'undefined') window.addEventListener('pagehide', onPageHide);
    this.off.push(
      () => socket.off('seats:changed', onChanged),
      () => socket.off('cart:changed', onCart),
      () => socket.off('connect', onConnect),
      () => socket.off('disconnect', onDisconnect),
      () => typeof window !== 'undefined' && window.removeEventListener('pagehide', onPageHide),
      // Logged in or out on this page: "my seats" belong to someone else now.
      onIdentityChange(() => void this.join()),
    );
  }

  get mine() {
    return this.#mine;
  }
  set mine(ids: string[]) {
    const before = this.#mine;
    this.#mine = ids;
    this.notifyIds([...before, ...ids]);
  }
  get pending() {
    return this.#pending;
  }
  set pending(ids: string[]) {
    const before = this.#pending;
    this.#pending = ids;
    this.notifyIds([...before, ...ids]);
  }

  /** The waiting-room pass for this show, while unexpired (kept for the browser session). */
  get pass(): StoredPass | null {
    return readPass(globalThis.sessionStorage, this.showId, Date.now());
  }
  /** `{pass}` for a payload when we have one: the server needs it while the show's queue is on. */
  private withPass() {
    const p = this.pass;
    return p ? { pass: p.pass } : {};
  }
  /** QUEUE_REQUIRED: the pass ran out (and no seats are held): back to the waiting room. */
  private queueRequired(error: ApiError): boolean {
    if (error.code !== 'QUEUE_REQUIRED') return false;
    clearPass(globalThis.sessionStorage, this.showId);
    this.inQueue = true;
    return true;
  }

  seatIndex(id: string) {
    return this.index.get(id);
  }

  viewOf(i: number): SeatView {
    const seat = this.seats[i];
    if (seat && this.#mine.includes(seat.id)) return 'mine';
    return this.status[i] ?? 'free';
  }

  isPending(i: number): boolean {
    const seat = this.seats[i];
    return !!seat && this.#pending.includes(seat.id);
  }

  subscribe(listener: (changed: number[] | 'all') => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private notify(changed: number[] | 'all') {
    if (changed !== 'all' && changed.length === 0) return;
    for (const l of this.listeners) l(changed);
  }

  private notifyIds(ids: string[]) {
    const indices: number[] = [];
    for (const id of new Set(ids)) {
      const i = this.index.get(id);
      if (i !== undefined) indices.push(i);
    }
    this.notify(indices);
  }

  join(): Promise<void> {
    this.joining ??= this.doJoin().finally(() => (this.joining = null));
    return this.joining;
  }

  private async doJoin() {
    this.queued = [];
    const r = await emit<{ snapshot: Snapshot }>('show:join', { showId: this.showId, ...this.withPass() });
    if (!r.ok) {
      if (!this.queueRequired(r.error)) this.error = r.error;
      this.loading = false;
      return;
    }
    this.inQueue = false;
    this.apply(r.snapshot);
    const later = this.queued;
    this.queued = [];
    for (const m of later) this.receive(m);
    this.loading = false;
  }

  /** Replaces everything with a snapshot. Exposed for tests and benchmarks. */
  apply(snapshot: Snapshot) {
    if (this.seats.length !== snapshot.seats.length || this.seats[0]?.id !== snapshot.seats[0]?.id) {
      this.seats = snapshot.seats;
      this.index = new Map(snapshot.seats.map((s, i) => [s.id, i]));
    }
    this.status = snapshot.seats.map((s) => s.status);
    this.categories = snapshot.categories;
    this.currency = snapshot.currency;
    this.sequence = new Sequence(snapshot.version);
    if (snapshot.mine) {
      this.#mine = snapshot.mine.seatIds;
      this.expiresAt = snapshot.mine.expiresAt ? Date.parse(snapshot.mine.expiresAt) : null;
    }
    this.error = null;
    this.notify('all');
  }

  receive(m: SeatsChanged) {
    if (m.showId !== this.showId) return;
    if (this.joining) {
      this.queued.push(m);
      return;
    }
    for (const next of this.sequence.push(m)) this.applyChanges(next);
    if (this.sequence.hasGap) void this.join(); // missed a message: resync
  }

  private applyChanges(m: SeatsChanged) {
    const changed: number[] = [];
    for (const c of m.changes) {
      const i = this.index.get(c.seatId);
      if (i !== undefined) {
        this.status[i] = c.status;
        changed.push(i);
      }
      // Our own seat freed elsewhere (expiry, another tab): no longer ours to hold.
      if (c.status === 'free' && this.mine.includes(c.seatId) && !this.pending.includes(c.seatId)) {
        this.mine = this.mine.filter((id) => id !== c.seatId);
        if (this.mine.length === 0) this.endTimer();
      }
    }
    this.notify(changed);
  }

  /** Our cart emptied by the server: at the end of its timer that is the hold running out. */
  private endTimer() {
    // The sweeper may beat the page's own countdown by a moment.
    if (this.expiresAt !== null && Date.now() >= this.expiresAt - 2000) this.timedOut = true;
    this.expiresAt = null;
  }

  /** Another tab of ours held, released or booked seats of this show. */
  cartChanged(c: CartChanged) {
    if (c.showId !== this.showId) return;
    this.mine = [...c.seatIds, ...this.pending.filter((id) => !c.seatIds.includes(id))];
    this.expiresAt = c.expiresAt ? Date.parse(c.expiresAt) : null;
  }

  /** Seats toggled again while their hold was in flight: released once the hold answers. */
  #toggledWhilePending = new Set<string>();

  async toggle(seatId: string) {
    if (this.pending.includes(seatId)) {
      // A quick second press must not be lost (or race the hold to the server).
      if (this.#toggledWhilePending.has(seatId)) this.#toggledWhilePending.delete(seatId);
      else this.#toggledWhilePending.add(seatId);
      return;
    }
    if (this.mine.includes(seatId)) return this.release([seatId]);
    const i = this.index.get(seatId);
    if (i === undefined) return;
    if (this.status[i] !== 'free') {
      // Say which seat, so an old message never seems to answer this tap.
      this.notice = { code: 'SEAT_TAKEN', message: '', seatIds: [seatId] };
      return;
    }
    return this.hold([seatId]);
  }

  async hold(seatIds: string[]) {
    this.notice = null;
    this.timedOut = false;
    // Optimistic: show the seats as ours at once; undo if the server says no.
    this.pending = [...this.pending, ...seatIds];
    this.mine = [...this.mine, ...seatIds.filter((id) => !this.mine.includes(id))];
    const r = await emit<HoldResult>('seat:hold', { showId: this.showId, seatIds, ...this.withPass() });
    this.pending = this.pending.filter((id) => !seatIds.includes(id));
    if (r.ok) {
      // The server's cart, plus seats whose own hold is still on its way.
      this.mine = [...r.seatIds, ...this.pending.filter((id) => !r.seatIds.includes(id))];
      this.expiresAt = Date.parse(r.expiresAt);
    } else {
      this.mine = this.mine.filter((id) => !seatIds.includes(id));
      if (!this.queueRequired(r.error)) this.notice = r.error;
      if (r.error.code === 'SEAT_TAKEN') {
        const changed: number[] = [];
        for (const id of r.error.seatIds ?? []) {
          const i = this.index.get(id);
          if (i !== undefined && this.status[i] === 'free') {
            this.status[i] = 'held';
            changed.push(i);
          }
        }
        this.notify(changed);
      }
    }
    const undo = seatIds.filter((id) => this.#toggledWhilePending.delete(id) && this.mine.includes(id));
    if (undo.length) await this.release(undo);
    return r;
  }

  /** Best available: the server picks and holds `count` seats side by side (never stranding a single). */
  async holdBest(count: number, opts: { categoryId?: string | null; accessible?: boolean } = {}) {
    this.notice = null;
    this.timedOut = false;
    const r = await emit<HoldBestResult>('seat:hold-best', {
      showId: this.showId,
      count,
      ...(opts.categoryId ? { categoryId: opts.categoryId } : {}),
      ...(opts.accessible ? { accessible: true } : {}),
      ...this.withPass(),
    });
    if (r.ok) {
      this.mine = [...r.seatIds, ...this.pending.filter((id) => !r.seatIds.includes(id))];
      this.expiresAt = Date.parse(r.expiresAt);
    } else if (!this.queueRequired(r.error)) this.notice = r.error;
    return r;
  }

  /** Swaps the held seats for `next` (a strand fix): holds what is new first, then lets go of the rest. */
  async moveTo(next: string[]) {
    const add = next.filter((id) => !this.mine.includes(id));
    const drop = this.mine.filter((id) => !next.includes(id));
    let held = add.length ? await this.hold(add) : null;
    // At the per-user limit, the seats being let go must go first.
    if (held && !held.ok && held.error.code === 'HOLD_LIMIT') {
      await this.release(drop);
      held = await this.hold(add);
      return held.ok;
    }
    if (held && !held.ok) return false;
    if (drop.length) await this.release(drop);
    return true;
  }

  async release(seatIds: string[] = this.mine) {
    if (seatIds.length === 0) return;
    const ids = [...seatIds];
    this.mine = this.mine.filter((id) => !ids.includes(id));
    this.notice = null;
    const r = await emit<ReleaseResult>('seat:release', { showId: this.showId, seatIds: ids });
    if (this.mine.length === 0) this.expiresAt = null;
    return r;
  }

  /** `usePoints`: loyalty points to pay with (the server prices and caps them). */
  async confirm(idempotencyKey: string, usePoints = 0) {
    const r = await emit<{ booking: Booking }>('booking:confirm', { showId: this.showId, idempotencyKey, ...this.withPass(), ...(usePoints > 0 ? { usePoints } : {}) });
    if (!r.ok) this.queueRequired(r.error);
    if (r.ok) {
      this.mine = [];
      this.expiresAt = null;
    }
    return r;
  }

  /** The hold ran out: the server frees the seats; stop calling them ours. */
  expire() {
    this.mine = [];
    this.expiresAt = null;
    this.timedOut = true;
  }

  /**
   * Leaves the show. `releaseHolds`: the user left for another page, so the server releases
   * their seats on this show, unless another tab of theirs still has it open.
   */
  destroy(opts: { releaseHolds: boolean }) {
    void emit('show:leave', { showId: this.showId, ...(opts.releaseHolds ? { release: 'now' } : {}) });
    for (const off of this.off) off();
    this.listeners.clear();
  }
}
