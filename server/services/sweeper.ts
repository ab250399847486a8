/**
 * Releases expired holds and broadcasts the release. Each delete is conditional on
 * the exact hold it saw, so sweepers in several processes never double-release.
 */
import type { Logger } from 'pino';
import type { SeatChangeRecord } from '../domain/seat-state.js';
import type { Clock, SeatStore } from '../ports.js';

export interface SweeperDeps {
  seats: SeatStore;
  clock: Clock;
  /** Announces freed seats (through the show's room, or the feed). */
  changed: (showId: string, changes: SeatChangeRecord[]) => Promise<void>;
  writeTime: (atLeast?: number) => number;
  logger: Logger;
  batch?: number;
}

export function createSweeper(deps: SweeperDeps) {
  const { seats, clock, logger } = deps;
  const batch = deps.batch ?? 200;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function sweepOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = clock.now();
      const expired = await seats.expiredHolds(now, batch);
      if (expired.length === 0) break;
      const released = await Promise.all(
        expired.map(async (r) => {
          const at = await seats.releaseExpired(r, now, deps.writeTime(r.at + 0.001));
          return at === null ? null : { ...r, at };
        }),
      );
      const byShow = new Map<string, SeatChangeRecord[]>();
      for (const r of released) {
        if (!r) continue;
        const list = byShow.get(r.showId) ?? [];
        list.push({ seatId: r.seatId, entry: { status: 'free', at: r.at } });
        byShow.set(r.showId, list);
      }
      await Promise.all([...byShow].map(([showId, changes]) => deps.changed(showId, changes)));
      const count = released.filter(Boolean).length;
      total += count;
      if (expired.length < batch || count === 0) break;
    }
    if (total > 0) logger.info({ released: total }, 'released expired holds');
    return total;
  }

  /** Runs one sweep, or joins the one already running. */
  const sweep = () => (running ??= sweepOnce().finally(() => (running = null)));

  return {
    sweep,
    start(intervalMs: number) {
      timer ??= setInterval(() => {
        sweep().catch((err) => logger.warn({ err }, 'sweep failed; will retry'));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
