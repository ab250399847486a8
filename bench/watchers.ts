/**
 * Many idle watchers on one show, with a steady stream of holds. Prints, never asserts.
 *   npm run bench:watchers -- [--watchers 10000] [--seconds 15] [--rate 5] [--processes 1|2] [--store-cores [LIST]]
 * Starts DynamoDB Local (in memory) and the server as separate processes (with 2, they
 * share rooms through a redis-server started here), connects anonymous watchers that
 * join the show (spread over the processes), then one signed-in holder per process takes
 * turns holding and releasing a seat, `--rate` holds a second in all.
 * Prints server memory per connection, how many holds reached every watcher, and the
 * fan-out: from the holder's seat:hold emit to each watcher's receipt of the broadcast
 * carrying the seat as held, overall and per process pair (A→B: held on A, seen on B).
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { FanoutMeter, processLabel, type Percentiles } from '../scripts/rush/fanout.js';
import { createCatalogStore } from '../server/adapters/dynamo/catalog-store.js';
import { createShow } from '../test/support/fixtures.js';
import { startRedis } from '../test/support/redis.js';
import { startServerProcess, type ServerProcess } from '../test/support/server-process.js';
import { arg, cpuMeter, emit, ensureOpenFiles, pinStoreCores, serverEnv, startStack } from './lib.js';

const watchers = Number(arg('watchers', '10000'));
const seconds = Number(arg('seconds', '15'));
const rate = Number(arg('rate', '5'));
const processes = Number(arg('processes', '1'));

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
type SeatsChanged = { version: number; changes: { seatId: string; status: string }[] };

// Each watcher is a socket here and one in a server: raise the limit before the servers start (they inherit it).
console.log(ensureOpenFiles(watchers + 2000));
const stack = await startStack({ disk: false, listen: false });
console.log(pinStoreCores(stack.storePid));
const show = await createShow(createCatalogStore(stack.dynamo), { now: Date.now(), rows: 20, perRow: 25 });
const redis = processes > 1 ? await startRedis() : null;
const servers: ServerProcess[] = await Promise.all(
  Array.from({ length: processes }, (_, i) =>
    startServerProcess(
      serverEnv(stack, {
        NODE_APP_INSTANCE: String(i),
        DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-bench-')),
        ...(redis ? { REDIS_URL: redis.url } : {}),
      }),
    ),
  ),
);
console.log(`watchers bench: ${watchers} watchers on ${processes} process(es), holds ${rate}/s for ${seconds} s, ${process.version}`);
await new Promise((r) => setTimeout(r, 2000)); // let the servers settle before the baseline
const baseline = servers.map((s) => rssMb(s.child.pid!));

const fanout = new FanoutMeter();
const sockets: Socket[] = [];
const failures: string[] = [];
let joined = 0;
const started = performance.now();
for (let i = 0; i < watchers; i += 250) {
  await Promise.all(
    Array.from({ length: Math.min(250, watchers - i) }, async (_, k) => {
      const index = i + k;
      const proc = index % servers.length;
      const s = io(servers[proc]!.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
      sockets.push(s);
      try {
        await new Promise<void>((resolve, reject) => {
          s.once('connect', () => resolve());
          s.once('connect_error', reject);
        });
        const ack = await emit<{ ok: boolean }>(s, 'show:join', { showId: show.showId });
        if (!ack.ok) throw new Error('show:join refused');
        s.on('seats:changed', (m: SeatsChanged) => fanout.received(index, proc, m, performance.now()));
        joined++;
      } catch (err) {
        failures.push((err as Error).message);
      }
    }),
  );
  process.stdout.write(`\r  connected and joined ${joined}/${watchers}`);
}
console.log(` in ${((performance.now() - started) / 1000).toFixed(1)} s${failures.length ? `; ${failures.length} failed (first: ${failures[0]})` : ''}`);
await new Promise((r) => setTimeout(r, 2000));
const loaded = servers.map((s) => rssMb(s.child.pid!));
servers.forEach((s, i) =>
  console.log(
    `  server ${processLabel(i)}: RSS ${baseline[i]!.toFixed(0)} MB idle -> ${loaded[i]!.toFixed(0)} MB with ${Math.round(joined / processes)} watchers = ${(((loaded[i]! - baseline[i]!) * 1024) / (joined / processes)).toFixed(1)} KB per connection`,
  ),
);

// One holder per process (visitor ids -1, -2, ...), each also in the room: it sees its own broadcast.
const holders = await Promise.all(
  servers.map(async (server, p) => {
    const res = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Holder ${p}`, email: `holder-${p}-${Date.now()}@bench.example`, password: 'bench-password' }),
    });
    const { token } = (await res.json()) as { token: string };
    const socket = io(server.url, { auth: { token }, transports: ['websocket'], forceNew: true });
    await new Promise((r) => socket.once('connect', () => r(null)));
    const id = -1 - p;
    socket.on('seats:changed', (m: SeatsChanged) => fanout.received(id, p, m, performance.now(), false));
    await emit(socket, 'show:join', { showId: show.showId });
    return { socket, id, proc: p };
  }),
);

const cpu = cpuMeter(Object.fromEntries(servers.map((s, i) => [`server ${processLabel(i)}`, s.child.pid!])));
const end = Date.now() + seconds * 1000;
let k = 0;
let holds = 0;
while (Date.now() < end) {
  const h = holders[k % holders.length]!;
  const seatId = show.seatIds[k++ % show.seatIds.length]!;
  const sent = performance.now();
  fanout.requested(h.id, h.proc, [seatId], sent);
  const held = await emit<{ ok: boolean }>(h.socket, 'seat:hold', { showId: show.showId, seatIds: [seatId] });
  fanout.acked(h.id, [seatId], held.ok);
  if (held.ok) holds++;
  await emit(h.socket, 'seat:release', { showId: show.showId, seatIds: [seatId] });
  const wait = 1000 / rate - (performance.now() - sent);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
await new Promise((r) => setTimeout(r, 3000));
const cores = cpu();

const report = fanout.report();
const f = (p: Percentiles) => `p50 ${p.p50} / p95 ${p.p95} / p99 ${p.p99} / max ${p.max} ms (${p.n} deliveries)`;
console.log(`  holds: ${holds}; traced to their broadcast: ${report.reach.length}; reached all ${joined} watchers: ${report.reach.filter((n) => n >= joined).length}`);
console.log(`  fan-out from the hold request to each watcher's receipt: ${f(report.overall)}`);
if (processes > 1) for (const [pair, p] of Object.entries(report.byPair)) console.log(`    ${pair}: ${f(p)}`);
console.log(`  server CPU cores during the stream: ${cores}`);

for (const s of sockets) s.disconnect();
for (const h of holders) h.socket.disconnect();
for (const s of servers) {
  s.child.kill('SIGTERM');
  await s.exited;
}
await redis?.stop();
await stack.stop();
process.exit(0);
