/**
 * Ticket codes: `MM1.<bookingId>.<signature>` (see signed-codes.ts). Tamper-evident
 * without a lookup; the store decides used/cancelled.
 */
import { readCode, signCode, type CodeKind } from './signed-codes.js';

const TICKET: CodeKind = { prefix: 'MM1', purpose: 'ticket', fields: 1 };

export const ticketCode = (bookingId: string, key: string): string => signCode(TICKET, [bookingId], key);

/** The booking id of a genuine code, or null for anything forged or malformed. */
export const readTicketCode = (code: string, key: string): string | null => readCode(TICKET, code, key)?.[0] ?? null;

/**
 * Signed links to a ticket's PDF (`MMT1.<bookingId>.<expiry s>.<signature>`), for mails:
 * whoever has the link may open the PDF until it expires (the show's end).
 */
const TICKET_LINK: CodeKind = { prefix: 'MMT1', purpose: 'ticket-link', fields: 2 };

export const ticketLink = (bookingId: string, expiresAt: number, key: string): string =>
  signCode(TICKET_LINK, [bookingId, String(Math.floor(expiresAt / 1000))], key);

/** The booking id of a genuine link that has not expired at `now`, else null. */
export function readTicketLink(link: string, key: string, now: number): string | null {
  const fields = readCode(TICKET_LINK, link, key);
  if (!fields || !/^\d{1,12}$/.test(fields[1]!)) return null;
  return now < Number(fields[1]) * 1000 ? fields[0]! : null;
}
