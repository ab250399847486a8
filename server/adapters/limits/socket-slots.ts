/**
 * The per-user socket cap. In Redis: one sorted set per user of socket ids, each scored by
 * its lease's expiry (Redis's own clock, so hosts' clocks do not matter). A Lua script drops
 * lapsed members and adds the new one only while the user has fewer than the cap, in one
 * step, so simultaneous handshakes on several processes never share the last slot. Each
 * process renews the leases of its own sockets and removes them when they close; the
 * sockets of a process that died lapse within a lease.
 *
 * While Redis cannot answer, a process admits by its own sockets of the user (as a single
 * process would) and says so in the log; its leases are renewed again once Redis is back.
 */
import type { SocketSlots } from '../../ports.js';

/** The part of a node-redis client the slots use. */
export interface SlotsClient {
  eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
  readonly isReady: boolean;
}

export const DEFAULT_LEASE_MS = 30_000;
const REDIS_TIMEOUT_MS = 500;
const slotsKey = (userId: string) => `moviemagic:{user:${userId}}:sockets`;

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
/** ARGV: socket id, cap, lease ms. 1 = taken (or already held), 0 = the user is at the cap. */
const TAKE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;
/** ARGV: lease ms, then socket ids. Re-adds lapsed ones too: those sockets are still open. */
const RENEW = `${NOW}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;
const FREE = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

export function createMemorySlots(maxPerUser: number): SocketSlots {
  const held = new Map<string, Set<string>>();
  return {
    async take(userId, socketId) {
      const mine = held.get(userId) ?? new Set<string>();
      if (!mine.has(socketId) && mine.size >= maxPerUser) return false;
      held.set(userId, mine.add(socketId));
      return true;
    },
    async free(userId, socketId) {
      const mine = held.get(userId);
      mine?.delete(socketId);
      if (mine?.size === 0) held.delete(userId);
    },
  };
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Redis command timed out')), REDIS_TIMEOUT_MS).unref()),
  ]);
}

export function createRedisSlots(
  client: SlotsClient,
  maxPerUser: number,
  opts: { leaseMs?: number; onFallback: (err: unknown) => void },
): SocketSlots & { stop(): void } {
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  /** This process's sockets per user, whether Redis granted their slots or this process alone did. */
  const mine = new Map<string, Set<string>>();
  const run = (script: string, userId: string, args: (string | number)[]) =>
    withTimeout(client.eval(script, { keys: [slotsKey(userId)], arguments: args.map(String) }));

  /** Redis's answer; null when it cannot give one. */
  async function takeShared(userId: string, socketId: string): Promise<boolean | null> {
    if (!client.isReady) {
      opts.onFallback(new Error('Redis is not connected'));
      return null;
    }
    try {
      return (await run(TAKE, userId, [socketId, maxPerUser, leaseMs])) === 1;
    } catch (err) {
      opts.onFallback(err);
      return null;
    }
  }
  const takeLocal = (userId: string, socketId: string) => {
    const have = mine.get(userId);
    return !!have?.has(socketId) || (have?.size ?? 0) < maxPerUser;
  };

  const renew = setInterval(() => {
    if (!client.isReady) return;
    for (const [userId, sockets] of mine) run(RENEW, userId, [leaseMs, ...sockets]).catch(opts.onFallback);
  }, Math.max(100, Math.floor(leaseMs / 3)));
  renew.unref();

  return {
    async take(userId, socketId) {
      const shared = await takeShared(userId, socketId);
      const granted = shared ?? takeLocal(userId, socketId);
      if (granted) mine.set(userId, (mine.get(userId) ?? new Set<string>()).add(socketId));
      // A take that timed out may still land in Redis: take it back, after it (one connection keeps the order).
      else if (shared === null && client.isReady) run(FREE, userId, [socketId]).catch(() => undefined);
      return granted;
    },
    async free(userId, socketId) {
      const sockets = mine.get(userId);
      sockets?.delete(socketId);
      if (sockets?.size === 0) mine.delete(userId);
      // Not connected: the member lapses with its lease, which nobody renews any more.
      if (client.isReady) await run(FREE, userId, [socketId]).catch(opts.onFallback);
    },
    stop: () => clearInterval(renew),
  };
}
