/**
 * Releases expired holds and broadcasts the release. Each delete is conditional on
 * the exact hold it saw, so sweepers in several processes never double-release.
 */
import type { Logger } from 'pino';
import type { SeatChange } from '../../protocol/index.js';
import type { Clock, SeatStore } from '../ports.js';
import type { SeatEvents } from './seats.js';

export function createSweeper(deps: { seats: SeatStore; clock: Clock; events: SeatEvents; logger: Logger; batch?: number }) {
  const { seats, clock, events, logger } = deps;
  const batch = deps.batch ?? 200;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function sweepOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = clock.now();
      const expired = await seats.expiredHolds(now, batch);
      if (expired.length === 0) break;
      const released = await Promise.all(expired.map(async (r) => ((await seats.releaseExpired(r, now)) ? r : null)));
      const byShow = new Map<string, SeatChange[]>();
      for (const r of released) {
        if (!r) continue;
        const list = byShow.get(r.showId) ?? [];
        list.push({ seatId: r.seatId, status: 'free' });
        byShow.set(r.showId, list);
      }
      for (const [showId, changes] of byShow) await events.seatsChanged(showId, changes);
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
