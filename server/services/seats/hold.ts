/**
 * Holding seats: the show's room decides from what it knows (limits, the cart timer, seats
 * it already knows are taken, answered without a store write); each new seat is then one
 * conditional write. All or nothing: when one seat turns out taken, the ones written are
 * undone before anyone is told of them.
 */
import type { HoldRequest, HoldResult } from '../../../protocol/index.js';
import { planHold } from '../../domain/holds.js';
import { withPartners } from '../../domain/layout.js';
import { ok, type Result } from '../../domain/result.js';
import type { ShowRoom } from '../../rooms/show-room.js';
import type { ShowContext } from '../catalog.js';
import { iso, notFound, seatTaken, stampFor, type SeatDeps } from './deps.js';

export async function holdSeats(deps: SeatDeps, userId: string, req: HoldRequest): Promise<Result<HoldResult>> {
  const ctx = await deps.catalog.showContext(req.showId);
  if (!ctx) return notFound();
  const room = await deps.rooms.open(req.showId);
  return room.exclusive(userId, () => holdInRoom(deps, room, ctx, userId, req.seatIds));
}

/** Holds `asked` (couple seats with their partners) for the user inside the room's per-user lock (the caller holds it). */
export async function holdInRoom(deps: SeatDeps, room: ShowRoom, ctx: ShowContext, userId: string, asked: string[]): Promise<Result<HoldResult>> {
  const showId = ctx.show.id;
  const now = deps.clock.now();
  const requested = withCouplePartners(ctx, asked);
  const plan = planHold({ show: ctx.window, cart: room.state.cartOf(userId, now), requested, now, policy: deps.policy });
  if (!plan.ok) return plan;
  const { newSeats, cart } = plan.value;
  const held = ok({ showId, seatIds: cart.seatIds, expiresAt: iso(cart.expiresAt) });
  if (newSeats.length === 0) return held;
  const known = room.state.takenFrom(userId, newSeats, now);
  if (known.length) return seatTaken(known);

  const write = await writeHolds(deps, { showId, userId, seatIds: newSeats, expiresAt: cart.expiresAt, now, at: stampFor(deps, room, newSeats) });
  if (write.taken.length) {
    // A half-written hold may have been seen meanwhile (a repair reading the store): say it is gone.
    await room.commit(write.undone.map(([seatId, at]) => ({ seatId, entry: { status: 'free', at } })));
    room.suspect(write.taken);
    return seatTaken(write.taken);
  }
  await room.commit(write.held.map(([seatId, at]) => ({ seatId, entry: { status: 'held', userId, expiresAt: cart.expiresAt, at } })));
  return held;
}

/** Both halves of every couple seat asked for: they are held (and so released and booked) as one. */
export const withCouplePartners = (ctx: ShowContext, seatIds: readonly string[]) => withPartners(seatIds, (id) => ctx.seatIndex.get(id)?.pair);

/**
 * One conditional write per seat, one seat after another in seat-id order, stopping at the
 * first taken seat and undoing the ones written. The order makes the first seat a lock among
 * requests for the same seats: of 50 users racing for the same four, exactly one gets past the
 * first and takes all four, instead of each winning one and all undoing. Answers the seats
 * held (with their write times), or the seat found taken and the seats undone.
 */
export async function writeHolds(
  deps: Pick<SeatDeps, 'seats' | 'writeTime'>,
  args: { showId: string; userId: string; seatIds: string[]; expiresAt: number; now: number; at: number },
): Promise<{ held: Stamped[]; taken: string[]; undone: Stamped[] }> {
  const { seatIds, ...hold } = args;
  const held: Stamped[] = [];
  try {
    for (const seatId of [...seatIds].sort()) {
      const at = await deps.seats.hold({ ...hold, seatId, at: deps.writeTime(args.at) });
      if (at === null) return { held: [], taken: [seatId], undone: await undo(deps, args, held) };
      held.push([seatId, at]);
    }
    return { held, taken: [], undone: [] };
  } catch (err) {
    await undo(deps, args, held).catch(() => undefined); // what stays expires with its timer
    throw err;
  }
}

type Stamped = [seatId: string, at: number];

async function undo(deps: Pick<SeatDeps, 'seats' | 'writeTime'>, args: { showId: string; userId: string; expiresAt: number }, held: Stamped[]): Promise<Stamped[]> {
  const freed = await Promise.all(
    held.map(async ([seatId, at]): Promise<Stamped | null> => {
      const t = await deps.seats.release({ showId: args.showId, seatId, userId: args.userId, expiresAt: args.expiresAt, at: deps.writeTime(at + 0.001) });
      return t === null ? null : [seatId, t];
    }),
  );
  return freed.filter((x): x is Stamped => x !== null);
}
