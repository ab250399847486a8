/**
 * The waiting room under a crowd: many users queued for one show while the admitted few buy.
 *   npm run bench:queue -- [--users 20000] [--admit-per-minute 1200] [--seconds 60] [--cpu-seconds 10] [--waiter-processes 2] [--store-cores [LIST]]
 * Starts DynamoDB Local (in memory) and one server process (server/main.ts), signs up the users
 * (not measured), turns the show's queue on with its opening an hour away (a pre-queue), and
 * connects the users from `--waiter-processes` child processes, which hold the waiting sockets. Then:
 *  - memory per waiting user: the server's RSS idle, with the users connected, and with them all
 *    in the queue (the socket's share and the queue's share apart);
 *  - the CPU cost of the position pushes: the server's CPU time per second with every user
 *    connected, before and after they join the queue (a push every 4 s each), as % of one core;
 *  - admission: the queue opens now at `--admit-per-minute`; for `--seconds` each admitted user goes
 *    to the seat map (a socket of its own on the main thread: show:join with the pass), holds a
 *    seat, releases it and leaves, while the others wait. Admissions per minute achieved vs set
 *    (1200/min gives 1200 samples in 60 s), and the admitted users' hold acks.
 * Prints figures and a PASS/MISS line per target; never asserts. Quiet box or not: the load
 * average is printed (other work on the box shows in every figure).
 */
import { loadavg } from 'node:os';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { createCatalogStore } from '../server/adapters/dynamo/catalog-store.js';
import { createUserStore } from '../server/adapters/dynamo/user-store.js';
import { systemClock } from '../server/ports.js';
import { createSessionStore } from '../server/adapters/dynamo/session-store.js';
import { DEFAULT_SESSION_POLICY } from '../server/domain/sessions.js';
import { createAccount, createAuth } from '../server/services/auth.js';
import { allowedBy, maxInWindow, endQueue, openQueue, staffLogin } from '../scripts/rush/queue.js';
import { percentiles } from '../scripts/rush/fanout.js';
import { createShow } from '../test/support/fixtures.js';
import { startServerProcess } from '../test/support/server-process.js';
import { arg, cpuSeconds, emit, ensureOpenFiles, openFilesLimit, pinStoreCores, serverEnv, startStack } from './lib.js';
import type { FromWaiters, ToWaiters, WaitersData } from './queue-waiters.js';

const asked = Number(arg('users', '20000'));
// Every waiting user is a socket in the one server process: it cannot hold more than its open-files limit allows.
const fdCeiling = openFilesLimit().hard - 2000;
const users = Math.min(asked, fdCeiling);
const admitPerMinute = Number(arg('admit-per-minute', '1200'));
const seconds = Number(arg('seconds', '60'));
const cpuWindow = Number(arg('cpu-seconds', '10'));
const workerCount = Math.max(1, Number(arg('waiter-processes', '2')));
const TARGET = { ratePct: 5, holdP99Ms: 150, pushCpuPct: 20 };

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

console.log(`queue bench: ${users} users, admit ${admitPerMinute}/min for ${seconds} s, ${workerCount} waiter process(es), ${process.version}; load average at start ${load()}`);
console.log(ensureOpenFiles(Math.min(users + 3000, openFilesLimit().hard)));
if (users < asked) console.log(`open files: WARNING: the hard limit here is ${openFilesLimit().hard} per process; one server process cannot hold ${asked} sockets: measuring ${users} users`);
const stack = await startStack({ disk: false, listen: false });
console.log(pinStoreCores(stack.storePid));
const show = await createShow(createCatalogStore(stack.dynamo), { now: Date.now(), rows: 20, perRow: 25 });
const admin = { name: 'Bench Admin', email: `bench-admin-${Date.now()}@bench.example`, password: 'bench-password-123' };
await createAccount({ users: createUserStore(stack.dynamo), clock: systemClock, bcryptCost: 4 }, admin, 'admin', [], { emailVerified: true });
const server = await startServerProcess(serverEnv(stack, { DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-bench-')), ACCESS_TOKEN_SECONDS: '3600' }));
const pid = server.child.pid!;

// Setup (not measured): accounts and sessions, straight into the server's store through the same auth service
// (an HTTP sign-up each, with its password-strength check, would take minutes for 20k on a shared 2-core box).
const auth = createAuth(
  { users: createUserStore(stack.dynamo), sessions: createSessionStore(stack.dynamo), clock: systemClock },
  { jwtSecret: serverEnv(stack).JWT_SECRET!, bcryptCost: 4, sessions: { ...DEFAULT_SESSION_POLICY, accessMs: 3600_000 }, requireVerifiedEmail: false, verifyEmailOnSignUp: false },
);
const tokens: string[] = [];
const setupStarted = performance.now();
const stamp = Date.now().toString(36);
for (let i = 0; i < users; i += 100) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(100, users - i) }, async (_, k) => {
      const r = await auth.register({ name: `Queued ${i + k}`, email: `q-${i + k}-${stamp}@bench.example`, password: 'bench-password-123' });
      if (!r.ok) throw new Error(`sign-up ${i + k}: ${r.error.code}`);
      return r.value.token;
    }),
  );
  tokens.push(...batch);
  if (tokens.length % 2000 === 0 || tokens.length === users) process.stdout.write(`\r  signed up ${tokens.length}/${users}`);
}
console.log(` in ${((performance.now() - setupStarted) / 1000).toFixed(0)} s`);

