/**
 * Release-day rush on one box. Prints, never asserts.
 *   npm run bench:rush -- [--users 2000] [--ramp 20] [--rows 20 --per-row 25] [--processes 1|2] [--in-process]
 *                         [--server-prof DIR] [--no-raw] [--store-cores [LIST]] [--pay [--decline 0.1]]
 * Starts DynamoDB Local (in memory), measures its raw conditional-write rate, then
 * runs the `rush` runner (in this process) against server processes (server/main.ts;
 * with 2, they share rooms through a redis-server started here) and prints the report.
 * --in-process runs one server inside this process instead, to count its store calls
 * by command (the virtual users then share its event loop: latencies are worse).
 * --store-cores 0 pins DynamoDB Local to core 0 and the server(s), redis-server and the virtual
 * users to the other cores (taskset), so the figures show the server rather than the shared box.
 * Fan-out is timed from a holder's seat:hold emit to each other user's receipt of the broadcast.
 * The servers run with PAYMENT_GATEWAY=none (confirm books at once: the bench measures seats alone);
 * --pay runs them with the test gateway, the virtual users pay through its drive routes (--decline:
 * that share declined once first), and confirm-to-booked is printed.
 * --metrics-series FILE: scrapes every server's /metrics each second during the rush and writes the
 * series there (for `npm run ops:panels`, which draws the Grafana dashboard's panels from it), and
 * prints the server-side figures over the rush next to the client-side ones.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFanout, describePaying, runRush } from '../scripts/rush/run.js';
import { describeServerFigures, scrapeServers, serverFigures } from '../scripts/rush/server-metrics.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCatalogStore } from '../server/adapters/dynamo/catalog-store.js';
import { createShow } from '../test/support/fixtures.js';
import { startRedis } from '../test/support/redis.js';
import { startServerProcess } from '../test/support/server-process.js';
import { arg, coresOf, cpuMeter, flag, pinStoreCores, rawWriteRate, serverEnv, startStack, storeCallCounter } from './lib.js';

const users = Number(arg('users', '2000'));
const ramp = Number(arg('ramp', '20'));
const rows = Number(arg('rows', '20'));
const perRow = Number(arg('per-row', '25'));
const processes = Number(arg('processes', '1'));
const inProcess = flag('in-process');
const pay = flag('pay');

const stack = await startStack({ disk: false, listen: inProcess, pay: pay && inProcess });
console.log(
  `rush bench: ${users} users over ${ramp} s, ${rows * perRow} seats, ${processes} server process(es), DynamoDB Local in memory, ${pay ? 'paying through the test gateway' : 'PAYMENT_GATEWAY=none'}, ${process.version}`,
);
console.log(pinStoreCores(stack.storePid));
const raw = flag('no-raw') ? { put: NaN, tx: NaN, holdTx: NaN } : await rawWriteRate(stack.dynamo);
console.log(
  `store raw rate (50 in flight): conditional PutItem ${raw.put.toFixed(0)}/s, 2-item TransactWriteItems ${raw.tx.toFixed(0)}/s, hold-shaped 3-item transaction with index ${raw.holdTx.toFixed(0)}/s`,
);

const show = await createShow(createCatalogStore(stack.dynamo), { now: Date.now(), rows, perRow });
let urls = stack.url;
const cleanup: (() => Promise<unknown>)[] = [];
const serverPids: Record<string, number> = {};
if (!inProcess) {
  const redis = processes > 1 ? await startRedis() : null;
  if (redis) cleanup.push(() => redis.stop());
  const env = serverEnv(stack, { ...(redis ? { REDIS_URL: redis.url } : {}), ...(pay ? { PAYMENT_GATEWAY: 'test' } : {}) });
  const servers = await Promise.all(
    Array.from({ length: processes }, (_, i) =>
      startServerProcess(
        { ...env, NODE_APP_INSTANCE: String(i), DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-bench-')) },
        // --server-prof DIR: a V8 CPU profile of each server process, written when it exits.
        { nodeArgs: arg('server-prof', '') ? ['--cpu-prof', `--cpu-prof-dir=${arg('server-prof', '')}`] : [] },
      ),
    ),
  );
  servers.forEach((s, i) => (serverPids[`server ${i + 1}`] = s.child.pid!));
  console.log(`server process cores: ${servers.map((s, i) => `server ${i + 1} (pid ${s.child.pid}) on ${coresOf(s.child.pid!)}`).join(', ')}`);
  for (const s of servers) cleanup.push(async () => (s.child.kill('SIGTERM'), await s.exited));
  urls = servers.map((s) => s.url).join(',');
}

const calls = storeCallCounter(stack.dynamo);
const cpu = cpuMeter({ 'DynamoDB Local (JVM)': stack.storePid, [inProcess ? 'server + virtual users' : 'virtual users (this process)']: process.pid, ...serverPids });
const seriesFile = arg('metrics-series', '');
const scrapes: { t: number; text: string }[] = [];
const started = Date.now();
const scrapeNow = async () => scrapes.push({ t: Date.now() - started, text: await scrapeServers(urls.split(',')) });
if (seriesFile) await scrapeNow();
const scraper = seriesFile ? setInterval(() => void scrapeNow().catch(() => undefined), 1000) : null;
const report = await runRush({
  url: urls,
  show: show.showId,
  users,
  rampSeconds: ramp,
  durationSeconds: 600,
  untilSoldOut: true,
  mode: 'random',
  thinkMs: 300,
  releaseChance: 0.1,
  declineShare: Number(arg('decline', '0')),
  password: 'rush-password-123',
  progress: (line) => console.log(`  ${line}`),
});
const cores = cpu();
if (scraper) {
  clearInterval(scraper);
  await new Promise((r) => setTimeout(r, 1500)); // the outbox and the last broadcasts settle
  await scrapeNow();
  mkdirSync(dirname(seriesFile), { recursive: true });
  writeFileSync(seriesFile, JSON.stringify({ title: `Movie Magic: npm run bench:rush, ${users} users, ${rows * perRow} seats, ${processes} server process(es) (from /metrics)`, scrapes }));
}
const holdRate = report.holdsWon / report.seconds;
console.log(JSON.stringify(report, null, 2));
console.log(`\nsold ${report.seatsSold}/${rows * perRow} seats in ${report.seconds} s; doubleBooked ${report.verify.doubleBooked}; holdsLeft ${report.verify.holdsLeft}`);
if (report.payments.gateway) console.log(`payments: ${describePaying(report.payments, report.payments.confirmToBookedMs)}; captured ${report.verify.payments.captured} = confirmed ${report.verify.payments.confirmed} + refunded ${report.verify.payments.refunded}: ${report.verify.payments.ok}`);
console.log(`hold ack ms p50 ${report.holdLatencyMs.p50} p95 ${report.holdLatencyMs.p95} p99 ${report.holdLatencyMs.p99}`);
console.log(`fan-out ms, from the holder's seat:hold to another user's seats:changed (A→B = held on A, seen on B): ${describeFanout(report)}`);
console.log(
  `hold requests answered ${report.holdRatePerSecond.requests}/s (won ${holdRate.toFixed(1)}/s) = ${((report.holdRatePerSecond.requests / raw.put) * 100).toFixed(0)} % of raw PutItem, ${((report.holdRatePerSecond.requests / raw.holdTx) * 100).toFixed(0)} % of the raw hold-shaped transaction rate`,
);
console.log(`CPU cores used during the rush: ${cores}`);
if (inProcess) console.log(`store calls by the server during the rush: ${calls.describe()}`);
if (scrapes.length > 1) {
  for (const line of describeServerFigures(serverFigures(scrapes[0]!.text, scrapes.at(-1)!.text), { holdP99Ms: report.holdLatencyMs.p99, confirmP99Ms: report.confirmLatencyMs.p99 })) console.log(line);
  console.log(`/metrics series: ${scrapes.length} scrapes written to ${seriesFile} (npm run ops:panels -- ${seriesFile})`);
}
for (const c of cleanup.reverse()) await c();
await stack.stop();
process.exit(report.verify.ok ? 0 : 1);
