/**
 * Confirming: the caller's live holds on the show become one booking, atomically, with its
 * confirmation notice (the outbox). The same idempotency key names the same booking, so a
 * repeat (a double click, a retry after a lost answer, two processes) answers that booking.
 */
import type { Booking, ConfirmRequest, Payment } from '../../../protocol/index.js';
import { planConfirm } from '../../domain/holds.js';
import { newPayment } from '../../domain/payments.js';
import { bookingPoints, onConfirmed, onPending, type BookingPoints } from '../../domain/loyalty.js';
import { priceBooking, withPoints } from '../../domain/pricing.js';
import { formatInZone } from '../../domain/show-time.js';
import { fail, ok, type Result } from '../../domain/result.js';
import type { BookingRecord, PaymentRecord } from '../../ports.js';
import type { ShowRoom } from '../../rooms/show-room.js';
import type { ShowContext } from '../catalog.js';
import { iso, notFound, stampFor, type SeatDeps } from './deps.js';

export async function confirmBooking(deps: SeatDeps, user: { id: string }, req: ConfirmRequest): Promise<Result<{ booking: Booking }>> {
  const bookingId = deps.bookingIdFor(user.id, req.idempotencyKey);
  const ctx = await deps.catalog.showContext(req.showId);
  if (!ctx) return (await replay(deps, bookingId, req.showId)) ?? notFound();
  const room = await deps.rooms.open(req.showId);
  return room.exclusive(user.id, () => confirmInRoom(deps, room, ctx, user.id, bookingId, req));
}

async function confirmInRoom(
  deps: SeatDeps,
  room: ShowRoom,
  ctx: ShowContext,
  userId: string,
  bookingId: string,
  req: ConfirmRequest,
): Promise<Result<{ booking: Booking }>> {
  const now = deps.clock.now();
  const cart = room.state.cartOf(userId, now) ?? room.state.lapsedCartOf(userId, now);
  const plan = planConfirm({ show: ctx.window, cart, now });
  // Nothing (left) to book: the key may name a booking made already.
  if (!plan.ok) return (await replay(deps, bookingId, req.showId)) ?? plan;
  const seatIds = [...plan.value.seatIds].sort(bySeatOrder(ctx));
  // Only how many points to use comes from the client; the balance and the price say what they pay.
  const balance = req.usePoints ? await deps.loyalty.balance(userId) : 0;
  const built = buildBooking(ctx, { id: bookingId, userId, seatIds, key: req.idempotencyKey, now, usePoints: req.usePoints ?? 0, balance });
  const booking = deps.payment ? startPayment(built, deps.payment, now) : built;
  const points = deps.payment ? onPending(built.loyalty!) : onConfirmed(built.loyalty!);
  const write = await deps.seats.confirm({ booking, now, at: stampFor(deps, room, seatIds), points });
  if (write.ok) {
    await room.commit(seatIds.map((seatId) => ({ seatId, entry: { status: 'booked', userId, bookingId, at: write.at } })));
    if (!deps.payment) {
      deps.confirmed?.({ id: `booking.confirmed:${booking.id}`, kind: 'booking.confirmed', bookingId: booking.id, userId }, now);
      return ok({ booking: publicBooking(booking, deps.ticketCode) });
    }
    return ok({ booking: publicBooking(await deps.payment.openOrder(booking), deps.ticketCode) });
  }
  if (write.reason === 'duplicate-key') {
    return (await replay(deps, bookingId, req.showId)) ?? fail('UNAVAILABLE', { message: 'Your booking could not be completed just now. Please try again.' });
  }
  if (write.reason === 'points') return fail('NOT_ENOUGH_POINTS');
  return fail('HOLD_EXPIRED', { message: 'Your hold expired before you confirmed. Please pick your seats again.', seatIds: write.seatIds });
}

/**
 * `startPayment`: with a gateway, the booking waits for its money: `pending_payment`, its seats
 * booked by it all the same (written by the same transaction as a paid booking, without the
 * confirmation notice), and a payment of the server's quote due at the end of the window.
 */
function startPayment(booking: BookingRecord, payment: NonNullable<SeatDeps['payment']>, now: number): BookingRecord {
  return { ...booking, status: 'pending_payment', payment: newPayment(booking, payment.gateway, now, payment.windowMs) };
}

/** The booking an idempotency key already made; VALIDATION when it was made for another show. */
async function replay(deps: SeatDeps, bookingId: string, showId: string): Promise<Result<{ booking: Booking }> | null> {
  const prior = await deps.bookings.get(bookingId);
  if (!prior) return null;
  if (prior.showId !== showId) {
    return fail('VALIDATION', {
      message: 'This idempotency key was already used for another show.',
      details: [{ path: 'idempotencyKey', reason: 'key_reused', message: 'already used for another show' }],
    });
  }
  return ok({ booking: publicBooking(prior, deps.ticketCode) });
}

export function buildBooking(
  ctx: ShowContext,
  b: { id: string; userId: string; seatIds: string[]; key: string; now: number; usePoints: number; balance: number },
): BookingRecord & { loyalty: BookingPoints } {
  const { priced, points } = pricedWithPoints(ctx, b.seatIds, b.usePoints, b.balance);
  return {
    id: b.id,
    userId: b.userId,
    idempotencyKey: b.key,
    showId: ctx.show.id,
    seats: b.seatIds,
    lines: priced.lines,
    currency: ctx.show.currency,
    total: priced.total,
    breakdown: priced.breakdown,
    loyalty: points,
    status: 'confirmed',
    createdAt: iso(b.now),
    show: {
      movieTitle: ctx.movie.title,
      theatreId: ctx.theatre.id,
      theatreName: ctx.theatre.name,
      theatreAddress: ctx.theatre.address,
      screenName: ctx.screen.name,
      language: ctx.show.language,
      startsAt: formatInZone(ctx.show.startsAt, ctx.theatre.timeZone),
      timeZone: ctx.theatre.timeZone,
    },
  };
}

/** The server's price for these seats with the points asked for (capped by the balance and the share points may pay). */
export function pricedWithPoints(ctx: ShowContext, seatIds: string[], usePoints: number, balance: number) {
  const base = priceBooking(
    seatIds.map((seatId) => ({ seatId, category: ctx.seatIndex.get(seatId)!.category })),
    ctx.show.prices,
    ctx.show.currency,
  );
  const points = bookingPoints(base.breakdown.tickets, usePoints, balance);
  return { priced: withPoints(base, points.discount), points };
}

/** What the owner (or staff) sees: no internal ids; the ticket code while the booking stands. */
export function publicBooking(b: BookingRecord, codeOf?: (bookingId: string) => string): Booking {
  const { userId: _u, idempotencyKey: _k, ticketCode: _c, payment, ...rest } = b;
  const shown = payment ? { ...rest, payment: publicPayment(payment) } : rest;
  return b.status === 'confirmed' && codeOf ? { ...shown, ticketCode: codeOf(b.id) } : shown;
}

/** The gateway's references stay on the server. */
function publicPayment(p: PaymentRecord): Payment {
  const { orderRef: _o, captureRef: _c, flagged: _f, refunds, ...rest } = p;
  return { ...rest, refunds: refunds.map(({ refundRef: _r, lastError: _e, ...r }) => r) };
}

export function bySeatOrder(ctx: ShowContext) {
  const order = new Map(ctx.seats.map((s, i) => [s.id, i]));
  return (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
}
