/**
 * Best available: the show's room picks `count` seats side by side from what it knows (the
 * seat-pick rules: near the sweet spot, never stranding a single free seat) and holds them
 * exactly as `seat:hold` does. When a write finds a chosen seat taken (another process got
 * there first, and the room has not heard yet), the next best set is chosen from the room's
 * fresh state with the seats found taken left out, a few times, before giving up.
 */
import type { HoldBestRequest, HoldBestResult } from '../../../protocol/index.js';
import { checkAllowance, checkOpen, isLive } from '../../domain/holds.js';
import type { LayoutSeat } from '../../domain/layout.js';
import { fail, ok, type Result } from '../../domain/result.js';
import { bestAvailable, prepareHall, type Hall, type PickSeat } from '../../domain/seat-pick.js';
import type { ShowRoom } from '../../rooms/show-room.js';
import type { ShowContext } from '../catalog.js';
import { notFound, type SeatDeps } from './deps.js';
import { holdInRoom, withCouplePartners } from './hold.js';

/** Tries before a request that keeps losing its chosen seats to others answers NOT_ENOUGH_TOGETHER. */
export const HOLD_BEST_TRIES = 5;

/** One Hall per layout's seat list (the catalogue keeps that list per screen). */
const halls = new WeakMap<readonly LayoutSeat[], Hall>();

function hallOf(seats: readonly (LayoutSeat & Pick<PickSeat, 'companion' | 'pair'>)[]): Hall {
  let hall = halls.get(seats);
  if (!hall) {
    hall = prepareHall(seats.map(({ id, row, col, category, accessible, companion, pair }) => ({ id, row, col, category, accessible, companion, pair })));
    halls.set(seats, hall);
  }
  return hall;
}

export async function holdBest(deps: SeatDeps, userId: string, req: HoldBestRequest): Promise<Result<HoldBestResult>> {
  const ctx = await deps.catalog.showContext(req.showId);
  if (!ctx) return notFound();
  if (req.categoryId !== undefined && !ctx.screen.layout.categories.some((c) => c.id === req.categoryId)) {
    return fail('VALIDATION', {
      message: `This show has no seat category "${req.categoryId}".`,
      reason: 'unknown_category',
      params: { category: req.categoryId },
      details: [{ path: 'categoryId', reason: 'unknown_category', params: { category: req.categoryId }, message: `${req.categoryId} is not a category of this show` }],
    });
  }
  const room = await deps.rooms.open(req.showId);
  return room.exclusive(userId, () => holdBestInRoom(deps, room, ctx, userId, req));
}

async function holdBestInRoom(deps: SeatDeps, room: ShowRoom, ctx: ShowContext, userId: string, req: HoldBestRequest): Promise<Result<HoldBestResult>> {
  const start = deps.clock.now();
  const open = checkOpen(ctx.window, start);
  if (!open.ok) return open;
  const cart = room.state.cartOf(userId, start);
  const allowed = checkAllowance(isLive(cart, start) ? cart.seatIds.length : 0, req.count, deps.policy);
  if (!allowed.ok) return allowed;

  const hall = hallOf(ctx.seats);
  const lost = new Set<string>();
  for (let attempt = 0; attempt < HOLD_BEST_TRIES; attempt++) {
    const now = deps.clock.now();
    const taken = (i: number) => {
      const id = ctx.seats[i]!.id;
      return lost.has(id) || room.choosing.has(id) || room.state.status(id, now) !== 'free';
    };
    const best = bestAvailable(hall, taken, req, 1); // one set: a retry recomputes from fresher state
    if (!best.ok) return fail(best.reason === 'sold_out' ? 'SOLD_OUT' : 'NOT_ENOUGH_TOGETHER');
    // A couple seat goes with its other half (the rules keep pairs whole; this makes sure).
    const chosen = withCouplePartners(ctx, best.sets[0]!);
    for (const id of chosen) room.choosing.add(id);
    const held = await holdInRoom(deps, room, ctx, userId, chosen).finally(() => chosen.forEach((id) => room.choosing.delete(id)));
    if (held.ok) return ok({ ...held.value, chosen });
    if (held.error.code !== 'SEAT_TAKEN') return held;
    for (const id of held.error.seatIds ?? []) lost.add(id);
  }
  return fail('NOT_ENOUGH_TOGETHER', { message: 'Others took the best seats while we tried. Please try again, or pick seats on the map.', reason: 'concurrent_change' });
}
