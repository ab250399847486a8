/**
 * A change feed whose deliveries to this process are delayed, reordered and sometimes lost,
 * as a congested or flapping Redis connection would: the room must still apply every change
 * in version order (waiting, then replaying from the stream) and never send a watcher a
 * version out of order.
 */
import type { ChangeFeed, FeedMessage } from '../../server/ports.js';

export interface FeedFaults {
  /** Extra delay per message, ms (random in [0, maxDelayMs]): later messages overtake earlier ones. */
  maxDelayMs: number;
  /** Share of messages never delivered (only a replay brings them). */
  dropRate: number;
  random?: () => number;
}

export function withFeedFaults(feed: ChangeFeed, faults: FeedFaults) {
  const random = faults.random ?? Math.random;
  const stats = { delivered: 0, dropped: 0, overtaken: 0, replays: 0 };
  let lastDelivered = new Map<string, number>();
  const wrapped: ChangeFeed = {
    ...feed,
    append: (showId, changes) => feed.append(showId, changes),
    current: (showId) => feed.current(showId),
    onReset: (h) => feed.onReset(h),
    async replay(showId, from, to) {
      stats.replays++;
      return feed.replay(showId, from, to);
    },
    subscribe(handler) {
      feed.subscribe((m: FeedMessage) => {
        if (random() < faults.dropRate) {
          stats.dropped++;
          return;
        }
        setTimeout(() => {
          if ((lastDelivered.get(m.showId) ?? 0) > m.version) stats.overtaken++;
          lastDelivered.set(m.showId, Math.max(lastDelivered.get(m.showId) ?? 0, m.version));
          stats.delivered++;
          handler(m);
        }, random() * faults.maxDelayMs);
      });
    },
  };
  return { feed: wrapped, stats, reset: () => (lastDelivered = new Map()) };
}
