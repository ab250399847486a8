/**
 * Fan-out as people feel it: from the moment a holder emits `seat:hold` (A's tap) to each
 * other watcher's receipt of the `seats:changed` message that carries that seat as held
 * (B's screen), per pair of processes. Nothing is clamped: every figure is a receipt time
 * minus a request time taken on the same clock (all virtual users live in one process).
 *
 * A change is named by (version, seat): a show's versions come from one source, so a
 * version means the same message on every process. The holder finds which version was
 * its own from the broadcast it gets itself (it is in the room), whether that arrives
 * before or after its ack.
 */
export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(xs: ArrayLike<number>): Percentiles {
  const s = Float64Array.from(xs).sort();
  const round = (x: number) => Math.round(x * 10) / 10;
  const at = (p: number) => (s.length ? round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!) : 0);
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: s.length ? round(s[s.length - 1]!) : 0 };
}

/** Process labels: A for the first URL, B for the second, ... */
export const processLabel = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `P${i + 1}`);

interface PendingSeat {
  requestedAt: number;
  acked: boolean;
  /** A broadcast of this seat as held seen while the request was in flight (ours if we win). */
  candidate: number | null;
}
interface Origin {
  requestedAt: number;
  visitor: number;
  proc: number;
}
interface SeatsChangedLike {
  version: number;
  changes: { seatId: string; status: string }[];
}

/** An acked hold whose broadcast never reached its holder stops waiting after this long. */
const ACKED_WAIT_MS = 30_000;

export class FanoutMeter {
  private readonly pending = new Map<number, Map<string, PendingSeat>>();
  private readonly procOf = new Map<number, number>();
  private readonly origins = new Map<string, Origin>();
  /** version -> the seats it carried as held (from its first receipt). */
  private readonly heldIn = new Map<number, string[]>();
  /** version -> flat [at, visitor, proc, at, visitor, proc, ...] of every receipt. */
  private readonly receipts = new Map<number, number[]>();
  private untraced = 0;

  /** The holder emits `seat:hold` for `seatIds` now (`at`, performance.now()). */
  requested(visitor: number, proc: number, seatIds: readonly string[], at: number): void {
    this.procOf.set(visitor, proc);
    const mine = this.pendingOf(visitor);
    for (const id of seatIds) mine.set(id, { requestedAt: at, acked: false, candidate: null });
  }

  /** The hold's ack arrived: won (`ok`) or not. */
  acked(visitor: number, seatIds: readonly string[], ok: boolean): void {
    const mine = this.pendingOf(visitor);
    for (const id of seatIds) {
      const p = mine.get(id);
      if (!p) continue;
      if (!ok) mine.delete(id);
      else if (p.candidate !== null) {
        this.trace(p.candidate, id, p.requestedAt, visitor);
        mine.delete(id);
      } else p.acked = true; // the ack came first: our broadcast is still on its way
    }
  }

  /**
   * Any socket of the run got `seats:changed` at `at`. `watcher: false`: it only traces the
   * visitor's own holds (its receipts of others' holds are not counted).
   */
  received(visitor: number, proc: number, msg: SeatsChangedLike, at: number, watcher = true): void {
    let held: string[] | null = null;
    const mine = this.pending.get(visitor);
    for (const c of msg.changes) {
      const p = mine?.get(c.seatId);
      if (c.status === 'held') {
        (held ??= []).push(c.seatId);
        if (p) {
          if (!p.acked) p.candidate = msg.version;
          else {
            if (at - p.requestedAt <= ACKED_WAIT_MS) this.trace(msg.version, c.seatId, p.requestedAt, visitor);
            else this.untraced++;
            mine!.delete(c.seatId);
          }
        }
      } else if (p) {
        if (!p.acked) p.candidate = null; // someone else's hold ended while ours was in flight
        else {
          // Our seat changed again before its held broadcast reached us: that one was missed.
          this.untraced++;
          mine!.delete(c.seatId);
        }
      }
    }
    if (!held || !watcher) return;
    if (!this.heldIn.has(msg.version)) this.heldIn.set(msg.version, held);
    let list = this.receipts.get(msg.version);
    if (!list) this.receipts.set(msg.version, (list = []));
    list.push(at, visitor, proc);
  }

  /**
   * Overall and per process pair ("A→B": held on A, seen on B); the holder's own receipt is left
   * out. `reach`: for each traced seat, how many other sockets got it.
   */
  report(): { overall: Percentiles; byPair: Record<string, Percentiles>; untracedSeats: number; reach: number[] } {
    const all: number[] = [];
    const pairs = new Map<string, number[]>();
    const reach: number[] = [];
    for (const [version, list] of this.receipts) {
      for (const seatId of this.heldIn.get(version) ?? []) {
        const o = this.origins.get(`${version}:${seatId}`);
        if (!o) continue;
        let reached = 0;
        for (let i = 0; i < list.length; i += 3) {
          if (list[i + 1] === o.visitor) continue;
          reached++;
          const ms = list[i]! - o.requestedAt;
          all.push(ms);
          const pair = `${processLabel(o.proc)}→${processLabel(list[i + 2]!)}`;
          let xs = pairs.get(pair);
          if (!xs) pairs.set(pair, (xs = []));
          xs.push(ms);
        }
        reach.push(reached);
      }
    }
    let waiting = 0;
    for (const mine of this.pending.values()) for (const p of mine.values()) if (p.acked) waiting++;
    const byPair = Object.fromEntries([...pairs.keys()].sort().map((k) => [k, percentiles(pairs.get(k)!)]));
    return { overall: percentiles(all), byPair, untracedSeats: this.untraced + waiting, reach };
  }

  private trace(version: number, seatId: string, requestedAt: number, visitor: number): void {
    this.origins.set(`${version}:${seatId}`, { requestedAt, visitor, proc: this.procOf.get(visitor) ?? 0 });
  }

  private pendingOf(visitor: number): Map<string, PendingSeat> {
    let mine = this.pending.get(visitor);
    if (!mine) this.pending.set(visitor, (mine = new Map()));
    return mine;
  }
}
