/**
 * The change feed across processes, in Redis. One Lua script gives a show's next version,
 * keeps the message in the show's stream under that version (for replay) and publishes it,
 * atomically: publish order is version order, and every subscriber connection receives
 * messages in publish order. A process that misses one (a dropped connection) sees the gap
 * and replays it from the stream.
 *
 * When Redis is unreachable the process carries on alone: versions continue from the last
 * one it saw and its messages are delivered only here (other processes do the same). When
 * Redis is back, every version counter is moved past what was given meanwhile and every room
 * reloads, so clients see a jump (never a step back) and resync.
 */
import type { Logger } from 'pino';
import type { SeatChangeRecord, SeatEntry } from '../../domain/seat-state.js';
import type { ChangeFeed, FeedMessage } from '../../ports.js';

/** The part of a node-redis client the feed uses. */
export interface FeedClient {
  eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
  get(key: string): Promise<string | null>;
  xRange(key: string, start: string, end: string): Promise<{ id: string; message: Record<string, unknown> }[] | null>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  on(event: 'ready' | 'error', listener: (err?: unknown) => void): unknown;
}

export const FEED_CHANNEL = 'moviemagic:feed';
const versionKey = (showId: string) => `moviemagic:{${showId}}:version`;
const streamKey = (showId: string) => `moviemagic:{${showId}}:changes`;
/** Messages kept per show for replay (approximate trim), and how long an idle show's keys live. */
const STREAM_KEEP = 2000;
const KEYS_TTL_MS = 7 * 86_400_000;
/** A command slower than this counts as Redis being unavailable (a busy Redis answers in microseconds). */
const COMMAND_TIMEOUT_MS = 2000;
/** While degraded, how often Redis is tried again (a timeout fires no connection event to recover on). */
const PROBE_MS = 1000;

const APPEND = `
local v = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], v .. '-1', 'm', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[1] .. '|' .. v .. '|' .. ARGV[2])
return v`;
/** Moves a version counter up to at least ARGV[1] (never down). */
const RAISE = `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return v`;

const STATUS = { held: 'h', booked: 'b', free: 'f' } as const;
const FROM_CODE = { h: 'held', b: 'booked', f: 'free' } as const;

export function encodeChanges(changes: SeatChangeRecord[]): string {
  return JSON.stringify(changes.map(({ seatId, entry: e }) => [seatId, STATUS[e.status], e.at, e.userId ?? 0, e.expiresAt ?? 0, e.bookingId ?? 0]));
}

export function decodeChanges(payload: string): SeatChangeRecord[] {
  const rows = JSON.parse(payload) as [string, 'h' | 'b' | 'f', number, string | 0, number, string | 0][];
  return rows.map(([seatId, s, at, userId, expiresAt, bookingId]) => {
    const entry: SeatEntry = { status: FROM_CODE[s], at };
    if (userId) entry.userId = userId;
    if (expiresAt) entry.expiresAt = expiresAt;
    if (bookingId) entry.bookingId = bookingId;
    return { seatId, entry };
  });
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Redis command timed out')), COMMAND_TIMEOUT_MS).unref()),
  ]);
}

export async function createRedisFeed(pub: FeedClient, sub: FeedClient, logger: Logger): Promise<ChangeFeed & { readonly degraded: boolean }> {
  const handlers: ((m: FeedMessage) => void)[] = [];
  const resetHandlers: (() => void)[] = [];
  /** The highest version seen per show: where a degraded process continues from. */
  const seen = new Map<string, number>();
  let degraded = false;
  /** The subscription dropped: messages published meanwhile never reached this process. */
  let missedMessages = false;

  const note = (showId: string, version: number) => {
    if (version > (seen.get(showId) ?? 0)) seen.set(showId, version);
  };
  const deliver = (m: FeedMessage) => {
    note(m.showId, m.version);
    for (const h of handlers) h(m);
  };

  let probe: NodeJS.Timeout | null = null;
  function degrade(err: unknown) {
    if (!degraded) logger.error({ err: (err as Error).message }, 'change feed: Redis unavailable, this process carries on alone until it is back');
    degraded = true;
    probe ??= setInterval(() => void recover(), PROBE_MS);
    probe.unref?.();
  }

  async function recover() {
    if (!degraded && !missedMessages) return;
    try {
      await withTimeout(Promise.all([...seen].map(([showId, v]) => pub.eval(RAISE, { keys: [versionKey(showId)], arguments: [String(v), String(KEYS_TTL_MS)] }))));
      degraded = false;
      missedMessages = false;
      if (probe) clearInterval(probe);
      probe = null;
      logger.info('change feed: Redis is back; rooms reload and clients resync');
      for (const h of resetHandlers) h();
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'change feed: Redis not ready yet');
    }
  }
  pub.on('ready', () => void recover());
  sub.on('ready', () => void recover());
  pub.on('error', degrade);
  sub.on('error', () => (missedMessages = true));

  await sub.subscribe(FEED_CHANNEL, (raw: string) => {
    const first = raw.indexOf('|');
    const second = raw.indexOf('|', first + 1);
    const showId = raw.slice(0, first);
    const version = Number(raw.slice(first + 1, second));
    try {
      deliver({ showId, version, changes: decodeChanges(raw.slice(second + 1)) });
    } catch (err) {
      logger.error({ err, showId, version }, 'change feed: unreadable message');
    }
  });

  return {
    get degraded() {
      return degraded;
    },
    async append(showId, changes) {
      const payload = encodeChanges(changes);
      if (!degraded) {
        try {
          const v = Number(
            await withTimeout(
              pub.eval(APPEND, {
                keys: [versionKey(showId), streamKey(showId)],
                arguments: [showId, payload, String(STREAM_KEEP), String(KEYS_TTL_MS), FEED_CHANNEL],
              }),
            ),
          );
          note(showId, v);
          return v;
        } catch (err) {
          degrade(err);
        }
      }
      const version = (seen.get(showId) ?? 0) + 1;
      deliver({ showId, version, changes });
      return version;
    },
    async current(showId) {
      if (!degraded) {
        try {
          const v = Number((await withTimeout(pub.get(versionKey(showId)))) ?? 0);
          note(showId, v);
          return Math.max(v, seen.get(showId) ?? 0);
        } catch (err) {
          degrade(err);
        }
      }
      return seen.get(showId) ?? 0;
    },
    async replay(showId, from, to) {
      if (degraded || from > to) return [];
      const entries = await withTimeout(pub.xRange(streamKey(showId), `${from}-1`, `${to}-1`));
      return (entries ?? []).map((e) => ({ showId, version: Number(e.id.split('-')[0]), changes: decodeChanges(String(e.message.m)) }));
    },
    subscribe(handler) {
      handlers.push(handler);
    },
    onReset(handler) {
      resetHandlers.push(handler);
    },
  };
}
