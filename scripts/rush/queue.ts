/**
 * The rush through the waiting room (`--queue`): staff turn the show's queue on, each
 * virtual user takes a place with `queue:join` and waits (a socket and the pushed
 * `queue:update`s only) until admitted, by the ack or by `queue:admitted`; the pass then
 * goes with the user's seat events. Measured here: time in queue, the admission rate
 * achieved against the one set, and whether admission ever ran ahead of that rate.
 */
import type { Socket } from 'socket.io-client';
import type { QueueAdmitted, QueueEnded, QueueJoinResult, QueueResponse, QueueView } from '../../protocol/index.js';
import { percentiles, type Percentiles } from './fanout.js';
import { apiClient, must } from './api.js';

/** The demo admin of the embedded store (`npm start`); server/seed/demo-users.ts. */
export const DEMO_ADMIN = { email: 'admin@demo.moviemagic.app', password: 'moviemagic' };

export interface QueueOptions {
  admitPerMinute: number;
  /** Seconds from now to the opening: who joins before waits in the pre-queue and is shuffled then (default 0: open now). */
  opensInSeconds?: number;
  staffEmail?: string;
  staffPassword?: string;
  /**
   * Child processes holding the waiting users' sockets (default 0: this process). One process cannot
   * hold 20k sockets (open-files limit; one event loop for every push); admitted users come back here.
   */
  waiterProcesses?: number;
}

export interface RushQueueReport {
  admitPerMinute: number;
  opensAt: string;
  /** Users who took a place (`queue:join` answered). */
  joined: number;
  admitted: number;
  /** Users still waiting when the run ended (`--duration`): not admitted, not counted in the waits. */
  stillWaiting: number;
  /** From the `queue:join` emit to the pass (the ack, or the `queue:admitted` push), admitted users only. */
  timeInQueueMs: Percentiles;
  /**
   * Admissions per minute as the users saw them: (admitted - 1) ÷ the admission period, which runs from the
   * opening (or the first join, if later) to the last admission. Below the set rate when fewer were waiting.
   */
  admittedPerMinute: number;
  admissionSeconds: number;
  /**
   * The most admissions seen by any moment beyond what the set rate allows by then (minute k admits at
   * most `admitPerMinute`, slot i of it opening at i × 60 s ÷ rate). 0: admission never ran ahead.
   */
  aheadOfSchedule: number;
  /**
   * The most admissions seen within any one second, against the set rate's share of a second: the
   * ticker admits once a second, so up to about 2 × rate ÷ 60 is the even spread; more is a burst.
   */
  maxAdmittedInASecond: number;
  /** Admitted users whose hold (`seat:hold` / `seat:hold-best` with the pass) succeeded at least once. */
  admittedHolding: number;
  /** Hold acks of admitted users (every hold of a queued rush is one), as in `holdLatencyMs`. */
  admittedHoldAckMs: Percentiles;
  /** `queue:update` pushes received by waiting users. */
  positionUpdates: number;
  /**
   * The queue was ended (DELETE) by the rush at the end, and found off afterwards. `endAdmitted`: those still
   * in line it let through (at most `stillWaiting`: the ticker goes on admitting while the users leave).
   */
  ended: boolean;
  endAdmitted: number;
}

export async function staffLogin(url: string, email: string, password: string): Promise<string> {
  const body = await must('POST /api/auth/login', apiClient(url).POST('/api/auth/login', { body: { email, password } })).catch((err: Error) => {
    throw new Error(`staff login as ${email} failed (pass --staff-email/--staff-password): ${err.message}`);
  });
  return body.token;
}

/** The show's queue calls as staff. */
const queueCall = (url: string, token: string, showId: string) => ({
  api: apiClient(url),
  init: { params: { path: { id: showId } }, headers: { authorization: `Bearer ${token}` } },
  what: (method: string) => `${method} /api/staff/shows/${showId}/queue`,
});

export async function openQueue(url: string, token: string, showId: string, o: QueueOptions): Promise<QueueView> {
  const q = queueCall(url, token, showId);
  const body = { admitPerMinute: o.admitPerMinute, ...(o.opensInSeconds ? { opensAt: new Date(Date.now() + o.opensInSeconds * 1000).toISOString() } : {}) };
  return (await must(q.what('PUT'), q.api.PUT('/api/staff/shows/{id}/queue', { ...q.init, body }))).queue!;
}

/** Ends the queue; `admitted`: those still in line it let through; `off`: a GET afterwards finds it off. */
export async function endQueue(url: string, token: string, showId: string): Promise<{ endAdmitted: number; ended: boolean }> {
  const q = queueCall(url, token, showId);
  const { admitted } = await must(q.what('DELETE'), q.api.DELETE('/api/staff/shows/{id}/queue', q.init));
  const after = await must(q.what('GET'), q.api.GET('/api/staff/shows/{id}/queue', q.init));
  return { endAdmitted: admitted, ended: after.queue === null };
}

