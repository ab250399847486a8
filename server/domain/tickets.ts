/**
 * Ticket codes: `MM1.<bookingId>.<signature>`, an HMAC-SHA256 (truncated to 128 bits)
 * over the booking id. Tamper-evident without a lookup; the store decides used/cancelled.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'MM1';

export function ticketCode(bookingId: string, key: string): string {
  return `${PREFIX}.${bookingId}.${signature(bookingId, key)}`;
}

/** The booking id of a genuine code, or null for anything forged or malformed. */
export function readTicketCode(code: string, key: string): string | null {
  const parts = code.trim().split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX || !/^[A-Za-z0-9_-]{1,64}$/.test(parts[1]!)) return null;
  const expected = Buffer.from(signature(parts[1]!, key));
  const given = Buffer.from(parts[2]!);
  return given.length === expected.length && timingSafeEqual(given, expected) ? parts[1]! : null;
}

function signature(bookingId: string, key: string): string {
  return createHmac('sha256', `ticket:${key}`).update(bookingId).digest().subarray(0, 16).toString('base64url');
}
