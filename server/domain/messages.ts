/** The words of every notification, built from the booking alone (pure). */
import type { BookingRecord, MailMessage, NotificationKind } from '../ports.js';

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
  kind: Extract<NotificationKind, `booking.${string}`>,
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

export type AccountNotice =
  | { kind: 'account.verify-email'; link: string; validUntil: string }
  | { kind: 'account.password-reset'; link: string; validUntil: string }
  | { kind: 'account.password-changed'; at: string; resetLink: string };

/** Account mails: the links in them are the whole point, so they come first and alone on a line. */
export function accountMessage(id: string, to: string, name: string, notice: AccountNotice): MailMessage {
  const base = { id, kind: notice.kind, to };
  switch (notice.kind) {
    case 'account.verify-email':
      return {
        ...base,
        subject: 'Confirm your email for Movie Magic',
        text: [
          `Hi ${name},`,
          '',
          'Please confirm this is your email address by opening this link:',
          '',
          notice.link,
          '',
          `The link works until ${notice.validUntil} (UTC). Until then you can browse and hold seats; confirming a booking needs a confirmed email.`,
          'If you did not sign up for Movie Magic, ignore this mail.',
        ].join('\n'),
      };
    case 'account.password-reset':
      return {
        ...base,
        subject: 'Reset your Movie Magic password',
        text: [
          `Hi ${name},`,
          '',
          'Someone (we hope you) asked to reset your password. Choose a new one here:',
          '',
          notice.link,
          '',
          `The link works once, until ${notice.validUntil} (UTC). Asking again replaces it.`,
          'If you did not ask, ignore this mail: your password stays as it is.',
        ].join('\n'),
      };
    case 'account.password-changed':
      return {
        ...base,
        subject: 'Your Movie Magic password was changed',
        text: [
          `Hi ${name},`,
          '',
          `Your password was changed at ${notice.at} (UTC), and every other device was signed out.`,
          '',
          `If this was not you, reset your password now: ${notice.resetLink}`,
        ].join('\n'),
      };
  }
}
