/**
 * Token buckets keyed by anything (an IP, an account, a socket), on an injected clock.
 * Pure bookkeeping: no timers, no I/O. Idle full buckets are pruned as keys churn.
 */
import type { Clock } from './types.js';

export interface BucketPolicy {
  /** Requests allowed in a burst. */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

export function createRateLimiter(policy: BucketPolicy, clock: Clock, maxKeys = 100_000) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one token for `key`; returns the ms to wait when there is none (0 = allowed). */
    take(key: string): number {
      const now = clock.now();
      const b = buckets.get(key) ?? { tokens: policy.burst, at: now };
      b.tokens = Math.min(policy.burst, b.tokens + ((now - b.at) / 1000) * policy.perSecond);
      b.at = now;
      buckets.delete(key);
      buckets.set(key, b);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - b.tokens) / policy.perSecond) * 1000);
    },
    forget(key: string) {
      buckets.delete(key);
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
