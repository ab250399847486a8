/**
 * The demo schedule rolls forward on a shared store (STORE=aws): every process tries every
 * few hours, one at a time under a lease, and adds the demo's missing shows for the next
 * days. On the embedded store the start does it (seedDemo). Staff-made schedules are
 * untouched: only the demo's own show ids are written, and only when missing.
 */
import type { Logger } from 'pino';
import type { CatalogStore, Clock, LeaseStore } from '../ports.js';
import { rollDemoShows } from '../seed/demo.js';

export const ROLL_LEASE = 'demo-schedule';

export function createScheduleRoll(deps: { catalog: CatalogStore; leases: LeaseStore; clock: Clock; logger: Logger; owner: string; leaseMs?: number }) {
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  let timer: NodeJS.Timeout | null = null;

  /** One round; null when there is no demo schedule here or another process holds the lease, else the shows added. */
  async function rollOnce(): Promise<number | null> {
    // The demo catalogue is there (create-tables --seed) only when its schema version is.
    if ((await deps.catalog.schemaVersion()) === null) return null;
    const now = deps.clock.now();
    if (!(await deps.leases.take(ROLL_LEASE, deps.owner, now, leaseMs))) return null;
    const added = await rollDemoShows(deps.catalog, now);
    if (added) deps.logger.info({ showsAdded: added }, 'demo schedule rolled forward');
    return added;
  }

  return {
    rollOnce,
    start(intervalMs: number) {
      const round = () => void rollOnce().catch((err) => deps.logger.warn({ err }, 'schedule roll-forward failed; the next round retries'));
      round();
      timer ??= setInterval(round, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
