/**
 * Many idle watchers on one show, with a steady stream of holds. Prints, never asserts.
 *   npm run bench:watchers -- [--watchers 5000] [--seconds 15] [--rate 5] [--processes 1|2]
 * Starts DynamoDB Local (in memory) and the server as separate processes (with 2, they
 * share rooms through a redis-server started here), connects anonymous watchers that
 * join the show, then one user holds and releases seats `--rate` times a second.
 * Prints server memory per connection and the fan-out delay: from the hold request,
 * and from its ack, to the change arriving at every watcher.
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { createCatalogStore } from '../server/adapters/dynamo/catalog-store.js';
import { createShow } from '../test/support/fixtures.js';
import { startRedis } from '../test/support/redis.js';
import { startServerProcess, type ServerProcess } from '../test/support/server-process.js';
import { arg, cpuMeter, emit, serverEnv, startStack, summary } from './lib.js';

const watchers = Number(arg('watchers', '5000'));
const seconds = Number(arg('seconds', '15'));
const rate = Number(arg('rate', '5'));
const processes = Number(arg('processes', '1'));

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const stack = await startStack({ disk: false, listen: false });
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

const sockets: Socket[] = [];
const receivedAt = new Map<number, number[]>(); // version -> arrival times at watchers
const started = performance.now();
for (let i = 0; i < watchers; i += 250) {
  await Promise.all(
    Array.from({ length: Math.min(250, watchers - i) }, async (_, k) => {
      const s = io(servers[(i + k) % servers.length]!.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
      sockets.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
      const joined = await emit<{ ok: boolean }>(s, 'show:join', { showId: show.showId });
      if (!joined.ok) throw new Error('join failed');
      s.on('seats:changed', (m: { version: number }) => {
        const at = performance.now();
        const list = receivedAt.get(m.version);
        if (list) list.push(at);
        else receivedAt.set(m.version, [at]);
      });
    }),
  );
  process.stdout.write(`\r  connected and joined ${Math.min(i + 250, watchers)}/${watchers}`);
}
console.log(` in ${((performance.now() - started) / 1000).toFixed(1)} s`);
await new Promise((r) => setTimeout(r, 2000));
const loaded = servers.map((s) => rssMb(s.child.pid!));
servers.forEach((s, i) =>
  console.log(
    `  server ${i + 1}: RSS ${baseline[i]!.toFixed(0)} MB idle -> ${loaded[i]!.toFixed(0)} MB with ${Math.round(watchers / processes)} watchers = ${(((loaded[i]! - baseline[i]!) * 1024) / (watchers / processes)).toFixed(1)} KB per connection`,
  ),
);

const res = await fetch(`${servers[0]!.url}/api/auth/register`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'Holder', email: `holder-${Date.now()}@bench.example`, password: 'bench-password' }),
});
const { token } = (await res.json()) as { token: string };
const holder = io(servers[0]!.url, { auth: { token }, transports: ['websocket'], forceNew: true });
await new Promise((r) => holder.once('connect', () => r(null)));
const versionOf = new Map<number, { sent: number; acked: number }>();
let lastVersion = 0;
holder.on('seats:changed', (m: { version: number }) => (lastVersion = m.version));
await emit(holder, 'show:join', { showId: show.showId });

const cpu = cpuMeter(Object.fromEntries(servers.map((s, i) => [`server ${i + 1}`, s.child.pid!])));
const end = Date.now() + seconds * 1000;
let k = 0;
while (Date.now() < end) {
  const seatId = show.seatIds[k++ % show.seatIds.length]!;
  const sent = performance.now();
  const held = await emit<{ ok: boolean }>(holder, 'seat:hold', { showId: show.showId, seatIds: [seatId] });
  const acked = performance.now();
  if (held.ok) versionOf.set(lastVersion, { sent, acked });
  await emit(holder, 'seat:release', { showId: show.showId, seatIds: [seatId] });
  const wait = 1000 / rate - (performance.now() - sent);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
await new Promise((r) => setTimeout(r, 3000));
const cores = cpu();

const fromRequest: number[] = [];
const fromAck: number[] = [];
let complete = 0;
for (const [version, t] of versionOf) {
  const arrivals = receivedAt.get(version) ?? [];
  if (arrivals.length >= watchers) complete++;
  for (const at of arrivals) {
    fromRequest.push(at - t.sent);
    fromAck.push(Math.max(0, at - t.acked));
  }
}
const r = summary(fromRequest);
const a = summary(fromAck);
console.log(`  holds broadcast: ${versionOf.size}; reached all ${watchers} watchers: ${complete}`);
console.log(`  fan-out from hold request ms: p50 ${r.p50.toFixed(1)} p95 ${r.p95.toFixed(1)} p99 ${r.p99.toFixed(1)} max ${r.max.toFixed(1)} (${r.n} deliveries)`);
console.log(`  fan-out from hold ack ms:     p50 ${a.p50.toFixed(1)} p95 ${a.p95.toFixed(1)} p99 ${a.p99.toFixed(1)} max ${a.max.toFixed(1)}`);
console.log(`  server CPU cores during the stream: ${cores}`);

for (const s of sockets) s.disconnect();
holder.disconnect();
for (const s of servers) {
  s.child.kill('SIGTERM');
  await s.exited;
}
await redis?.stop();
await stack.stop();
process.exit(0);