/** How many the set rate allows to have been admitted `sinceOpening` ms after the opening. */
export function allowedBy(sinceOpening: number, admitPerMinute: number): number {
  if (sinceOpening < 0) return 0;
  const minute = Math.floor(sinceOpening / 60_000);
  const opened = Math.min(admitPerMinute, Math.floor((sinceOpening - minute * 60_000) / (60_000 / admitPerMinute)) + 1);
  return minute * admitPerMinute + opened;
}

/** The most of `sorted` (ms) within any `windowMs`. */
export function maxInWindow(sorted: readonly number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/** What `waitForTurn` records: joins and admissions (Date.now), and position pushes received. */
export interface QueueRecorder {
  joined(visitor: number, at: number): void;
  admitted(visitor: number, at: number): void;
  updates: number;
}

/** Waits and admissions of one run, on this machine's clock (Date.now: the server's opening is in wall time). */
export class QueueMeter implements QueueRecorder {
  private readonly joinedAt = new Map<number, number>();
  private readonly admittedAt = new Map<number, number>();
  private readonly holding = new Set<number>();
  updates = 0;

  constructor(
    readonly admitPerMinute: number,
    readonly opensAt: number,
  ) {}

  joined(visitor: number, at: number) {
    if (!this.joinedAt.has(visitor)) this.joinedAt.set(visitor, at);
  }
  admitted(visitor: number, at: number) {
    if (!this.admittedAt.has(visitor)) this.admittedAt.set(visitor, at);
  }
  held(visitor: number) {
    this.holding.add(visitor);
  }
  progress() {
    return { waiting: this.joinedAt.size - this.admittedAt.size, admitted: this.admittedAt.size };
  }

  report(holdAckMs: Percentiles, end: { ended: boolean; endAdmitted: number }): RushQueueReport {
    const times = [...this.admittedAt.values()].sort((a, b) => a - b);
    let ahead = 0;
    times.forEach((t, i) => (ahead = Math.max(ahead, i + 1 - allowedBy(t - this.opensAt, this.admitPerMinute))));
    const firstJoin = Math.min(...this.joinedAt.values());
    const from = Math.max(this.opensAt, firstJoin);
    const span = times.length ? times[times.length - 1]! - from : 0;
    const waits = [...this.admittedAt].map(([v, t]) => t - this.joinedAt.get(v)!);
    return {
      admitPerMinute: this.admitPerMinute,
      opensAt: new Date(this.opensAt).toISOString(),
      joined: this.joinedAt.size,
      admitted: times.length,
      stillWaiting: this.joinedAt.size - times.length,
      timeInQueueMs: percentiles(waits),
      // Slot 0 opens at the start of the period: n admissions span n - 1 slots.
      admittedPerMinute: span > 0 ? Math.round(((times.length - 1) / span) * 60_000 * 10) / 10 : 0,
      admissionSeconds: Math.round(span / 100) / 10,
      aheadOfSchedule: Math.max(0, ahead),
      maxAdmittedInASecond: maxInWindow(times, 1000),
      admittedHolding: this.holding.size,
      admittedHoldAckMs: holdAckMs,
      positionUpdates: this.updates,
      ...end,
    };
  }
}

/**
 * Takes the user's place and waits for the pass: the `queue:join` ack when it says admitted, else the
 * `queue:admitted` push. A socket that reconnects takes its place again (the server keeps it). Resolves
 * null when `stop` settles first (the run ended with the user still waiting).
 */
export async function waitForTurn(socket: Socket, showId: string, visitor: number, meter: QueueRecorder, stop: Promise<void>): Promise<string | null> {
  let admit: (pass: string) => void = () => undefined;
  const turn = new Promise<string>((r) => (admit = r));
  const onAdmitted = (m: QueueAdmitted) => m.showId === showId && admit(m.pass);
  const onUpdate = (m: { showId: string }) => m.showId === showId && meter.updates++;
  socket.on('queue:admitted', onAdmitted);
  socket.on('queue:update', onUpdate);
  const join = async () => {
    const r = (await socket.timeout(60_000).emitWithAck('queue:join', { showId }).catch(() => null)) as
      | ({ ok: true } & QueueJoinResult)
      | { ok: false; error: { code: string } }
      | null;
    if (r?.ok && r.status === 'admitted') admit(r.pass);
    return r;
  };
  const rejoin = () => void join();
  meter.joined(visitor, Date.now());
  const first = await join();
  if (!first?.ok) {
    socket.off('queue:admitted', onAdmitted).off('queue:update', onUpdate);
    throw new Error(`queue:join: ${first ? first.error.code : 'no answer in 60 s'}`);
  }
  socket.io.on('reconnect', rejoin);
  const pass = await Promise.race([turn, stop.then(() => null)]);
  if (pass) meter.admitted(visitor, Date.now());
  socket.off('queue:admitted', onAdmitted).off('queue:update', onUpdate);
  socket.io.off('reconnect', rejoin);
  return pass;
}
