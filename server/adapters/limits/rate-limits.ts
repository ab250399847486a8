/**
 * Rate limits with rate-limiter-flexible: fixed windows (domain/rate-limit.ts maps our token
 * bucket policies onto them) counted atomically in Redis by every process, or in memory.
 * While Redis cannot answer, each process goes on counting on its own (an insurance limiter
 * in memory), so limiting never stops; it is only per process for that time.
 */
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts } from 'rate-limiter-flexible';
import { fixedWindowOf, type BucketPolicy } from '../../domain/rate-limit.js';
import type { Limiter } from '../../ports.js';

export const LIMIT_KEY_PREFIX = 'moviemagic:limit';
/** A limit check waits this long for Redis before it counts in this process instead. */
const REDIS_TIMEOUT_MS = 500;

interface Consumer {
  consume(key: string): Promise<RateLimiterRes>;
  delete(key: string): Promise<boolean>;
}

function limiterOf(consumer: Consumer, keyOf: (key: string) => string = (k) => k): Limiter {
  return {
    async take(key) {
      try {
        await consumer.consume(keyOf(key));
        return 0;
      } catch (err) {
        if (err instanceof RateLimiterRes) return Math.max(1, err.msBeforeNext);
        throw err;
      }
    },
    async forget(key) {
      await consumer.delete(keyOf(key));
    },
  };
}

export function createMemoryLimiter(name: string, policy: BucketPolicy): Limiter {
  const { points, durationSeconds } = fixedWindowOf(policy);
  return limiterOf(new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds }));
}

/** Redis keys carry a digest of the key, not the email or address itself. */
const digest = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 22);

/**
 * `client` is a node-redis client of its own (v6: `useRedisPackage`); `onFallback` is told
 * each time a check is counted in this process because Redis did not answer.
 */
export function createRedisLimiter(client: unknown, name: string, policy: BucketPolicy, onFallback: () => void): Limiter {
  const { points, durationSeconds: duration } = fixedWindowOf(policy);
  class Insurance extends RateLimiterMemory {
    override consume(...args: Parameters<RateLimiterMemory['consume']>) {
      onFallback();
      return super.consume(...args);
    }
  }
  const insurance = new Insurance({ keyPrefix: name, points, duration });
  const shared = new RateLimiterRedis({
    storeClient: client,
    useRedisPackage: true,
    // Not connected: count here at once, instead of queueing the command until Redis is back.
    rejectIfRedisNotReady: true,
    keyPrefix: `${LIMIT_KEY_PREFIX}:${name}`,
    points,
    duration,
    insuranceLimiter: insurance,
  });
  // Connected but not answering (overloaded, partitioned): the same, after a short wait.
  const bounded = new RLWrapperTimeouts({ limiter: shared, timeoutMs: REDIS_TIMEOUT_MS, insuranceLimiter: insurance });
  return limiterOf(bounded as unknown as Consumer, digest);
}
