/**
 * Hold rules. One expiry per (user, show), like a cart timer: set by the first
 * held seat; seats added later share it; once the cart is empty (released, expired)
 * the next hold starts a fresh timer. A hold is live while now < expiresAt.
 * The cart is not stored: it is the user's live holds on the show (see seat-state.ts).
 */
import { fail, ok, type Result } from './result.js';
import type { Cart } from './seat-state.js';

export type { Cart } from './seat-state.js';

export interface HoldPolicy {
  holdMs: number;
  maxSeatsPerUser: number;
}

export interface ShowWindow {
  startsAt: number;
  seatIds: ReadonlySet<string>;
}

/** A cart with seats whose timer is running; an emptied cart has no timer (the next hold starts a fresh one). */
export const isLive = (cart: Cart | null, now: number): cart is Cart => !!cart && cart.seatIds.length > 0 && cart.expiresAt > now;

export function checkOpen(show: ShowWindow, now: number): Result<true> {
  return now >= show.startsAt ? fail('SHOW_CLOSED') : ok(true);
}

function checkSeatsExist(show: ShowWindow, seatIds: string[]): Result<true> {
  const unknown = seatIds.filter((id) => !show.seatIds.has(id));
  if (unknown.length === 0) return ok(true);
  return fail('VALIDATION', {
    message: `Unknown seat${unknown.length > 1 ? 's' : ''} for this show: ${unknown.join(', ')}.`,
    reason: 'unknown_seats',
    params: { seatIds: unknown },
    details: unknown.map((id) => ({ path: 'seatIds', reason: 'unknown_seat', params: { seat: id }, message: `${id} is not a seat of this show` })),
  });
}

/** HOLD_LIMIT when `adding` more seats to a cart of `holding` would pass the per-user limit. */
export function checkAllowance(holding: number, adding: number, policy: HoldPolicy): Result<true> {
  if (holding + adding <= policy.maxSeatsPerUser) return ok(true);
  const left = policy.maxSeatsPerUser - holding;
  return fail('HOLD_LIMIT', {
    message: `You can hold at most ${policy.maxSeatsPerUser} seats for a show; you can add ${left} more.`,
    params: { limit: policy.maxSeatsPerUser, left },
  });
}

export interface HoldPlan {
  /** Seats to write now (not already held by this user). */
  newSeats: string[];
  /** The cart after the hold. */
  cart: Cart;
}

export function planHold(
  args: { show: ShowWindow; cart: Cart | null; requested: string[]; now: number; policy: HoldPolicy },
): Result<HoldPlan> {
  const { show, cart, requested, now, policy } = args;
  const open = checkOpen(show, now);
  if (!open.ok) return open;
  const known = checkSeatsExist(show, requested);
  if (!known.ok) return known;

  const live = isLive(cart, now);
  const current = live ? cart.seatIds : [];
  const mine = new Set(current);
  const newSeats = requested.filter((id) => !mine.has(id));
  const allowed = checkAllowance(current.length, newSeats.length, policy);
  if (!allowed.ok) return allowed;
  const expiresAt = live ? cart.expiresAt : now + policy.holdMs;
  return ok({ newSeats, cart: { seatIds: [...current, ...newSeats], expiresAt } });
}

export interface ReleasePlan {
  released: string[];
  cart: Cart;
}

/** Seats not held by the caller are ignored, so release is idempotent. */
export function planRelease(args: { cart: Cart | null; requested: string[]; now: number }): ReleasePlan | null {
  const { cart, requested, now } = args;
  if (!isLive(cart, now)) return null;
  const asked = new Set(requested);
  const released = cart.seatIds.filter((id) => asked.has(id));
  if (released.length === 0) return null;
  return { released, cart: { seatIds: cart.seatIds.filter((id) => !asked.has(id)), expiresAt: cart.expiresAt } };
}

export function planConfirm(args: { show: ShowWindow; cart: Cart | null; now: number }): Result<{ seatIds: string[] }> {
  const { show, cart, now } = args;
  const open = checkOpen(show, now);
  if (!open.ok) return open;
  if (!cart || cart.seatIds.length === 0) return fail('NO_HOLDS');
  if (cart.expiresAt <= now) {
    return fail('HOLD_EXPIRED', {
      message: 'Your hold expired before you confirmed. Please pick your seats again.',
      seatIds: cart.seatIds,
    });
  }
  return ok({ seatIds: cart.seatIds });
}
