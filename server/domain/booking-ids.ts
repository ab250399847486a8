/**
 * A booking's id is derived from its owner and idempotency key (an HMAC under a server key):
 * the same key always names the same booking, so the booking item's own "does not exist yet"
 * condition is the idempotency check, and ids cannot be guessed from each other.
 */
import { createHmac } from 'node:crypto';

export function bookingIdFor(secret: string, userId: string, idempotencyKey: string): string {
  return `bk_${createHmac('sha256', secret).update(`booking\0${userId}\0${idempotencyKey}`).digest('hex').slice(0, 20)}`;
}
