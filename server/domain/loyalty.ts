/**
 * Loyalty rules (pure): points earned by a booking, how many may pay for one, what a
 * cancellation reverses and returns, and the tier from the last 12 months. Every amount is
 * an integer: points, and minor units (paise, fils) of the booking's currency.
 *
 * The store applies each event as ledger entries (one per event, keyed by kind and booking,
 * so a retry never applies it twice) plus one change to the balance that must find at least
 * `need` points there: that condition, in the same transaction as the booking, is what keeps
 * the balance from going below zero.
 */

/** One point per this many minor units of tickets paid (₹10 = 1,000 paise, AED 10 = 1,000 fils). */
export const MINOR_PER_POINT_EARNED = 1_000;
/** A point pays this many minor units (₹1, AED 1). */
export const POINT_VALUE_MINOR = 100;
/** Points pay at most this share of the tickets, in basis points (20 %). */
export const MAX_REDEEM_BPS = 2_000;
/** Points earned within the last 12 months that make each tier. */
export const TIER_THRESHOLDS = { silver: 100, gold: 500 } as const;
export const TIER_WINDOW_MS = 365 * 24 * 3_600_000;

export type Tier = 'member' | 'silver' | 'gold';

/**
 * `earn` (a booking confirmed), `redeem` (points paid for one), `return` (its points back: not
 * paid in time), `rebook` (paid late and booked again: its points pay again), `refund` (its
 * points back by the refund policy on cancellation), `reverse` (earned points taken back then).
 * One of each kind per booking at most.
 */
export type LedgerKind = 'earn' | 'redeem' | 'return' | 'rebook' | 'refund' | 'reverse';

/** What a booking carries: the points it earns once confirmed, the points it used and what they paid. */
export interface BookingPoints {
  earn: number;
  redeem: number;
  discount: number;
}

/** One event's change: its ledger entries (signed points), the balance change, and the balance it needs first. */
export interface PointsWrite {
  entries: { kind: LedgerKind; points: number }[];
  delta: number;
  need: number;
}

export interface LedgerEntry {
  kind: LedgerKind;
  bookingId: string;
  points: number;
  at: number;
}

export const pointsEarned = (ticketsPaid: number) => Math.max(0, Math.floor(ticketsPaid / MINOR_PER_POINT_EARNED));

/** The most points one booking may use: its share of the tickets, and what the user has. */
export function maxRedeemable(tickets: number, balance: number): number {
  const byShare = Math.floor((tickets * MAX_REDEEM_BPS) / 10_000 / POINT_VALUE_MINOR);
  return Math.max(0, Math.min(byShare, Math.floor(balance)));
}

/**
 * The booking's points, from the tickets' price and the points the user asked to use (never
 * an amount: the server prices the discount). Asking for more than allowed uses the most allowed.
 */
export function bookingPoints(tickets: number, requested: number, balance: number): BookingPoints {
  const redeem = Math.max(0, Math.min(Math.floor(requested), maxRedeemable(tickets, balance)));
  const discount = redeem * POINT_VALUE_MINOR;
  return { redeem, discount, earn: pointsEarned(tickets - discount) };
}

const write = (entries: PointsWrite['entries'], need = 0): PointsWrite | null => {
  const kept = entries.filter((e) => e.points !== 0);
  return kept.length ? { entries: kept, delta: kept.reduce((s, e) => s + e.points, 0), need } : null;
};

/** Confirmed at once (no gateway): the points used are paid, the points earned credited. */
export const onConfirmed = (p: BookingPoints) => write([{ kind: 'redeem', points: -p.redeem }, { kind: 'earn', points: p.earn }], p.redeem);
/** Waiting for its money: the points used are taken now (reserved), credited on capture. */
export const onPending = (p: BookingPoints) => write([{ kind: 'redeem', points: -p.redeem }], p.redeem);
/** The money came: the points earned. */
export const onPaid = (p: BookingPoints) => write([{ kind: 'earn', points: p.earn }]);
/** Not paid in time: the points used come back. */
export const onExpired = (p: BookingPoints) => write([{ kind: 'return', points: p.redeem }]);
/** Paid after it expired, its seats still free: the points pay again, and are earned. */
export const onRebooked = (p: BookingPoints) => write([{ kind: 'rebook', points: -p.redeem }, { kind: 'earn', points: p.earn }], p.redeem);

/**
 * Cancelled with `percent` refunded: the points used come back by the same percent (rounded
 * down), and the points earned are taken back, but never more than the user then has (points
 * already spent elsewhere stay spent: the balance never goes below zero).
 */
export function onCancelled(p: BookingPoints, percent: number, balance: number): PointsWrite | null {
  const returned = Math.floor((p.redeem * percent) / 100);
  const reverse = Math.max(0, Math.min(p.earn, balance + returned));
  return write([{ kind: 'refund', points: returned }, { kind: 'reverse', points: -reverse }], Math.max(0, reverse - returned));
}

/** Points earned in the 12 months before `now` (earned, less earned points taken back). */
export function pointsInWindow(entries: LedgerEntry[], now: number): number {
  const since = now - TIER_WINDOW_MS;
  return entries.filter((e) => (e.kind === 'earn' || e.kind === 'reverse') && e.at > since && e.at <= now).reduce((s, e) => s + e.points, 0);
}

export function tierOf(entries: LedgerEntry[], now: number): Tier {
  const points = pointsInWindow(entries, now);
  return points >= TIER_THRESHOLDS.gold ? 'gold' : points >= TIER_THRESHOLDS.silver ? 'silver' : 'member';
}

/** When a show opens to this buyer: a Gold member from its early-access time, when it has one. */
export function opensFor(tier: Tier, times: { opensAt?: number; earlyAccessAt?: number }): number | undefined {
  if (tier === 'gold' && times.earlyAccessAt !== undefined) return times.opensAt === undefined ? times.earlyAccessAt : Math.min(times.earlyAccessAt, times.opensAt);
  return times.opensAt;
}
