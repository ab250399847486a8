/**
 * Holding, releasing and confirming seats: the domain decides, the store's
 * conditional writes enforce, and every successful change is broadcast.
 */
import { randomUUID } from 'node:crypto';
import type {
  Booking,
  ConfirmRequest,
  HoldRequest,
  HoldResult,
  Quote,
  ReleaseRequest,
  ReleaseResult,
  SeatChange,
  SeatMap,
  Snapshot,
} from '../../protocol/index.js';
import { planConfirm, planHold, planRelease, statusOf, isLive, type HoldPolicy, type SeatRecord } from '../domain/holds.js';
import { priceBooking } from '../domain/pricing.js';
import { refundFor, type RefundPolicy } from '../domain/refunds.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { BookingRecord, BookingStore, Clock, SeatStore, VersionCounter } from '../ports.js';
import type { Catalog, ShowContext } from './catalog.js';
import { createCartCache } from './cart-cache.js';
import { createSeatView } from './seat-view.js';

export interface SeatEvents {
  /** Called after a successful write; assigns the show's next version and broadcasts. */
  seatsChanged(
    showId: string,
    changes: SeatChange[],
    patch?: { seatIds: string[]; record: Omit<SeatRecord, 'seatId'> | null },
  ): Promise<unknown>;
  /** A notification was queued in the outbox with the write (deliver it now if possible). */
  notificationQueued?(id: string): void;
}

export interface SeatServiceDeps {
  seats: SeatStore;
  bookings: BookingStore;
  catalog: Catalog;
  versions: VersionCounter;
  clock: Clock;
  policy: HoldPolicy;
  refundPolicy: RefundPolicy;
  events: SeatEvents;
  /** Signs ticket codes for the bookings this service returns. */
  ticketCode?: (bookingId: string) => string;
  newId?: () => string;
}

/** Same-user races (two tabs) retry the optimistic cart update a few times. */
const CART_RETRIES = 5;
const iso = (ms: number) => new Date(ms).toISOString();
const seatTaken = (seatIds: string[]) =>
  fail('SEAT_TAKEN', {
    message: `Seat${seatIds.length > 1 ? 's' : ''} ${seatIds.join(', ')} ${seatIds.length > 1 ? 'were' : 'was'} just taken. Please pick others.`,
    seatIds,
  });
const notFound = () => fail('NOT_FOUND', { message: 'That show does not exist or is no longer on sale.', reason: 'show_not_found' });

