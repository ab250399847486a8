/**
 * Ticket codes: `MM1.<bookingId>.<signature>` (see signed-codes.ts). Tamper-evident
 * without a lookup; the store decides used/cancelled.
 */
import { readCode, signCode, type CodeKind } from './signed-codes.js';

const TICKET: CodeKind = { prefix: 'MM1', purpose: 'ticket', fields: 1 };

export const ticketCode = (bookingId: string, key: string): string => signCode(TICKET, [bookingId], key);

/** The booking id of a genuine code, or null for anything forged or malformed. */
export const readTicketCode = (code: string, key: string): string | null => readCode(TICKET, code, key)?.[0] ?? null;
