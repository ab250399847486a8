/**
 * The store's seat invariants, read back through the app's own stores (and the seat map
 * through the API). Each check returns the violations it found, in words, so a failing
 * `expect(violations).toEqual([])` says what broke.
 */
import { SeatMap } from '../../protocol/index.js';
import type { App } from '../../server/app.js';
import type { Cart } from '../../server/domain/holds.js';

const dupes = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

/**
 * For one show at `now`: no seat held by two; a live hold only by a user whose live cart
 * has that seat with the same expiry, and every seat of a live cart held by its owner
 * with that expiry (carts consistent with seat items); every booked seat in exactly one
 * confirmed booking (same user, same booking id), and every seat of a confirmed booking
 * booked under it; no seat record for a seat the show does not have.
 * `userIds`: everyone who may hold seats on the show (carts are read per user).
 */
export async function seatInvariantViolations(app: App, showId: string, userIds: string[], now: number): Promise<string[]> {
  const out: string[] = [];
  const [records, bookings, carts, map] = await Promise.all([
    app.stores.seats.seats(showId),
    app.stores.bookings.listByShow(showId),
    Promise.all(userIds.map(async (u) => [u, await app.stores.seats.getCart(showId, u)] as const)),
    app.services.seats.seatMap(showId),
  ]);
  const layout = map.ok ? new Set(map.value.seats.map((s) => s.id)) : null;

  for (const id of dupes(records.map((r) => r.seatId))) out.push(`${showId}: two records for seat ${id}`);
  for (const r of records) if (layout && !layout.has(r.seatId)) out.push(`${showId}: a record for ${r.seatId}, which the show does not have`);

  // Holds and carts.
  const liveCarts = new Map<string, Cart>();
  for (const [user, cart] of carts) if (cart && cart.expiresAt > now && cart.seatIds.length > 0) liveCarts.set(user, cart);
  const cartSeats = [...liveCarts.values()].flatMap((c) => c.seatIds);
  for (const id of dupes(cartSeats)) out.push(`${showId}: seat ${id} is in two live carts`);
  const recordOf = new Map(records.map((r) => [r.seatId, r]));
  for (const r of records.filter((x) => x.status === 'held' && (x.expiresAt ?? 0) > now)) {
    const cart = liveCarts.get(r.userId);
    if (!cart) out.push(`${showId}: ${r.seatId} held by ${r.userId}, who has no live cart`);
    else if (!cart.seatIds.includes(r.seatId)) out.push(`${showId}: ${r.seatId} held by ${r.userId} but not in their cart`);
    else if (cart.expiresAt !== r.expiresAt) out.push(`${showId}: ${r.seatId} held until ${r.expiresAt}, its cart until ${cart.expiresAt}`);
  }
  for (const [user, cart] of liveCarts) {
    for (const id of cart.seatIds) {
      const r = recordOf.get(id);
      if (!r || r.status !== 'held' || r.userId !== user || r.expiresAt !== cart.expiresAt) {
        out.push(`${showId}: ${user}'s cart has ${id}, but the seat is ${r ? `${r.status} by ${r.userId} until ${r.expiresAt}` : 'free'}`);
      }
    }
  }

  // Booked seats and confirmed bookings, both directions.
  const confirmed = bookings.filter((b) => b.status === 'confirmed');
  for (const id of dupes(confirmed.flatMap((b) => b.seats))) out.push(`${showId}: seat ${id} is in two confirmed bookings`);
  const bookingOf = new Map(confirmed.flatMap((b) => b.seats.map((s) => [s, b] as const)));
  for (const r of records.filter((x) => x.status === 'booked')) {
    const b = bookingOf.get(r.seatId);
    if (!b) out.push(`${showId}: ${r.seatId} is booked (${r.bookingId}) but in no confirmed booking`);
    else if (b.id !== r.bookingId || b.userId !== r.userId) out.push(`${showId}: ${r.seatId} is booked by ${r.userId} under ${r.bookingId}, but in ${b.userId}'s ${b.id}`);
  }
  for (const b of confirmed) {
    for (const s of b.seats) {
      const r = recordOf.get(s);
      if (r?.status !== 'booked' || r.bookingId !== b.id) out.push(`${showId}: ${b.id} has ${s}, but the seat is ${r ? `${r.status} (${r.bookingId ?? r.userId})` : 'free'}`);
    }
  }
  return out;
}

/**
 * The seat map the API serves against the bookings the store holds, both directions: every
 * seat the map shows booked is in exactly one confirmed booking, every seat of a confirmed
 * booking is booked in the map, and (`noHolds`) nothing is held.
 */
export async function mapVersusBookings(url: string, app: App, showId: string, opts: { noHolds?: boolean } = {}) {
  const map = SeatMap.parse(await (await fetch(`${url}/api/shows/${showId}/seats`)).json());
  const confirmed = (await app.stores.bookings.listByShow(showId)).filter((b) => b.status === 'confirmed');
  const bookedSeats = confirmed.flatMap((b) => b.seats);
  const inBookings = new Set(bookedSeats);
  const bookedInMap = map.seats.filter((s) => s.status === 'booked').map((s) => s.id);
  const violations = [
    ...dupes(bookedSeats).map((id) => `${id} is in two confirmed bookings`),
    ...bookedInMap.filter((id) => !inBookings.has(id)).map((id) => `${id} is booked in the map but in no confirmed booking`),
    ...[...inBookings].filter((id) => !bookedInMap.includes(id)).map((id) => `${id} is in a confirmed booking but not booked in the map`),
    ...(opts.noHolds ? map.seats.filter((s) => s.status === 'held').map((s) => `${s.id} is still held`) : []),
  ];
  return { violations, bookedInMap: bookedInMap.length, bookings: confirmed.length, seats: map.seats.length };
}
