/**
 * Bookings written in groups: while transactions are in flight, the bookings that arrive
 * queue and go out together as one TransactWriteItems. A transaction's cost in DynamoDB is
 * mostly per request, so a group of k bookings costs far less than k transactions. Each
 * booking is still all-or-nothing (the group is a superset, atomic as a whole). When the
 * group is cancelled, each booking's own items say what happened to it: its item failed
 * (the idempotency key was used) or a seat failed (expired; or only its change time was later
 * than ours: again, a moment later), or it was only a bystander and goes out again.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import type { BookingRecord, ConfirmWrite, PointsWrite } from '../../ports.js';
import type { Dynamo } from './client.js';
import { withRetry } from './retry.js';

export type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

interface Pending {
  booking: BookingRecord;
  /** Loyalty points written with the booking (their items come last; see loyalty-store). */
  points: PointsWrite | null;
  now: number;
  at: number;
  resolve: (w: ConfirmWrite) => void;
  reject: (err: unknown) => void;
}

/** DynamoDB allows 100 items per transaction; stay well inside. */
const MAX_ITEMS = 60;
/** Group transactions in flight at once (measured with bench:bookings: more only queue in the store). */
const MAX_IN_FLIGHT = 4;

export function createConfirmGroups(dynamo: Dynamo, itemsOf: (b: BookingRecord, now: number, at: number, points: PointsWrite | null) => TransactItems) {
  const queue: Pending[] = [];
  let inFlight = 0;
  /**
   * Users whose points balance a group in flight writes: their next booking with points waits
   * for it (one transaction may not touch an item twice, and two at once on one item conflict).
   */
  const balancesInFlight = new Set<string>();
  const balanceOf = (p: Pending) => (p.points ? p.booking.userId : null);

  function next() {
    while (inFlight < MAX_IN_FLIGHT && queue.length > 0) {
      const group = take();
      if (group.length === 0) return; // all waiting for a balance in flight
      const balances = group.map(balanceOf).filter((u): u is string => u !== null);
      for (const u of balances) balancesInFlight.add(u);
      inFlight++;
      void write(group).finally(() => {
        inFlight--;
        for (const u of balances) balancesInFlight.delete(u);
        next();
      });
    }
  }

  /** The next group: as many queued bookings as fit, never two touching the same seat or points balance. */
  function take(): Pending[] {
    const group: Pending[] = [];
    const seats = new Set<string>();
    let items = 0;
    for (let i = 0; i < queue.length; ) {
      const p = queue[i]!;
      const n = p.booking.seats.length + 2 + (p.points ? p.points.entries.length + 1 : 0);
      const balance = balanceOf(p);
      const clash = p.booking.seats.some((s) => seats.has(`${p.booking.showId}|${s}`)) || (balance !== null && (balancesInFlight.has(balance) || seats.has(`points|${balance}`)));
      if ((group.length > 0 && items + n > MAX_ITEMS) || clash) {
        i++;
        continue;
      }
      queue.splice(i, 1);
      group.push(p);
      items += n;
      for (const s of p.booking.seats) seats.add(`${p.booking.showId}|${s}`);
      if (balance !== null) seats.add(`points|${balance}`);
    }
    return group;
  }

  async function write(group: Pending[]) {
    const parts = group.map((p) => itemsOf(p.booking, p.now, p.at, p.points));
    const ClientRequestToken = randomUUID();
    try {
      await withRetry(() => dynamo.doc.send(new TransactWriteCommand({ TransactItems: parts.flat(), ClientRequestToken })));
      for (const p of group) p.resolve({ ok: true, at: p.at });
    } catch (err) {
      const reasons = (err as { CancellationReasons?: Reason[] }).CancellationReasons;
      if (!reasons) {
        for (const p of group) p.reject(err);
        return;
      }
      let offset = 0;
      const again: Pending[] = [];
      group.forEach((p, i) => {
        const mine = reasons.slice(offset, offset + parts[i]!.length);
        offset += parts[i]!.length;
        const outcome = outcomeOf(p, mine);
        if (outcome) p.resolve(outcome);
        else again.push(p);
      });
      if (again.length === group.length) {
        for (const p of group) p.reject(err); // nothing of ours failed: not a condition, an error
        return;
      }
      queue.unshift(...again);
    }
  }

  return {
    confirm(booking: BookingRecord, now: number, at: number, points: PointsWrite | null = null): Promise<ConfirmWrite> {
      return new Promise<ConfirmWrite>((resolve, reject) => {
        queue.push({ booking, points, now, at, resolve, reject });
        next();
      });
    },
  };
}

interface Reason {
  Code?: string;
  Item?: Record<string, never>;
}

/**
 * What the cancellation reasons of one booking's items (booking, seats..., notice) say; null:
 * try again (a bystander, or a seat whose change time was later than ours: `p.at` moves past it).
 */
function outcomeOf(p: Pending, reasons: Reason[]): ConfirmWrite | null {
  if (reasons[0]?.Code === 'ConditionalCheckFailed') return { ok: false, reason: 'duplicate-key' };
  if (p.points && reasons[reasons.length - 1]?.Code === 'ConditionalCheckFailed') return { ok: false, reason: 'points' };
  const expired: string[] = [];
  let later = p.at;
  p.booking.seats.forEach((seatId, i) => {
    const r = reasons[i + 1];
    if (r?.Code !== 'ConditionalCheckFailed') return;
    const old = r.Item ? unmarshall(r.Item) : null;
    const stillHeld = old?.status === 'held' && old.userId === p.booking.userId && Number(old.expiresAt) > p.now;
    if (stillHeld && Number(old!.changedAt ?? 0) >= p.at) later = Math.max(later, Number(old!.changedAt) + 0.001);
    else expired.push(seatId);
  });
  if (expired.length > 0) return { ok: false, reason: 'expired', seatIds: expired };
  p.at = later;
  return null;
}
