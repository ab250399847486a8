/** Reading a show's seats: from its room, never a store read per request. */
import type { Quote, SeatMap, Snapshot } from '../../../protocol/index.js';
import { maxRedeemable, POINT_VALUE_MINOR } from '../../domain/loyalty.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { ShowRoom } from '../../rooms/show-room.js';
import type { ShowContext } from '../catalog.js';
import { bySeatOrder, pricedWithPoints } from './confirm.js';
import { iso, notFound, type SeatDeps } from './deps.js';

function mapOf(deps: SeatDeps, ctx: ShowContext, room: ShowRoom): SeatMap {
  const now = deps.clock.now();
  return deps.catalog.seatMap(ctx, room.version, (id) => room.state.status(id, now));
}

export async function seatMapOf(deps: SeatDeps, showId: string): Promise<Result<SeatMap>> {
  const ctx = await deps.catalog.showContext(showId);
  if (!ctx) return notFound();
  return ok(mapOf(deps, ctx, await deps.rooms.open(showId)));
}

/** The seat map plus, for a signed-in caller, their own holds. Read at once after joining the room. */
export async function snapshotOf(deps: SeatDeps, showId: string, userId: string | null): Promise<Result<Snapshot>> {
  const ctx = await deps.catalog.showContext(showId);
  if (!ctx) return notFound();
  const room = await deps.rooms.open(showId);
  const map = mapOf(deps, ctx, room);
  if (!userId) return ok(map);
  const cart = room.state.cartOf(userId, deps.clock.now());
  return ok({ ...map, mine: { seatIds: cart?.seatIds ?? [], expiresAt: cart ? iso(cart.expiresAt) : null } });
}

/** The price of seats; for a signed-in caller also their points, applied up to `usePoints`. */
export async function quoteOf(deps: SeatDeps, showId: string, seatIds: string[], caller?: { userId: string; usePoints: number }): Promise<Result<Quote>> {
  const ctx = await deps.catalog.showContext(showId);
  if (!ctx) return notFound();
  const unknown = seatIds.filter((id) => !ctx.seatIndex.has(id));
  if (unknown.length) return fail('VALIDATION', { message: `Unknown seats: ${unknown.join(', ')}.`, reason: 'unknown_seats', params: { seatIds: unknown } });
  const sorted = [...seatIds].sort(bySeatOrder(ctx));
  const balance = caller ? await deps.loyalty.balance(caller.userId) : 0;
  const { priced, points } = pricedWithPoints(ctx, sorted, caller?.usePoints ?? 0, balance);
  const max = maxRedeemable(priced.breakdown.tickets, balance);
  const loyalty = caller ? { loyalty: { balance, max, maxDiscount: max * POINT_VALUE_MINOR, applied: points.redeem, discount: points.discount, earn: points.earn } } : {};
  return ok({ showId, currency: ctx.show.currency, ...priced, ...loyalty });
}
