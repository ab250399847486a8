/** Confirmation messages for bookings, sent through the configured Notifier. */
import type { Logger } from 'pino';
import type { BookingRecord, Notifier, UserStore } from '../ports.js';

export function formatMoney(minor: number, currency: string): string {
  const symbol = currency === 'INR' ? '₹' : `${currency} `;
  return `${symbol}${(minor / 100).toFixed(2)}`;
}

export function formatLocal(startsAtIso: string, timeZone: string): string {
  const d = new Date(startsAtIso);
  const text = new Intl.DateTimeFormat('en-IN', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(d);
  return `${text} (${timeZone})`;
}

export function confirmationText(b: BookingRecord, publicUrl: string): { subject: string; text: string } {
  const subject = `Booking confirmed: ${b.show.movieTitle}, ${b.seats.join(', ')}`;
  const text = [
    `Your booking ${b.id} is confirmed.`,
    '',
    `Movie:    ${b.show.movieTitle} (${b.show.language})`,
    `Theatre:  ${b.show.theatreName}, ${b.show.screenName}`,
    `Address:  ${b.show.theatreAddress}`,
    `When:     ${formatLocal(b.show.startsAt, b.show.timeZone)}`,
    `Seats:    ${b.seats.join(', ')}`,
    `Tickets:  ${formatMoney(b.breakdown.tickets, b.currency)}`,
    `Fee:      ${formatMoney(b.breakdown.convenienceFee, b.currency)}`,
    `Tax:      ${formatMoney(b.breakdown.tax, b.currency)}`,
    `Total:    ${formatMoney(b.total, b.currency)}`,
    '',
    `Your ticket: ${publicUrl}/bookings/${b.id}`,
  ].join('\n');
  return { subject, text };
}

export function createConfirmations(deps: { users: UserStore; notifier: Notifier; logger: Logger; publicUrl: string }) {
  const { users, notifier, logger, publicUrl } = deps;
  const pending = new Set<Promise<void>>();

  async function deliver(booking: BookingRecord) {
    const user = await users.get(booking.userId);
    if (!user) return;
    const { subject, text } = confirmationText(booking, publicUrl);
    const message = { id: `booking-confirmed-${booking.id}`, kind: 'booking.confirmed', to: user.email, subject, text };
    for (let attempt = 1; ; attempt++) {
      try {
        await notifier.send(message);
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }

  return {
    bookingConfirmed(booking: BookingRecord) {
      const p = deliver(booking)
        .catch((err) => logger.error({ err, bookingId: booking.id }, 'confirmation not delivered'))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    /** Waits for sends in flight (graceful shutdown, tests). */
    async drain() {
      await Promise.all([...pending]);
    },
  };
}
