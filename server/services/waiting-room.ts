/**
 * The waiting room: per show, a line (memory or Redis) in front of the seat map while the
 * queue is on. This service turns queues on and off (staff, or the safety net), admits on a
 * ticker (every process ticks; the line makes admission exact across them), signs the passes,
 * checks them, and pushes positions to the waiters connected here.
 */
import type { Logger } from 'pino';
import type { PutQueueRequest, QueueAdmitted, QueueJoinResult, QueueView, QueueWaiting } from '../../protocol/index.js';
import {
  admissionWindow,
  checkPass,
  estimatedWaitSeconds,
  medianWait,
  safetyNetWanted,
  shuffle,
  signPass,
  type RandomInt,
} from '../domain/queue.js';
import { AppError, fail, ok, type Result } from '../domain/result.js';
import { opensFor, type Tier } from '../domain/loyalty.js';
import type { Clock, QueueLine, QueueStanding, StoredQueue } from '../ports.js';

export const DEFAULT_PASS_MINUTES = 15;

export interface WaitingRoomDeps {
  line: QueueLine;
  clock: Clock;
  logger: Logger;
  /** Signs passes (a key of their own purpose is derived from it). */
  key: string;
  randomInt: RandomInt;
  /** The show's start (queues end with it), or null when there is no such show. */
  showStartsAt(showId: string): Promise<number | null>;
  /** Users holding live seats on the show, as this process's room knows it (null: no room here). */
  activeBuyers(showId: string): number | null;
  /** Shows with a room open here: the safety net watches them. */
  roomShows(): string[];
  /** Tells every socket of the user (on any process) that their turn came. */
  admitted(userId: string, msg: QueueAdmitted): void;
  /** QUEUE_ACTIVE_BUYERS: null leaves the safety net off. */
  safetyNet: number | null;
  /** The user's loyalty tier (Gold members have early access); absent: nobody has. */
  tierOf?: (userId: string) => Promise<Tier>;
  /** How often a waiter here is told their position (default 4 s; the contract says at least every 5 s). */
  updateEveryMs?: number;
}

interface Waiter {
  socketId: string;
  userId: string;
  showId: string;
  ticket: number | null;
  push(msg: QueueWaiting): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Longest a call to the line may take: Redis that is gone queues commands rather than failing them. */
const LINE_TIMEOUT_MS = 2000;

/** The line's failures and stalls (Redis gone) reach callers as UNAVAILABLE, not as a bug or a hang. */
function guarded(line: QueueLine): QueueLine {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(line) as [string, (...a: unknown[]) => Promise<unknown>][]) {
    out[name] = (...args: unknown[]) =>
      Promise.race([
        fn(...args),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`queue line ${name} timed out`)), LINE_TIMEOUT_MS).unref()),
      ]).catch((err: unknown) => {
        throw err instanceof AppError ? err : AppError.of('UNAVAILABLE', { message: 'The waiting room is unavailable for a moment. Please try again.' }, err);
      });
  }
  return out as unknown as QueueLine;
}

