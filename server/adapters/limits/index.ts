/** The limits of one process (memory) or of every process sharing a Redis. */
import type { Logger } from 'pino';
import type { LimitStore } from '../../ports.js';
import { createMemoryLimiter, createRedisLimiter } from './rate-limits.js';
import { createMemorySlots, createRedisSlots, type SlotsClient } from './socket-slots.js';

export function createMemoryLimits(): LimitStore {
  return {
    limiter: (name, policy) => createMemoryLimiter(name, policy),
    socketSlots: (max) => createMemorySlots(max),
    close: () => undefined,
  };
}

/** Logs once a minute at most while limits are counted in this process because Redis does not answer. */
function fallbackLog(logger: Logger, what: string, consequence: string) {
  let last = -Infinity;
  return (err?: unknown) => {
    if (Date.now() - last < 60_000) return;
    last = Date.now();
    logger.warn({ err: err instanceof Error ? err.message : undefined }, `Redis unavailable: ${what} counted per process (${consequence}) until it answers again`);
  };
}

/** `client`: a node-redis client of the limits' own (its commands are not queued behind the adapter's). */
export function createRedisLimits(client: SlotsClient, logger: Logger, opts: { leaseMs?: number } = {}): LimitStore {
  const rateFallback = fallbackLog(logger, 'rate limits', 'with N processes up to N times looser');
  const slotsFallback = fallbackLog(logger, 'the socket cap', 'a user may get the cap on each process');
  const slots: ReturnType<typeof createRedisSlots>[] = [];
  return {
    limiter: (name, policy, o) => (o?.local ? createMemoryLimiter(name, policy) : createRedisLimiter(client, name, policy, rateFallback)),
    socketSlots(max) {
      const s = createRedisSlots(client, max, { leaseMs: opts.leaseMs, onFallback: slotsFallback });
      slots.push(s);
      return s;
    },
    close() {
      for (const s of slots) s.stop();
    },
  };
}
