/**
 * The waiting users of a queued rush in child processes (scripts/rush/waiters.ts): users are
 * spread round-robin, each child ramps its share in, and an admitted user's pass comes back
 * here, where the user goes on to the seat map (run.ts). Joins, admissions and position
 * pushes are recorded on the rush's QueueMeter; renewed sessions replace the rush's copies.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { QueueMeter } from './queue.js';
import type { FromWaiters, ToWaiters, WaiterUser } from './waiters.js';

export interface PoolOptions {
  processes: number;
  url: string;
  showId: string;
  sessions: { token: string; cookie: string }[];
  delayMs(index: number): number;
  /** The run's meter (the queue is turned on after the children are up, so it comes later). */
  meter: () => QueueMeter;
  progress?: (line: string) => void;
}

export function startWaiterPool(o: PoolOptions) {
  const turns = new Map<number, (pass: string | null) => void>();
  const early = new Map<number, string | null>();
  let errors = 0;
  let done = 0;
  let readyCount = 0;
  let allReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (allReady = r));
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((r) => (allDone = r));
  const settle = (index: number, pass: string | null) => {
    const t = turns.get(index);
    if (t) (turns.delete(index), t(pass));
    else early.set(index, pass);
  };
  const script = fileURLToPath(new URL('./waiters.ts', import.meta.url));
  const children: ChildProcess[] = Array.from({ length: o.processes }, (_, p) => {
    const child = fork(script, [], { execArgv: ['--import', 'tsx'] });
    child.on('message', (m: FromWaiters) => {
      if (m.type === 'joined') o.meter().joined(m.index, m.at);
      else if (m.type === 'admitted') (o.meter().admitted(m.index, m.at), settle(m.index, m.pass));
      else if (m.type === 'session') Object.assign(o.sessions[m.index]!, { token: m.token, cookie: m.cookie });
      else if (m.type === 'updates') o.meter().updates += m.n;
      else if (m.type === 'error') {
        if (errors++ === 0) o.progress?.(`waiting user ${m.index}: ${m.message}`);
        settle(m.index, null);
      } else if (m.type === 'ready' && ++readyCount === o.processes) allReady();
      else if (m.type === 'done' && ++done === o.processes) allDone();
    });
    child.once('exit', (code) => {
      if (code) o.progress?.(`waiter process ${p} exited with ${code}`);
    });
    return child;
  });
  return {
    /** The children are up (they load TypeScript first: start the clock after this). */
    ready,
    /** The ramp starts at `startedAt`; when `ended` settles the children stop and users still waiting get no turn. */
    go(startedAt: number, ended: Promise<void>) {
      children.forEach((child, p) => {
        const users: WaiterUser[] = [];
        for (let i = p; i < o.sessions.length; i += o.processes) users.push({ index: i, ...o.sessions[i]!, delayMs: o.delayMs(i) });
        child.send({ type: 'start', url: o.url, showId: o.showId, startedAt, users } satisfies ToWaiters);
      });
      void ended.then(() => {
        for (const c of children) if (c.connected) c.send({ type: 'stop' } satisfies ToWaiters);
        for (const index of [...turns.keys()]) settle(index, null);
      });
    },
    /** The user's pass once admitted; null when the run ended first (or waiting failed: see `errors`). */
    turn(index: number): Promise<string | null> {
      if (early.has(index)) {
        const pass = early.get(index)!;
        early.delete(index);
        return Promise.resolve(pass);
      }
      return new Promise((r) => turns.set(index, r));
    },
    get errors() {
      return errors;
    },
    /** Waits for the children to let go of their sockets (at most 30 s), then ends them. */
    async close() {
      await Promise.race([finished, new Promise((r) => setTimeout(r, 30_000))]);
      for (const c of children) if (c.exitCode === null) c.kill();
    },
  };
}
