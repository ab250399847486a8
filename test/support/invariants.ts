/**
 * The store's seat invariants, read back through the app's own stores (and the seat map
 * through the API). Each check returns the violations it found, in words, so a failing
 * `expect(violations).toEqual([])` says what broke.
 */
import { SeatMap } from '../../protocol/index.js';
import type { App } from '../../server/app.js';

const dupes = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

/**
 * For one show at `now`: no seat held by two; each user's live holds share one expiry (one
 * timer per cart); the show's room (what this process serves and decides from) agrees with
 * the store seat for seat, holder and expiry included; every booked seat in exactly one
 * confirmed booking (same user, same booking id), and every seat of a confirmed booking
 * booked under it; no seat record for a seat the show does not have.
 * `userIds`: everyone who may hold seats on the show.
 */
export async function seatInvariantViolations(app: App, showId: string, userIds: string[], now: number): Promise<string[]> {
  const out: string[] = [];
  const [records, bookings, room, map] = await Promise.all([
    app.stores.seats.seats(showId),
    app.stores.bookings.listByShow(showId),
    app.rooms.open(showId),
    app.services.seats.seatMap(showId),
  ]);
  const layout = map.ok ? new Set(map.value.seats.map((s) => s.id)) : null;

  for (const id of dupes(records.map((r) => r.seatId))) out.push(`${showId}: two records for seat ${id}`);
  for (const r of records) if (layout && !layout.has(r.seatId)) out.push(`${showId}: a record for ${r.seatId}, which the show does not have`);

  // Holds: one timer per cart, and the room agrees with the store.
  const live = records.filter((x) => x.status === 'held' && (x.expiresAt ?? 0) > now);
  for (const user of userIds) {
    const expiries = new Set(live.filter((r) => r.userId === user).map((r) => r.expiresAt));
    if (expiries.size > 1) out.push(`${showId}: ${user} holds seats with ${expiries.size} different expiries`);
    const cart = room.state.cartOf(user, now);
    const stored = live.filter((r) => r.userId === user).map((r) => r.seatId).sort();
    const known = [...(cart?.seatIds ?? [])].sort();
    if (stored.join() !== known.join()) out.push(`${showId}: ${user} holds [${stored}] in the store, the room says [${known}]`);
  }
  const recordOf = new Map(records.map((r) => [r.seatId, r]));
  for (const id of layout ?? []) {
    const r = recordOf.get(id);
    const stored = !r || r.status === 'free' ? 'free' : r.status === 'booked' ? 'booked' : (r.expiresAt ?? 0) > now ? 'held' : 'free';
    const served = room.state.status(id, now);
    if (stored !== served) out.push(`${showId}: ${id} is ${stored} in the store, ${served} in the room`);
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
