/** Releasing seats: only the caller's own holds, each one conditional write; idempotent. */
import type { ReleaseRequest, ReleaseResult } from '../../../protocol/index.js';
import { planRelease, type Cart } from '../../domain/holds.js';
import { ok, type Result } from '../../domain/result.js';
import type { ShowRoom } from '../../rooms/show-room.js';
import { iso, notFound, stampFor, type SeatDeps } from './deps.js';
import { withCouplePartners } from './hold.js';

export async function releaseSeats(deps: SeatDeps, userId: string, req: ReleaseRequest): Promise<Result<ReleaseResult>> {
  const ctx = await deps.catalog.showContext(req.showId);
  if (!ctx) return notFound();
  const room = await deps.rooms.open(req.showId);
  return room.exclusive(userId, () => releaseInRoom(deps, room, userId, withCouplePartners(ctx, req.seatIds)));
}

/** Releases every seat the user holds on the show (they left its seat map). */
export async function releaseAll(deps: SeatDeps, userId: string, showId: string): Promise<Result<ReleaseResult>> {
  const room = await deps.rooms.open(showId);
  return room.exclusive(userId, () => releaseInRoom(deps, room, userId, room.state.cartOf(userId, deps.clock.now())?.seatIds ?? []));
}

async function releaseInRoom(deps: SeatDeps, room: ShowRoom, userId: string, requested: string[]): Promise<Result<ReleaseResult>> {
  const now = deps.clock.now();
  const cart = room.state.cartOf(userId, now);
  const plan = planRelease({ cart, requested, now });
  if (!plan) return ok(released(room.showId, [], cart));
  const holds = plan.released.map((seatId) => ({ seatId, expiresAt: room.state.entry(seatId)?.expiresAt ?? plan.cart.expiresAt }));
  const freed = await freeHolds(deps, room.showId, userId, holds, stampFor(deps, room, plan.released));
  // A seat whose write failed was no longer this hold (it expired and was swept): nothing of ours to announce.
  await room.commit(freed.map(([seatId, at]) => ({ seatId, entry: { status: 'free' as const, at } })));
  return ok(released(room.showId, plan.released, plan.cart));
}

function released(showId: string, seatIds: string[], left: Cart | null): ReleaseResult {
  const kept = left?.seatIds ?? [];
  return { showId, released: seatIds, seatIds: kept, expiresAt: kept.length ? iso(left!.expiresAt) : null };
}

/**
 * Frees the user's holds: several in one transaction (cheaper than one write each); when one
 * of them is not there any more (swept meanwhile), each on its own. Answers what was freed, when.
 */
async function freeHolds(
  deps: SeatDeps,
  showId: string,
  userId: string,
  holds: { seatId: string; expiresAt: number }[],
  at: number,
): Promise<[seatId: string, at: number][]> {
  if (holds.length > 1) {
    const t = await deps.seats.releaseAll({ showId, userId, holds, at });
    if (t !== null) return holds.map((h) => [h.seatId, t]);
  }
  const each = await Promise.all(holds.map((h) => deps.seats.release({ showId, userId, ...h, at })));
  return holds.flatMap((h, i) => (each[i] === null ? [] : [[h.seatId, each[i]!] as [string, number]]));
}