export function createSeatService(deps: SeatServiceDeps) {
  const { seats, bookings, catalog, versions, clock, policy, events } = deps;
  const newId = deps.newId ?? (() => `bk_${randomUUID().replaceAll('-', '').slice(0, 20)}`);
  const carts = createCartCache(seats);
  const view = createSeatView(seats, clock);

  async function seatMap(ctx: ShowContext): Promise<SeatMap> {
    // Version first, then seats: any change after this version is also broadcast later.
    const version = await versions.current(ctx.show.id);
    const records = await view.read(ctx.show.id, version);
    const now = clock.now();
    const byId = new Map(records.map((r) => [r.seatId, r]));
    return catalog.seatMap(ctx, version, (id) => statusOf(byId.get(id), now));
  }

  /** Broadcasts a successful write and keeps this process's view of the show current. */
  async function changed(showId: string, seatIds: string[], record: Omit<SeatRecord, 'seatId'> | null) {
    const status = record?.status ?? 'free';
    // The broadcaster hands the batch's patches back to applyPatches (and to the other processes).
    await events.seatsChanged(showId, seatIds.map((seatId) => ({ seatId, status })), { seatIds, record });
  }

  /** Seats a current view already shows taken: answered without a store write. */
  async function knownTaken(ctx: ShowContext, userId: string, seatIds: string[]): Promise<string[]> {
    const now = clock.now();
    // Validation, closing time and limits keep their own answers.
    if (now >= ctx.window.startsAt || !seatIds.every((id) => ctx.seatIndex.has(id))) return [];
    return view.knownTaken(ctx.show.id, await versions.current(ctx.show.id), userId, seatIds, now);
  }

  return {
    /** The changes of one broadcast (this process's or another's) keep the seat view current; null: unknown changes. */
    applyPatches(showId: string, version: number, patches: { seatIds: string[]; record: Omit<SeatRecord, 'seatId'> | null }[] | null) {
      view.apply(showId, version, patches);
    },

    /**
     * Cancels a booking (its owner, or staff through `canManage`): seats freed and
     * broadcast, refund by the policy, notice queued. Cancelling again answers the same.
     */
    async cancel(
      actor: { id: string },
      bookingId: string,
      canManage = false,
      /** Staff cancelling a whole show refund in full, whatever the policy says. */
      refundOverride?: { percent: number; amount: number },
    ): Promise<Result<{ booking: BookingRecord }>> {
      const booking = await bookings.get(bookingId);
      if (!booking || (booking.userId !== actor.id && !canManage)) return fail('NOT_FOUND', { message: 'No such booking.', reason: 'booking_not_found' });
      if (booking.status === 'cancelled') return ok({ booking });
      const now = clock.now();
      // The show's own start (the booking's copy is a display string without milliseconds).
      const startsAt = (await catalog.showContext(booking.showId))?.window.startsAt ?? Date.parse(booking.show.startsAt);
      if (now >= startsAt) return fail('SHOW_CLOSED', { message: 'This show has already started; the booking can no longer be cancelled.', reason: 'cancel_closed' });
      const refund = refundOverride ?? refundFor({ total: booking.total, startsAt, now, policy: deps.refundPolicy });
      const write = await seats.cancel({ booking, refund, now });
      if (!write.ok) {
        const current = await bookings.get(bookingId); // cancelled meanwhile (another tab, staff)
        return current ? ok({ booking: current }) : fail('NOT_FOUND', { message: 'No such booking.', reason: 'booking_not_found' });
      }
      await changed(booking.showId, booking.seats, null);
      events.notificationQueued?.(`booking.cancelled:${booking.id}`);
      return ok({ booking: { ...booking, status: 'cancelled', cancelledAt: write.cancelledAt, refund } });
    },

    /** What cancelling now would refund; null once the show has started or the booking is cancelled. */
    async refundPreview(booking: BookingRecord): Promise<{ percent: number; amount: number } | null> {
      if (booking.status !== 'confirmed') return null;
      const startsAt = (await catalog.showContext(booking.showId))?.window.startsAt ?? Date.parse(booking.show.startsAt);
      const now = clock.now();
      return now >= startsAt ? null : refundFor({ total: booking.total, startsAt, now, policy: deps.refundPolicy });
    },

    async seatMap(showId: string): Promise<Result<SeatMap>> {
      const ctx = await catalog.showContext(showId);
      if (!ctx) return notFound();
      return ok(await seatMap(ctx));
    },

    async quote(showId: string, seatIds: string[]): Promise<Result<Quote>> {
      const ctx = await catalog.showContext(showId);
      if (!ctx) return notFound();
      const unknown = seatIds.filter((id) => !ctx.seatIndex.has(id));
      if (unknown.length) return fail('VALIDATION', { message: `Unknown seats: ${unknown.join(', ')}.`, reason: 'unknown_seats', params: { seatIds: unknown } });
      const sorted = [...seatIds].sort(bySeatOrder(ctx));
      const priced = priceBooking(
        sorted.map((seatId) => ({ seatId, category: ctx.seatIndex.get(seatId)!.category })),
        ctx.show.prices,
        ctx.show.currency,
      );
      return ok({ showId, currency: ctx.show.currency, ...priced });
    },

    async snapshot(showId: string, userId: string | null): Promise<Result<Snapshot>> {
      const ctx = await catalog.showContext(showId);
      if (!ctx) return notFound();
      const [map, cart] = await Promise.all([seatMap(ctx), userId ? seats.getCart(showId, userId) : null]);
      if (!userId) return ok(map);
      const live = isLive(cart, clock.now());
      return ok({
        ...map,
        mine: { seatIds: live ? cart.seatIds : [], expiresAt: live ? iso(cart.expiresAt) : null },
      });
    },

    async hold(userId: string, req: HoldRequest): Promise<Result<HoldResult>> {
      const ctx = await catalog.showContext(req.showId);
      if (!ctx) return notFound();
      const taken = await knownTaken(ctx, userId, req.seatIds);
      if (taken.length) return seatTaken(taken);
      let fresh = false;
      for (let attempt = 0; attempt < CART_RETRIES; attempt++) {
        const cart = await carts.get(req.showId, userId, fresh);
        const now = clock.now();
        const plan = planHold({ show: ctx.window, cart, requested: req.seatIds, now, policy });
        const needsWrite = plan.ok && plan.value.newSeats.length > 0;
        if (!needsWrite && !fresh) {
          fresh = true; // an answer without a write must not rest on a cached cart
          continue;
        }
        if (!plan.ok) return plan;
        const { newSeats, cart: next } = plan.value;
        const result = { showId: req.showId, seatIds: next.seatIds, expiresAt: iso(next.expiresAt) };
        if (newSeats.length === 0) return ok(result);
        const prevRev = cart?.rev ?? null;
        const write = await guarded(req.showId, userId, () =>
          seats.hold({ showId: req.showId, userId, prevRev, cart: next, newSeats, now }),
        );
        if (write.ok) {
          carts.set(req.showId, userId, { ...next, rev: write.rev });
          await changed(req.showId, newSeats, { showId: req.showId, status: 'held', userId, expiresAt: next.expiresAt });
          return ok(result);
        }
        if (write.reason === 'cart-changed') {
          fresh = true;
          continue;
        }
        if (write.reason === 'seats-taken') return seatTaken(write.seatIds);
      }
      return fail('UNAVAILABLE', { message: 'Your seats changed in another tab at the same time. Please try again.', reason: 'concurrent_change' });
    },

    async release(userId: string, req: ReleaseRequest): Promise<Result<ReleaseResult>> {
      const ctx = await catalog.showContext(req.showId);
      if (!ctx) return notFound();
      let fresh = false;
      for (let attempt = 0; attempt < CART_RETRIES; attempt++) {
        const cart = await carts.get(req.showId, userId, fresh);
        const plan = planRelease({ cart, requested: req.seatIds, now: clock.now() });
        if (!plan || !cart) {
          if (!fresh) {
            fresh = true;
            continue;
          }
          return ok({ showId: req.showId, released: [] });
        }
        const write = await guarded(req.showId, userId, () =>
          seats.release({ showId: req.showId, userId, prevRev: cart.rev, cart: plan.cart, released: plan.released }),
        );
        fresh = true;
        if (write.ok) {
          carts.set(req.showId, userId, { ...plan.cart, rev: write.rev });
          await changed(req.showId, plan.released, null);
          return ok({ showId: req.showId, released: plan.released });
        }
      }
      return fail('UNAVAILABLE', { message: 'Your seats changed in another tab at the same time. Please try again.', reason: 'concurrent_change' });
    },

    async confirm(user: { id: string }, req: ConfirmRequest): Promise<Result<{ booking: Booking }>> {
      // A repeated key is found by the write's own idempotency item (duplicate-key) or,
      // when there is nothing left to book, by looking it up before answering.
      const ctx = await catalog.showContext(req.showId);
      if (!ctx) return (await replay(user.id, req)) ?? notFound();
      let fresh = false;
      for (let attempt = 0; attempt < CART_RETRIES; attempt++) {
        const cart = await carts.get(req.showId, user.id, fresh);
        const now = clock.now();
        const plan = planConfirm({ show: ctx.window, cart, now });
        if (!plan.ok) {
          if (!fresh) {
            fresh = true;
            continue;
          }
          return (await replay(user.id, req)) ?? plan;
        }
        const seatIds = [...plan.value.seatIds].sort(bySeatOrder(ctx));
        const booking = buildBooking(ctx, user.id, seatIds, req.idempotencyKey, now);
        const write = await guarded(req.showId, user.id, () => seats.confirm({ booking, cartRev: cart!.rev, now }));
        fresh = true;
        if (write.ok) {
          carts.set(req.showId, user.id, null);
          await changed(req.showId, seatIds, { showId: req.showId, status: 'booked', userId: user.id, bookingId: booking.id });
          events.notificationQueued?.(`booking.confirmed:${booking.id}`);
          return ok({ booking: publicBooking(booking, deps.ticketCode) });
        }
        if (write.reason === 'duplicate-key') {
          const again = await replay(user.id, req);
          if (again) return again;
        }
        if (write.reason === 'expired') {
          return fail('HOLD_EXPIRED', {
            message: 'Your hold expired before you confirmed. Please pick your seats again.',
            seatIds: write.seatIds,
          });
        }
      }
      return fail('UNAVAILABLE', { message: 'Your booking could not be completed just now. Please try again.' });
    },
  };

  /** A write that throws leaves the cart unknown: forget the cached one. */
  async function guarded<T>(showId: string, userId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      carts.forget(showId, userId);
      throw err;
    }
  }

  async function replay(userId: string, req: ConfirmRequest): Promise<Result<{ booking: Booking }> | null> {
    const prior = await bookings.findByKey(userId, req.idempotencyKey);
    if (!prior) return null;
    if (prior.showId !== req.showId) {
      return fail('VALIDATION', {
        message: 'This idempotency key was already used for another show.',
        details: [{ path: 'idempotencyKey', reason: 'key_reused', message: 'already used for another show' }],
      });
    }
    const booking = await bookings.get(prior.bookingId);
    return booking ? ok({ booking: publicBooking(booking, deps.ticketCode) }) : null;
  }

  function buildBooking(ctx: ShowContext, userId: string, seatIds: string[], key: string, now: number): BookingRecord {
    const priced = priceBooking(
      seatIds.map((seatId) => ({ seatId, category: ctx.seatIndex.get(seatId)!.category })),
      ctx.show.prices,
      ctx.show.currency,
    );
    const summary = catalog.summary(ctx);
    return {
      id: newId(),
      userId,
      idempotencyKey: key,
      showId: ctx.show.id,
      seats: seatIds,
      lines: priced.lines,
      currency: ctx.show.currency,
      total: priced.total,
      breakdown: priced.breakdown,
      status: 'confirmed',
      createdAt: iso(now),
      show: {
        movieTitle: ctx.movie.title,
        theatreId: ctx.theatre.id,
        theatreName: ctx.theatre.name,
        theatreAddress: ctx.theatre.address,
        screenName: ctx.screen.name,
        language: ctx.show.language,
        startsAt: summary.startsAt,
        timeZone: ctx.theatre.timeZone,
      },
    };
  }
}

/** What the owner (or staff) sees: no internal ids; the ticket code while the booking stands. */
export function publicBooking(b: BookingRecord, codeOf?: (bookingId: string) => string): Booking {
  const { userId: _u, idempotencyKey: _k, ticketCode: _c, ...rest } = b;
  return b.status === 'confirmed' && codeOf ? { ...rest, ticketCode: codeOf(b.id) } : rest;
}

function bySeatOrder(ctx: ShowContext) {
  const order = new Map(ctx.seats.map((s, i) => [s.id, i]));
  return (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
}

export type SeatService = ReturnType<typeof createSeatService>;