const staff = await staffLogin(server.url, admin.email, admin.password);
await openQueue(server.url, staff, show.showId, { admitPerMinute, opensInSeconds: 3600 });
await sleep(3000); // let the server settle before the baseline
const rssIdle = rssMb(pid);

// The waiting users, spread over child processes (each has its own open-files limit).
type Listener = (m: FromWaiters) => void;
const listeners = new Set<Listener>();
const workers = Array.from({ length: workerCount }, (_, w) => {
  const from = Math.floor((users * w) / workerCount);
  const to = Math.floor((users * (w + 1)) / workerCount);
  const data: WaitersData = { url: server.url, showId: show.showId, tokens: tokens.slice(from, to), first: from };
  const child = fork(fileURLToPath(new URL('./queue-waiters.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  child.on('message', (m: FromWaiters) => listeners.forEach((l) => l(m)));
  child.on('error', (err) => console.error(`waiter process ${w}: ${err.message}`));
  child.send({ type: 'start', data } satisfies ToWaiters);
  return child;
});
const tell = (m: ToWaiters) => workers.forEach((w) => w.send(m));
/** Sums a count the workers each report once (`connected`, `joined`). */
const fromAll = (type: 'connected' | 'joined') =>
  new Promise<{ n: number; failed: number; firstError?: string }>((resolve) => {
    const sum = { n: 0, failed: 0, firstError: undefined as string | undefined };
    let left = workerCount;
    const l: Listener = (m) => {
      if (m.type !== type) return;
      sum.n += m.n;
      sum.failed += m.failed;
      sum.firstError ??= m.firstError;
      if (--left === 0) (listeners.delete(l), resolve(sum));
    };
    listeners.add(l);
  });
let updates = 0;
listeners.add((m) => m.type === 'updates' && (updates += m.n));

const connecting = performance.now();
const connected = await fromAll('connected');
console.log(`  connected ${connected.n}/${users} in ${((performance.now() - connecting) / 1000).toFixed(1)} s${connected.failed ? `; ${connected.failed} failed (first: ${connected.firstError})` : ''}`);

/** The server's CPU per second over `s` seconds, as % of one core. */
async function serverCpu(s: number): Promise<number> {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(s * 1000);
  return ((cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000)) * 100;
}
await sleep(3000);
const rssConnected = rssMb(pid);
const cpuConnected = await serverCpu(cpuWindow);

const joining = performance.now();
tell({ type: 'join' });
const joined = await fromAll('joined');
console.log(`  queued ${joined.n} (pre-queue) in ${((performance.now() - joining) / 1000).toFixed(1)} s${joined.failed ? `; ${joined.failed} failed (first: ${joined.firstError})` : ''}`);
await sleep(3000);
const rssQueued = rssMb(pid);
const fdsQueued = readdirSync(`/proc/${pid}/fd`).length;
updates = 0;
const cpuQueued = await serverCpu(cpuWindow);
const updatesPerSecond = updates / cpuWindow;

const kb = (mb: number, n: number) => ((mb * 1024) / Math.max(1, n)).toFixed(1);
console.log(
  `  server RSS: idle ${rssIdle.toFixed(0)} MB -> ${rssConnected.toFixed(0)} MB connected -> ${rssQueued.toFixed(0)} MB queued: ` +
    `${kb(rssQueued - rssIdle, joined.n)} KB per waiting user (socket ${kb(rssConnected - rssIdle, connected.n)} KB + queue ${kb(rssQueued - rssConnected, joined.n)} KB); ${fdsQueued} open files`,
);
const pushCpu = cpuQueued - cpuConnected;
console.log(
  `  server CPU with ${connected.n} users connected: ${cpuConnected.toFixed(1)} % of a core; with them queued (a position push each every 4 s: ${updatesPerSecond.toFixed(0)} received/s): ${cpuQueued.toFixed(1)} %`,
);
console.log(`${verdict(pushCpu < TARGET.pushCpuPct)} position pushes cost ${pushCpu.toFixed(1)} % of one core for ${joined.n} waiters (target < ${TARGET.pushCpuPct} %)`);

// Admission: the queue opens now; each admitted user holds a seat on a socket of its own, here.
const admittedAt: number[] = [];
const holdMs: number[] = [];
const errors: Record<string, number> = {};
const buying: Promise<void>[] = [];
let measuring = true;
async function buy(index: number, pass: string) {
  const s: Socket = io(server.url, { auth: { token: tokens[index]! }, transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
    const j = await emit<{ ok: boolean; error?: { code: string } }>(s, 'show:join', { showId: show.showId, pass });
    if (!j.ok) throw new Error(j.error!.code);
    const seatId = show.seatIds[Math.floor(Math.random() * show.seatIds.length)]!;
    const t0 = performance.now();
    const held = await emit<{ ok: boolean; error?: { code: string } }>(s, 'seat:hold', { showId: show.showId, seatIds: [seatId], pass });
    if (measuring) holdMs.push(performance.now() - t0);
    if (!held.ok) throw new Error(held.error!.code);
    await emit(s, 'seat:release', { showId: show.showId, seatIds: [seatId] });
  } catch (err) {
    const code = (err as Error).message;
    errors[code] = (errors[code] ?? 0) + 1;
  } finally {
    s.disconnect();
  }
}
listeners.add((m) => {
  if (m.type !== 'admitted' || !measuring) return;
  admittedAt.push(m.at);
  buying.push(buy(m.index, m.pass));
});
const opened = await openQueue(server.url, staff, show.showId, { admitPerMinute, opensInSeconds: 0.001 });
const opensAt = Date.parse(opened.opensAt);
const cpuAdmitting = serverCpu(seconds);
const fdsDuring: number[] = [];
const fdTimer = setInterval(() => fdsDuring.push(readdirSync(`/proc/${pid}/fd`).length), 5000);
await sleep(seconds * 1000);
measuring = false;
clearInterval(fdTimer);
const cpuDuring = await cpuAdmitting;
await Promise.all(buying);

const inWindow = admittedAt.filter((t) => t <= opensAt + seconds * 1000).sort((a, b) => a - b);
const last = inWindow[inWindow.length - 1] ?? opensAt;
const achieved = inWindow.length > 1 ? ((inWindow.length - 1) / (last - opensAt)) * 60_000 : 0;
let ahead = 0;
inWindow.forEach((t, i) => (ahead = Math.max(ahead, i + 1 - allowedBy(t - opensAt, admitPerMinute))));
const offPct = ((achieved - admitPerMinute) / admitPerMinute) * 100;
console.log(
  `  admission: ${inWindow.length} admitted in ${seconds} s = ${achieved.toFixed(0)}/min over ${((last - opensAt) / 1000).toFixed(1)} s (set ${admitPerMinute}/min); ` +
    `ahead of the set schedule at most ${ahead}; at most ${maxInWindow(inWindow, 1000)} in one second (even spread: ${Math.ceil(admitPerMinute / 60)} a tick); ${users - inWindow.length} still waiting; server CPU meanwhile ${cpuDuring.toFixed(1)} % of a core`,
);
console.log(`${verdict(Math.abs(offPct) <= TARGET.ratePct)} admission rate ${achieved.toFixed(0)}/min is ${offPct >= 0 ? '+' : ''}${offPct.toFixed(1)} % of the set ${admitPerMinute}/min (target within ${TARGET.ratePct} %)`);
console.log(`  server open files during admission: ${fdsDuring.join(', ')} (limit ${openFilesLimit().soft})`);
const h = percentiles(holdMs);
console.log(`  admitted users' hold ack ms: p50 ${h.p50} / p95 ${h.p95} / p99 ${h.p99} / max ${h.max} (n ${h.n}) while ${users - inWindow.length}+ wait${Object.keys(errors).length ? `; errors ${JSON.stringify(errors)}` : ''}`);
console.log(`${verdict(h.n > 0 && h.p99 < TARGET.holdP99Ms)} hold ack p99 ${h.p99} ms (target < ${TARGET.holdP99Ms} ms)`);

// Everyone still waiting leaves at once: how long until the server answers again.
tell({ type: 'stop' });
const leaving = performance.now();
const end = await (async () => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await endQueue(server.url, staff, show.showId);
    } catch (err) {
      if (attempt === 5) throw err;
    }
  }
})().catch((err: Error) => (console.log(`  queue end failed: ${err.message}`), null));
console.log(
  `  ${users - inWindow.length} waiting users left at once; the server answered the queue's end ${((performance.now() - leaving) / 1000).toFixed(1)} s later` +
    `${end ? ` (${end.endAdmitted} let through at the end, off: ${end.ended})` : ''}; load average at the end ${load()}`,
);
for (const w of workers) w.kill();
server.child.kill('SIGTERM');
await server.exited;
await stack.stop();
process.exit(0);
