/** Ticket codes, PDF tickets and door verification. */
import type { VerifyTicketResponse } from '../../protocol/index.js';
import { readTicketCode, ticketCode } from '../domain/tickets.js';
import type { BookingRecord, BookingStore, Clock } from '../ports.js';

export function createTickets(deps: { bookings: BookingStore; clock: Clock; key: string; render: (b: BookingRecord, code: string) => Promise<Buffer> }) {
  const { bookings, clock, key } = deps;
  const summary = (b: BookingRecord) => ({
    id: b.id,
    movieTitle: b.show.movieTitle,
    theatreName: b.show.theatreName,
    startsAt: b.show.startsAt,
    timeZone: b.show.timeZone,
    seats: b.seats,
    ...(b.usedAt ? { usedAt: b.usedAt } : {}),
  });

  return {
    code: (bookingId: string) => ticketCode(bookingId, key),
    pdf: (b: BookingRecord) => deps.render(b, ticketCode(b.id, key)),

    /** valid (and now used) / already used / cancelled / forged. `allowed` scopes staff to their theatres. */
    async verify(code: string, allowed: (b: BookingRecord) => boolean): Promise<VerifyTicketResponse> {
      const bookingId = readTicketCode(code, key);
      const booking = bookingId ? await bookings.get(bookingId) : null;
      if (!booking) return { result: 'forged', message: 'Not a Movie Magic ticket: the code is forged or damaged.' };
      if (!allowed(booking)) return { result: 'forged', message: 'This ticket is not for your theatre.' };
      if (booking.status === 'cancelled') return { result: 'cancelled', message: 'This booking was cancelled: no entry.', booking: summary(booking) };
      const at = new Date(clock.now()).toISOString();
      if (await bookings.markUsed(booking.id, at)) {
        return { result: 'valid', message: `Valid: admit ${booking.seats.length} (${booking.seats.join(', ')}).`, booking: summary({ ...booking, usedAt: at }) };
      }
      const now = await bookings.get(booking.id);
      if (now?.status === 'cancelled') return { result: 'cancelled', message: 'This booking was cancelled: no entry.', booking: summary(now) };
      return { result: 'already_used', message: `Already used${now?.usedAt ? ` at ${now.usedAt}` : ''}.`, booking: summary(now ?? booking) };
    },
  };
}
export type Tickets = ReturnType<typeof createTickets>;
