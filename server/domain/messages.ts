/** The words of every notification, built from the booking alone (pure). */
import type { BookingRecord, MailMessage } from '../ports.js';

export type NotificationKind = 'booking.confirmed' | 'booking.cancelled';

export function formatMoney(minor: number, currency: string): string {
  const symbol = currency === 'INR' ? '₹' : `${currency} `;
  return `${symbol}${(minor / 100).toFixed(2)}`;
}

/** "Sat, 28 Nov 2026, 6:30 pm IST (Asia/Kolkata)": the theatre's local time, zone spelled out. */
export function formatLocal(startsAtIso: string, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-IN', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(startsAtIso));
  return `${text} (${timeZone})`;
}

function details(b: BookingRecord): string[] {
  return [
    `Booking:  ${b.id}`,
    `Movie:    ${b.show.movieTitle} (${b.show.language})`,
    `Theatre:  ${b.show.theatreName}, ${b.show.screenName}`,
    `Address:  ${b.show.theatreAddress}`,
    `When:     ${formatLocal(b.show.startsAt, b.show.timeZone)}`,
    `Seats:    ${b.seats.join(', ')}`,
  ];
}

export function notificationMessage(
  kind: NotificationKind,
  b: BookingRecord,
  to: string,
  links: { publicUrl: string },
): MailMessage {
  const page = `${links.publicUrl}/bookings/${b.id}`;
  if (kind === 'booking.confirmed') {
    return {
      id: `${kind}:${b.id}`,
      kind,
      to,
      subject: `Booking confirmed: ${b.show.movieTitle}, ${b.seats.join(', ')}`,
      text: [
        `Your booking is confirmed.`,
        '',
        ...details(b),
        `Tickets:  ${formatMoney(b.breakdown.tickets, b.currency)}`,
        `Fee:      ${formatMoney(b.breakdown.convenienceFee, b.currency)}`,
        `Tax:      ${formatMoney(b.breakdown.tax, b.currency)}`,
        `Total:    ${formatMoney(b.total, b.currency)}`,
        '',
        `Your ticket: ${page}`,
        `PDF ticket (sign in first): ${links.publicUrl}/api/bookings/${b.id}/ticket.pdf`,
      ].join('\n'),
    };
  }
  const refund = b.refund ?? { percent: 0, amount: 0 };
  return {
    id: `${kind}:${b.id}`,
    kind,
    to,
    subject: `Booking cancelled: ${b.show.movieTitle}, ${b.seats.join(', ')}`,
    text: [
      `Your booking has been cancelled and the seats released.`,
      '',
      ...details(b),
      `Paid:     ${formatMoney(b.total, b.currency)}`,
      `Refund:   ${formatMoney(refund.amount, b.currency)} (${refund.percent}%)`,
      '',
      `Details: ${page}`,
    ].join('\n'),
  };
}
