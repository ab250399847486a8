/** The change feed of a single process: versions counted here, every message delivered at once. */
import type { SeatChangeRecord } from '../../domain/seat-state.js';
import type { ChangeFeed, FeedMessage } from '../../ports.js';

/** Recent messages kept per show for replay (a gap never happens here, but the contract holds). */
const KEEP = 256;

export function createMemoryFeed(): ChangeFeed {
  const versions = new Map<string, number>();
  const recent = new Map<string, FeedMessage[]>();
  const handlers: ((m: FeedMessage) => void)[] = [];
  return {
    async append(showId: string, changes: SeatChangeRecord[]) {
      const version = (versions.get(showId) ?? 0) + 1;
      versions.set(showId, version);
      const m = { showId, version, changes };
      const kept = recent.get(showId) ?? [];
      kept.push(m);
      if (kept.length > KEEP) kept.shift();
      recent.set(showId, kept);
      for (const h of handlers) h(m);
      return version;
    },
    async current(showId) {
      return versions.get(showId) ?? 0;
    },
    async replay(showId, from, to) {
      return (recent.get(showId) ?? []).filter((m) => m.version >= from && m.version <= to);
    },
    subscribe(handler) {
      handlers.push(handler);
    },
    onReset() {},
  };
}
