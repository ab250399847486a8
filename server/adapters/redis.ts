/**
 * Redis for several processes: the Socket.IO adapter (one room spans every
 * process) and the per-show broadcast sequence (INCR). If Redis goes away the
 * process keeps serving as a single process: versions fall back to a local
 * counter (clients see a gap and resync) and the failure is logged once.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import type { VersionCounter } from '../ports.js';
import type { AppServer } from '../transport/socket.js';
import { createMemoryVersions } from './versions.js';

export interface RedisLink {
  versions: VersionCounter;
  configureIo(io: AppServer): void;
  close(): Promise<void>;
}

const versionKey = (showId: string) => `moviemagic:version:${showId}`;
const COMMAND_TIMEOUT_MS = 500;

export async function connectRedis(url: string, logger: Logger): Promise<RedisLink> {
  const pub = createClient({
    url,
    socket: { connectTimeout: 3000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000) },
  });
  const sub = pub.duplicate();
  let healthy = true;
  for (const [name, client] of [['pub', pub], ['sub', sub]] as const) {
    client.on('error', (err: Error) => {
      if (healthy) logger.error({ err: err.message, client: name }, 'Redis unavailable: serving as a single process until it is back');
      healthy = false;
    });
    client.on('ready', () => {
      if (!healthy) logger.info({ client: name }, 'Redis is back: rooms and versions are shared again');
      healthy = true;
    });
  }
  await Promise.all([pub.connect(), sub.connect()]);

  const local = createMemoryVersions();
  const withFallback = async (op: () => Promise<number>, fallback: () => Promise<number>) => {
    if (!healthy) return fallback();
    try {
      return await Promise.race([
        op(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Redis command timed out')), COMMAND_TIMEOUT_MS).unref()),
      ]);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'Redis version counter failed: using the local one');
      return fallback();
    }
  };

  return {
    versions: {
      next: (showId) => withFallback(() => pub.incr(versionKey(showId)), () => local.next(showId)),
      current: (showId) =>
        withFallback(async () => Number((await pub.get(versionKey(showId))) ?? 0), () => local.current(showId)),
    },
    configureIo(io) {
      io.adapter(createAdapter(pub, sub));
    },
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
