/**
 * Redis for several processes: the Socket.IO adapter (a user's sockets and the show rooms
 * span every process, for cart updates and session ends), the ordered change feed of every
 * show, and the limits every process counts together (rate limits, the per-user socket
 * cap). If Redis goes away the process keeps serving as a single process (see
 * feed/redis-feed.ts and limits/) and the failure is logged once.
 */
import { createRedisLine, type LineClient } from './queue/redis-line.js';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import type { ChangeFeed, QueueLine, LimitStore } from '../ports.js';
import type { AppServer } from '../transport/socket/index.js';
import { createRedisFeed, type FeedClient } from './feed/redis-feed.js';
import { createRedisLimits } from './limits/index.js';
import type { SlotsClient } from './limits/socket-slots.js';

export interface RedisLink {
  feed: ChangeFeed;
  /** Rate limits and the socket cap, shared by every process (a client of their own). */
  limits: LimitStore;
  queueLine: QueueLine;
  configureIo(io: AppServer): void;
  close(): Promise<void>;
}

export async function connectRedis(url: string, logger: Logger): Promise<RedisLink> {
  const client = () =>
    createClient({ url, socket: { connectTimeout: 3000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000) } });
  const pub = client();
  const sub = pub.duplicate();
  const feedPub = pub.duplicate();
  const feedSub = pub.duplicate();
  const limitsClient = pub.duplicate();
  const all = [['pub', pub], ['sub', sub], ['feed', feedPub], ['feed-sub', feedSub], ['limits', limitsClient]] as const;
  let healthy = true;
  for (const [name, c] of all) {
    c.on('error', (err: Error) => {
      if (healthy) logger.error({ err: err.message, client: name }, 'Redis unavailable: serving as a single process until it is back');
      healthy = false;
    });
    c.on('ready', () => {
      if (!healthy) logger.info({ client: name }, 'Redis is back: rooms and the change feed are shared again');
      healthy = true;
    });
  }
  await Promise.all(all.map(([, c]) => c.connect()));
  const feed = await createRedisFeed(feedPub as unknown as FeedClient, feedSub as unknown as FeedClient, logger);
  const limits = createRedisLimits(limitsClient as unknown as SlotsClient, logger);

  return {
    feed,
    limits,
    /** The waiting rooms' lines (sharing the limits' connection: short Lua calls). */
    queueLine: createRedisLine(limitsClient as unknown as LineClient),
    configureIo(io) {
      io.adapter(createAdapter(pub, sub));
    },
    async close() {
      limits.close();
      await Promise.allSettled(all.map(([, c]) => c.quit()));
    },
  };
}
