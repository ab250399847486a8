/**
 * Remembers each user's cart after this process wrote it, to skip a consistent read
 * before the next hold/release/confirm. Safe because every cart write is conditional
 * on the cached `rev`: a stale entry fails that condition and the caller re-reads.
 * Answers that involve no write (limits, expiry, no holds) must use a fresh read.
 */
import type { Cart } from '../domain/holds.js';
import type { SeatStore } from '../ports.js';

export function createCartCache(store: SeatStore, limit = 50_000) {
  const entries = new Map<string, Cart | null>();
  const key = (showId: string, userId: string) => `${showId}|${userId}`;
  return {
    async get(showId: string, userId: string, fresh: boolean): Promise<Cart | null> {
      const k = key(showId, userId);
      if (!fresh && entries.has(k)) return entries.get(k)!;
      const cart = await store.getCart(showId, userId);
      this.set(showId, userId, cart);
      return cart;
    },
    set(showId: string, userId: string, cart: Cart | null) {
      const k = key(showId, userId);
      entries.delete(k); // re-insert: Map order is our LRU order
      entries.set(k, cart);
      if (entries.size > limit) entries.delete(entries.keys().next().value!);
    },
    forget(showId: string, userId: string) {
      entries.delete(key(showId, userId));
    },
  };
}
export type CartCache = ReturnType<typeof createCartCache>;
