/**
 * Releases expired holds and announces the release: every process sweeps the holds its own
 * rooms know of (a room knows every hold on its show, through the feed). Each release is
 * conditional on the exact hold it saw, so processes sweeping the same show never release
 * anything twice, and a seat held again meanwhile is left alone. A hold on a show no process
 * has a room for needs no announcement (nobody watches it): it is free by its time for every
 * read and write, and the first room to open reads it as free.
 */
import type { Logger } from 'pino';
import type { SeatChangeRecord } from '../domain/seat-state.js';
import type { Clock, SeatStore } from '../ports.js';
import type { ShowRoom } from '../rooms/show-room.js';

export interface SweeperDeps {
  seats: Pick<SeatStore, 'releaseExpired'>;
  clock: Clock;
  rooms: () => ShowRoom[];
  writeTime: (atLeast?: number) => number;
  logger: Logger;
  /** With a payment gateway: `expireUnpaid`, bookings past their payment deadline (answers how many expired). */
  expireUnpaid?: () => Promise<number>;
}

export function createSweeper(deps: SweeperDeps) {
  const { seats, clock, logger } = deps;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function sweepRoom(room: ShowRoom): Promise<number> {
    const now = clock.now();
    const expired = room.state.expiredHolds(now);
    if (expired.length === 0) return 0;
    const freed = await Promise.all(
      expired.map(async ({ seatId, entry }): Promise<SeatChangeRecord | null> => {
        const record = { showId: room.showId, seatId, ...entry };
        const at = await seats.releaseExpired(record, now, deps.writeTime(entry.at + 0.001));
        return at === null ? null : { seatId, entry: { status: 'free', at } };
      }),
    );
    const changes = freed.filter((c): c is SeatChangeRecord => c !== null);
    await room.commit(changes);
    return changes.length;
  }

  async function sweepOnce(): Promise<number> {
    const counts = await Promise.all(deps.rooms().map((room) => sweepRoom(room).catch((err) => (logger.warn({ err, showId: room.showId }, 'sweep failed; will retry'), 0))));
    const total = counts.reduce((a, b) => a + b, 0);
    if (total > 0) logger.info({ released: total }, 'released expired holds');
    const expired = (await deps.expireUnpaid?.().catch((err) => (logger.warn({ err }, 'expiring unpaid bookings failed; will retry'), 0))) ?? 0;
    return total + expired;
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
