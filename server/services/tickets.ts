/** Ticket codes, PDF tickets, signed PDF links for mails, and door verification. */
import type { TicketSummary, VerifyTicketResponse } from '../../protocol/index.js';
import { doorTiming, doorWindow, type DoorPolicy, type DoorWindow, type ShowTimes } from '../domain/door.js';
import { formatLocal } from '../domain/messages.js';
import { formatInZone } from '../domain/show-time.js';
import { readTicketCode, readTicketLink, ticketCode, ticketLink } from '../domain/tickets.js';
import type { BookingRecord, BookingStore, Clock } from '../ports.js';

/** Used only when a booking's show record is gone: its own start, and a long film. */
const FALLBACK_RUNTIME_MS = 180 * 60_000;

export interface TicketRenderers {
  pdf: (b: BookingRecord, code: string) => Promise<Buffer>;
  /** The ticket code as a QR image (PNG). */
  qr: (code: string) => Promise<Buffer>;
}

export function createTickets(deps: {
  bookings: BookingStore;
  showTimes: (showId: string) => Promise<ShowTimes | null>;
  clock: Clock;
  key: string;
  door: DoorPolicy;
  publicUrl: string;
  render: TicketRenderers;
}) {
  const { bookings, clock, key } = deps;
  const local = (ms: number, timeZone: string) => formatInZone(ms, timeZone);
  const spoken = (ms: number, timeZone: string) => formatLocal(new Date(ms).toISOString(), timeZone);

  async function timesOf(b: BookingRecord): Promise<ShowTimes> {
    const times = await deps.showTimes(b.showId);
    if (times) return times;
    const startsAt = Date.parse(b.show.startsAt);
    return { startsAt, endsAt: startsAt + FALLBACK_RUNTIME_MS };
  }

  function summary(b: BookingRecord, times: ShowTimes, window: DoorWindow): TicketSummary {
    const tz = b.show.timeZone;
    return {
      id: b.id,
      movieTitle: b.show.movieTitle,
      theatreName: b.show.theatreName,
      screenName: b.show.screenName,
      language: b.show.language,
      startsAt: local(times.startsAt, tz),
      endsAt: local(times.endsAt, tz),
      timeZone: tz,
      seats: b.seats,
      doorOpensAt: local(window.opensAt, tz),
      doorClosesAt: local(window.closesAt, tz),
      ...(b.usedAt ? { usedAt: local(Date.parse(b.usedAt), tz) } : {}),
    };
  }

  /** The verdict on a genuine booking of the caller's theatre (the store decides used and cancelled). */
  async function judge(booking: BookingRecord): Promise<VerifyTicketResponse> {
    const times = await timesOf(booking);
    const window = doorWindow(times, deps.door);
    const tz = booking.show.timeZone;
    const about = (b: BookingRecord) => summary(b, times, window);
    const cancelled = (b: BookingRecord): VerifyTicketResponse => ({ result: 'cancelled', message: 'This booking was cancelled: no entry.', booking: about(b) });
    const used = (b: BookingRecord): VerifyTicketResponse => ({
      result: 'already_used',
      message: b.usedAt ? `Already used at ${spoken(Date.parse(b.usedAt), tz)}.` : 'Already used.',
      booking: about(b),
    });

    if (booking.status === 'cancelled') return cancelled(booking);
    if (booking.usedAt) return used(booking);
    const now = clock.now();
    const timing = doorTiming(window, now);
    if (timing !== 'open') {
      const message =
        timing === 'early'
          ? `Wrong time: this ticket is for ${spoken(times.startsAt, tz)}; entry opens at ${spoken(window.opensAt, tz)}.`
          : `Wrong time: this ticket was for ${spoken(times.startsAt, tz)}; entry closed at ${spoken(window.closesAt, tz)}.`;
      return { result: 'wrong_time', timing, message, booking: about(booking) };
    }
    const at = new Date(now).toISOString();
    if (await bookings.markUsed(booking.id, at)) {
      return { result: 'valid', message: `Valid: admit ${booking.seats.length} (${booking.seats.join(', ')}).`, booking: about({ ...booking, usedAt: at }) };
    }
    // Checked in or cancelled between the read and the write.
    const current = (await bookings.get(booking.id)) ?? booking;
    return current.status === 'cancelled' ? cancelled(current) : used(current);
  }

  return {
    code: (bookingId: string) => ticketCode(bookingId, key),
    pdf: (b: BookingRecord) => deps.render.pdf(b, ticketCode(b.id, key)),
    qr: (b: BookingRecord) => deps.render.qr(ticketCode(b.id, key)),

    /** A link that opens the booking's PDF without signing in, until the show ends. */
    async pdfLink(b: BookingRecord): Promise<{ url: string; expiresAt: number }> {
      const { endsAt } = await timesOf(b);
      return { url: `${deps.publicUrl}/api/tickets/${ticketLink(b.id, endsAt, key)}/ticket.pdf`, expiresAt: endsAt };
    },
    /** The booking of a genuine, unexpired link; null otherwise (answered as 404). */
    async byLink(link: string): Promise<BookingRecord | null> {
      const id = readTicketLink(link, key, clock.now());
      return id ? bookings.get(id) : null;
    },

    /** valid (and now used) / already used / cancelled / wrong time / forged. `allowed` scopes staff to their theatres. */
    async verify(code: string, allowed: (b: BookingRecord) => boolean): Promise<VerifyTicketResponse> {
      const bookingId = readTicketCode(code, key);
      const booking = bookingId ? await bookings.get(bookingId) : null;
      if (!booking) return { result: 'forged', message: 'Not a Movie Magic ticket: the code is forged or damaged.' };
      if (!allowed(booking)) return { result: 'forged', message: 'This ticket is not for your theatre.' };
      return judge(booking);
    },
  };
}
export type Tickets = ReturnType<typeof createTickets>;
