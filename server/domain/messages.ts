/** The words of every notification, built from the booking alone (pure). */
import type { BookingRecord, MailMessage, NotificationKind } from './types.js';

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

/** What a confirmation carries besides the booking: the ticket code and a signed PDF link. */
export interface TicketInMail {
  code: string;
  /** Opens the PDF without signing in. */
  pdfUrl: string;
  /** When the link stops working (the show's end), in the theatre's words. */
  validUntil: string;
}

/** The content id of the QR image part that the HTML confirmation shows inline. */
export const TICKET_QR_CID = 'ticket-qr@moviemagic';

export function notificationMessage(
  kind: Extract<NotificationKind, `booking.${string}`>,
  b: BookingRecord,
  to: string,
  links: { publicUrl: string; ticket?: TicketInMail },
): MailMessage {
  const page = `${links.publicUrl}/bookings/${b.id}`;
  if (kind === 'booking.confirmed') {
    const ticket = links.ticket;
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
        ...(ticket ? [`PDF ticket: ${ticket.pdfUrl}`, `(The PDF link opens without signing in, until the show ends: ${ticket.validUntil}.)`] : []),
      ].join('\n'),
      ...(ticket ? { html: confirmationHtml(b, page, ticket) } : {}),
    };
  }
  if (kind === 'booking.expired') {
    return {
      id: `${kind}:${b.id}`,
      kind,
      to,
      subject: `Time ran out: ${b.show.movieTitle}, ${b.seats.join(', ')}`,
      text: [
        `We did not receive your payment in time, so the seats were released. Nothing was charged.`,
        `If money does leave your account, it is refunded in full automatically.`,
        '',
        ...details(b),
        '',
        `Details: ${page}`,
      ].join('\n'),
    };
  }
  if (kind === 'booking.refunded') {
    const paid = b.payment?.amount ?? b.total;
    return {
      id: `${kind}:${b.id}`,
      kind,
      to,
      subject: `Refund on its way: ${b.show.movieTitle}`,
      text: [
        `Your payment arrived after the time to pay ran out, and the seats had been taken by then.`,
        `We are refunding it in full: ${formatMoney(paid, b.payment?.currency ?? b.currency)}. Banks usually take 5-7 working days.`,
        '',
        ...details(b),
        '',
        `Details: ${page}`,
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

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The HTML confirmation: the booking, the QR inline (cid:TICKET_QR_CID), the PDF link.
 * Inline styles and a table layout, as mail clients need; every value goes through escapeHtml.
 */
export function confirmationHtml(b: BookingRecord, page: string, ticket: TicketInMail): string {
  const e = escapeHtml;
  const row = (label: string, value: string, strong = false) =>
    `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:6px 12px 6px 0;color:#555;font-weight:normal;white-space:nowrap">${e(label)}</th>` +
    `<td style="padding:6px 0;${strong ? 'font-weight:bold;font-size:17px;' : ''}">${e(value)}</td></tr>`;
  const money = (label: string, minor: number, strong = false) =>
    `<tr><td style="padding:3px 0;color:#555">${e(label)}</td><td style="padding:3px 0;text-align:right;${strong ? 'font-weight:bold;' : ''}">${e(formatMoney(minor, b.currency))}</td></tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(`Booking confirmed: ${b.show.movieTitle}`)}</title></head>
<body style="margin:0;padding:0;background:#f4f1ec;color:#111;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;line-height:1.45">
<div style="max-width:560px;margin:0 auto;padding:16px">
<div style="background:#fff;border:1px solid #e5ded3;border-radius:12px;overflow:hidden">
<div style="background:#b4232f;color:#fff;padding:12px 20px;font-size:13px;font-weight:bold">MOVIE MAGIC · E-TICKET</div>
<div style="padding:20px">
<p style="margin:0 0 6px;color:#2b8a3e;font-weight:bold">Your booking is confirmed.</p>
<h1 style="margin:0 0 2px;font-size:24px;line-height:1.2">${e(b.show.movieTitle)}</h1>
<p style="margin:0 0 14px;color:#555">${e(b.show.language)} · ${e(b.show.screenName)}</p>
<table role="presentation" style="border-collapse:collapse;width:100%;font-size:15px">
${row('When', formatLocal(b.show.startsAt, b.show.timeZone))}
${row('Theatre', `${b.show.theatreName}, ${b.show.screenName}`)}
${row('Address', b.show.theatreAddress)}
${row('Seats', b.seats.join(', '), true)}
${row('Booking', b.id)}
</table>
<div style="text-align:center;margin:22px 0 6px">
<img src="cid:${e(TICKET_QR_CID)}" width="220" height="220" alt="${e(`Ticket QR code for booking ${b.id}`)}" style="display:block;margin:0 auto;width:220px;height:220px">
<p style="margin:6px 0 0;font-family:ui-monospace,Menlo,monospace;font-size:11px;color:#666;word-break:break-all">${e(ticket.code)}</p>
<p style="margin:8px 0 0;font-size:14px">Show this code at the door. One entry per booking.</p>
</div>
<p style="text-align:center;margin:18px 0 4px"><a href="${e(ticket.pdfUrl)}" style="display:inline-block;background:#b4232f;color:#fff;text-decoration:none;font-weight:bold;padding:12px 22px;border-radius:8px">Open your ticket (PDF)</a></p>
<p style="text-align:center;margin:0 0 18px;font-size:13px;color:#555">The PDF is attached too. The link works without signing in until the show ends (${e(ticket.validUntil)}).</p>
<table role="presentation" style="border-collapse:collapse;width:100%;font-size:14px;border-top:1px solid #eee">
${money('Tickets', b.breakdown.tickets)}
${money('Convenience fee', b.breakdown.convenienceFee)}
${money('Tax', b.breakdown.tax)}
${money('Total', b.total, true)}
</table>
<p style="margin:16px 0 0;font-size:14px"><a href="${e(page)}" style="color:#b4232f">Your booking page</a> (sign in to see or cancel it).</p>
</div></div>
<p style="font-size:12px;color:#777;text-align:center;margin:12px 0">Movie Magic · ${e(b.show.theatreName)}</p>
</div></body></html>`;
}
