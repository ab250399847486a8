/**
 * A show's seats as one process knows them: the last write per seat wins, judged by the
 * time the write was made (`at`). Changes from several processes can arrive in any
 * order, and a seat's writes are ordered by the store itself (each is conditional on the
 * one before, so it was made after it): applying them last-writer-wins converges to the
 * store's state whatever the arrival order. Expiry is judged with the clock at read time.
 */
import type { SeatStatus } from '../../protocol/index.js';

/** The stored state of a seat that is not free, or a free seat's last change. */
export interface SeatEntry {
  status: 'held' | 'booked' | 'free';
  userId?: string;
  /** Epoch ms; held seats only. */
  expiresAt?: number;
  bookingId?: string;
  /** When the write was made (epoch ms, fractions keep one process's writes apart). */
  at: number;
}

export interface SeatChangeRecord {
  seatId: string;
  entry: SeatEntry;
}

export interface Cart {
  seatIds: string[];
  expiresAt: number;
}

/** A hold ends its cart when its holder released it (before expiry) or booked it; expiry and takeover do not. */
function endsCart(hold: SeatEntry, next: SeatEntry): boolean {
  if (next.status === 'booked') return next.userId === hold.userId;
  return next.status === 'free' && next.at < (hold.expiresAt ?? 0);
}

export function statusOfEntry(entry: SeatEntry | undefined, now: number): SeatStatus {
  if (!entry || entry.status === 'free') return 'free';
  if (entry.status === 'booked') return 'booked';
  return entry.expiresAt !== undefined && entry.expiresAt > now ? 'held' : 'free';
}

export class SeatState {
  #seats = new Map<string, SeatEntry>();
  /** Held seats per user (live or expired: judged at read time). */
  #holdsOf = new Map<string, Set<string>>();
  /** Each user's latest cart as held, kept after it lapsed (swept or taken over), until released or booked. */
  #lastCart = new Map<string, Cart>();

  /** Applies a change unless the seat already has a newer one; true when it applied. */
  apply(seatId: string, entry: SeatEntry): boolean {
    const current = this.#seats.get(seatId);
    if (current && current.at > entry.at) return false;
    if (current?.status === 'held' && current.userId) {
      this.#holdsOf.get(current.userId)?.delete(seatId);
      if (endsCart(current, entry)) this.#dropFromLastCart(current.userId, seatId);
    }
    this.#seats.set(seatId, entry);
    if (entry.status === 'held' && entry.userId) {
      let mine = this.#holdsOf.get(entry.userId);
      if (!mine) this.#holdsOf.set(entry.userId, (mine = new Set()));
      mine.add(seatId);
      this.#addToLastCart(entry.userId, seatId, entry.expiresAt!);
    }
    return true;
  }

  #addToLastCart(userId: string, seatId: string, expiresAt: number) {
    const last = this.#lastCart.get(userId);
    if (last && last.expiresAt === expiresAt) {
      if (!last.seatIds.includes(seatId)) last.seatIds.push(seatId);
    } else this.#lastCart.set(userId, { seatIds: [seatId], expiresAt });
  }

  #dropFromLastCart(userId: string, seatId: string) {
    const last = this.#lastCart.get(userId);
    if (!last) return;
    last.seatIds = last.seatIds.filter((id) => id !== seatId);
    if (last.seatIds.length === 0) this.#lastCart.delete(userId);
  }

  /** The user's cart whose timer ran out (its seats expired, swept or not): what a late confirm is told. */
  lapsedCartOf(userId: string, now: number): Cart | null {
    const last = this.#lastCart.get(userId);
    return last && last.expiresAt <= now ? { seatIds: [...last.seatIds], expiresAt: last.expiresAt } : null;
  }

  entry(seatId: string): SeatEntry | undefined {
    return this.#seats.get(seatId);
  }

  status(seatId: string, now: number): SeatStatus {
    return statusOfEntry(this.#seats.get(seatId), now);
  }

  /** The user's live holds on the show: one shared timer (null when none). */
  cartOf(userId: string, now: number): Cart | null {
    const seatIds: string[] = [];
    let expiresAt = Infinity;
    for (const seatId of this.#holdsOf.get(userId) ?? []) {
      const e = this.#seats.get(seatId)!;
      if (statusOfEntry(e, now) !== 'held') continue;
      seatIds.push(seatId);
      expiresAt = Math.min(expiresAt, e.expiresAt!);
    }
    return seatIds.length ? { seatIds, expiresAt } : null;
  }

  /** How many users hold at least one live seat here: the show's active buyers (the safety net's measure). */
  activeBuyers(now: number): number {
    let n = 0;
    for (const seats of this.#holdsOf.values()) {
      for (const seatId of seats) {
        if (statusOfEntry(this.#seats.get(seatId), now) === 'held') {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /** Seats among `seatIds` held by someone else (live) or booked. */
  takenFrom(userId: string, seatIds: string[], now: number): string[] {
    return seatIds.filter((id) => {
      const e = this.#seats.get(id);
      const status = statusOfEntry(e, now);
      return status === 'booked' || (status === 'held' && e!.userId !== userId);
    });
  }

  /** Holds whose time ran out (still recorded as held): what a sweep releases. */
  expiredHolds(now: number): SeatChangeRecord[] {
    const out: SeatChangeRecord[] = [];
    for (const seats of this.#holdsOf.values()) {
      for (const seatId of seats) {
        const entry = this.#seats.get(seatId)!;
        if (entry.status === 'held' && (entry.expiresAt ?? 0) <= now) out.push({ seatId, entry });
      }
    }
    return out;
  }

  counts(now: number): { held: number; booked: number } {
    let held = 0;
    let booked = 0;
    for (const e of this.#seats.values()) {
      const s = statusOfEntry(e, now);
      if (s === 'held') held++;
      else if (s === 'booked') booked++;
    }
    return { held, booked };
  }
}