export function createWaitingRoom(deps: WaitingRoomDeps) {
  const { clock, logger } = deps;
  const line = guarded(deps.line);
  /** This process's copy of every queue's settings: refreshed each tick, changed at once by this process's own writes. */
  let queues = new Map<string, StoredQueue>();
  /** This process's waiting sockets: socket id → show → waiter (a disconnect drops its own at once). */
  const waiters = new Map<string, Map<string, Waiter>>();
  const allWaiters = function* () {
    for (const shows of waiters.values()) yield* shows.values();
  };
  const dropWaiter = (socketId: string, showId: string) => {
    const shows = waiters.get(socketId);
    shows?.delete(showId);
    if (shows?.size === 0) waiters.delete(socketId);
  };
  let lastPush = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const passFor = (userId: string, showId: string, expiresAt: number): QueueAdmitted => ({
    showId,
    pass: signPass({ userId, showId, expiresAt }, deps.key),
    expiresAt: iso(expiresAt),
  });

  function waitingOf(showId: string, q: StoredQueue, s: Extract<QueueStanding, { status: 'waiting' }>): QueueWaiting {
    const now = clock.now();
    const toOpening = Math.max(0, Math.ceil((q.opensAt - now) / 1000));
    const estimate = s.ahead === null ? toOpening : toOpening + estimatedWaitSeconds(s.ahead, q.admitPerMinute);
    return { showId, position: s.position, ahead: s.ahead, estimatedWaitSeconds: estimate, opensAt: iso(q.opensAt) };
  }

  async function view(showId: string): Promise<QueueView | null> {
    const q = queues.get(showId) ?? (await line.configured()).get(showId);
    if (!q) return null;
    const stats = await line.stats(showId, clock.now());
    const median = medianWait(stats.recentWaitsMs);
    return {
      showId,
      source: q.source,
      opensAt: iso(q.opensAt),
      ...(q.earlyAccessAt !== undefined ? { earlyAccessAt: iso(q.earlyAccessAt) } : {}),
      admitPerMinute: q.admitPerMinute,
      maxActiveBuyers: q.maxActiveBuyers ?? null,
      passMinutes: q.passMinutes,
      stats: {
        waiting: stats.waiting,
        admitted: stats.admitted,
        activePasses: stats.activePasses,
        admittedPerMinute: stats.admittedPerMinute,
        medianWaitSeconds: median === null ? null : Math.round(median / 100) / 10,
      },
    };
  }

  async function admitNext(showId: string, q: StoredQueue, now: number, all = false): Promise<number> {
    const { minute, opened } = admissionWindow(q, now);
    const admitted = await line.admit(showId, {
      now,
      opensAt: q.opensAt,
      minute,
      slotsOpened: opened,
      maxActive: q.maxActiveBuyers ?? null,
      passMs: q.passMinutes * 60_000,
      shuffle: (ids) => shuffle(ids, deps.randomInt),
      all,
    });
    for (const a of admitted) deps.admitted(a.userId, passFor(a.userId, showId, a.passExpiresAt));
    return admitted.length;
  }

  /** Ends the show's queue: everyone still waiting is admitted, in order. */
  async function end(showId: string): Promise<number> {
    const q = queues.get(showId) ?? (await line.configured()).get(showId);
    let admitted = 0;
    if (q) admitted = await admitNext(showId, q, clock.now(), true);
    await line.clear(showId);
    queues.delete(showId);
    for (const w of [...allWaiters()]) if (w.showId === showId) dropWaiter(w.socketId, showId);
    return admitted;
  }

  async function safetyNet(now: number) {
    const threshold = deps.safetyNet;
    if (threshold === null) return;
    for (const showId of deps.roomShows()) {
      const buyers = deps.activeBuyers(showId) ?? 0;
      const q = queues.get(showId);
      if (!q) {
        if (!safetyNetWanted(threshold, buyers, false, 0)) continue;
        const settings: StoredQueue = { opensAt: now, admitPerMinute: threshold, maxActiveBuyers: threshold, passMinutes: DEFAULT_PASS_MINUTES, source: 'safety_net' };
        if (await line.configure(showId, settings, true)) {
          queues.set(showId, settings);
          logger.warn({ showId, activeBuyers: buyers, threshold }, 'waiting room turned on by the safety net');
        }
      } else if (q.source === 'safety_net') {
        const stats = await line.stats(showId, now);
        if (safetyNetWanted(threshold, Math.max(buyers, stats.activePasses), true, stats.waiting)) continue;
        await end(showId);
        logger.info({ showId, activeBuyers: buyers }, 'waiting room turned off by the safety net');
      }
    }
  }

  async function pushPositions(now: number) {
    const byShow = new Map<string, Waiter[]>();
    for (const w of allWaiters()) (byShow.get(w.showId) ?? byShow.set(w.showId, []).get(w.showId)!).push(w);
    if (byShow.size === 0) return;
    const served = await line.served([...byShow.keys()]);
    for (const [showId, list] of byShow) {
      const q = queues.get(showId);
      if (!q) continue;
      for (const w of list) {
        if (w.ticket === null && now >= q.opensAt) {
          const s = await line.standing(showId, w.userId, now);
          if (s?.status === 'waiting') w.ticket = s.ticket;
        }
        if (w.ticket !== null && w.ticket < (served.get(showId) ?? 0)) continue;
        const ahead = w.ticket === null ? null : w.ticket - (served.get(showId) ?? 0);
        w.push(waitingOf(showId, q, { status: 'waiting', ticket: w.ticket, position: ahead === null ? null : ahead + 1, ahead }));
      }
    }
  }

  async function tickOnce() {
    const now = clock.now();
    queues = await line.configured();
    for (const [showId, q] of queues) {
      const startsAt = await deps.showStartsAt(showId);
      if (startsAt === null || startsAt <= now) {
        await line.clear(showId);
        queues.delete(showId);
        continue;
      }
      await admitNext(showId, q, now);
    }
    await safetyNet(now);
    // Admitted users have left the line: forget their waiters (the pass reached them as queue:admitted).
    const served = await line.served([...new Set([...allWaiters()].map((w) => w.showId))]);
    for (const w of [...allWaiters()]) {
      if (!queues.has(w.showId) || (w.ticket !== null && w.ticket < (served.get(w.showId) ?? 0))) dropWaiter(w.socketId, w.showId);
    }
    if (now - lastPush >= (deps.updateEveryMs ?? 4000)) {
      lastPush = now;
      await pushPositions(now);
    }
  }

  return {
    /** The queue is on for the show (this process's view: another process's change shows within a tick). */
    isOn: (showId: string) => queues.has(showId),

    async put(showId: string, req: PutQueueRequest): Promise<Result<QueueView>> {
      const startsAt = await deps.showStartsAt(showId);
      if (startsAt === null) return fail('NOT_FOUND', { message: 'No such show.', reason: 'show_not_found' });
      const now = clock.now();
      if (startsAt <= now) return fail('SHOW_CLOSED');
      const before = queues.get(showId) ?? (await line.configured()).get(showId);
      const opensAt = req.opensAt ? Date.parse(req.opensAt) : (before?.opensAt ?? now);
      const earlyAccessAt = req.earlyAccessAt ? Date.parse(req.earlyAccessAt) : undefined;
      if (earlyAccessAt !== undefined && earlyAccessAt > opensAt) {
        return fail('VALIDATION', { message: 'Early access must start before the queue opens.', details: [{ path: 'earlyAccessAt', reason: 'after_opens_at', message: 'must not be after opensAt' }] });
      }
      const settings: StoredQueue = {
        opensAt,
        ...(earlyAccessAt !== undefined ? { earlyAccessAt } : {}),
        admitPerMinute: req.admitPerMinute,
        ...(req.maxActiveBuyers !== undefined ? { maxActiveBuyers: req.maxActiveBuyers } : {}),
        passMinutes: req.passMinutes ?? DEFAULT_PASS_MINUTES,
        source: 'staff',
      };
      await line.configure(showId, settings);
      queues.set(showId, settings);
      return ok((await view(showId))!);
    },
    view,
    end,

    /** `queue:join`: the caller's place (kept on every later join), or a pass when the queue is off or their turn came. */
    async join(userId: string, showId: string, watcher?: { socketId: string; push(msg: QueueWaiting): void }): Promise<Result<QueueJoinResult>> {
      const startsAt = await deps.showStartsAt(showId);
      if (startsAt === null) return fail('NOT_FOUND', { message: 'No such show.', reason: 'show_not_found' });
      const now = clock.now();
      if (startsAt <= now) return fail('SHOW_CLOSED');
      const q = queues.get(showId);
      if (!q) return ok({ status: 'admitted', ...passFor(userId, showId, now + DEFAULT_PASS_MINUTES * 60_000) });
      // Early access: before the opening, a Gold member from earlyAccessAt goes straight to the seats.
      if (q.earlyAccessAt !== undefined && now >= q.earlyAccessAt && now < q.opensAt && deps.tierOf) {
        const opens = opensFor(await deps.tierOf(userId), q);
        if (opens !== undefined && now >= opens) return ok({ status: 'admitted', ...passFor(userId, showId, now + q.passMinutes * 60_000) });
      }
      const s = await line.join(showId, userId, now, q.opensAt);
      if (s.status === 'admitted') return ok({ status: 'admitted', ...passFor(userId, showId, s.passExpiresAt) });
      if (watcher) {
        if (!waiters.has(watcher.socketId)) waiters.set(watcher.socketId, new Map());
        waiters.get(watcher.socketId)!.set(showId, { socketId: watcher.socketId, userId, showId, ticket: s.ticket, push: watcher.push });
      }
      return ok({ status: 'waiting', ...waitingOf(showId, q, s) });
    },

    /** The pass's expiry if it is genuine, the caller's, for this show and unexpired; else null. */
    check(userId: string, showId: string, pass: string): number | null {
      return checkPass(pass, { userId, showId }, deps.key, clock)?.expiresAt ?? null;
    },

    /** Stops pushing to a socket's waiters (it closed). */
    unwatch(socketId: string) {
      waiters.delete(socketId);
    },
    waiting: () => [...allWaiters()].length,
    queuesOn: () => queues.size,

    /** One round: settings refreshed, admissions due, the safety net, positions pushed. */
    tick: () => (running ??= tickOnce().finally(() => (running = null))),
    start(intervalMs: number) {
      timer ??= setInterval(() => {
        void (running ??= tickOnce()
          .catch((err) => logger.warn({ err }, 'waiting room round failed; will retry'))
          .finally(() => (running = null)));
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
export type WaitingRoom = ReturnType<typeof createWaitingRoom>;
