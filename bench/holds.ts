/**
 * Hold throughput on the embedded store. Prints, never asserts.
 *   npm run bench:holds -- [--users 100] [--seconds 15] [--disk] [--store-cores [LIST]]
 * 1. the store's raw rate: conditional PutItem, and the 2-item transaction a hold is;
 * 2. the server: N socket users holding single seats (no contention), ack latency.
 * --store-cores 0 pins DynamoDB Local to core 0 and the app + users (this process) to the rest.
 */
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { arg, cpuMeter, emit, flag, pinStoreCores, registerAndConnect, startStack, summary } from './lib.js';
import { createShow } from '../test/support/fixtures.js';

const users = Number(arg('users', '100'));
const seconds = Number(arg('seconds', '15'));
const disk = flag('disk');
const CONCURRENCY = 50;

async function timed(label: string, total: number, op: (i: number) => Promise<unknown>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) await op(next++);
    }),
  );
  const rate = total / ((performance.now() - started) / 1000);
  if (label === 'warm-up') return rate;
  console.log(`  ${label}: ${rate.toFixed(0)}/s (${total} writes, concurrency ${CONCURRENCY})`);
  return rate;
}

const stack = await startStack({ disk });
console.log(`DynamoDB Local ${disk ? 'on disk' : 'in memory'}, ${users} users, ${seconds} s, node ${process.version}`);
console.log(pinStoreCores(stack.storePid));
const { doc, tables } = stack.dynamo;
// DynamoDB Local is a JVM: its first few thousand requests run several times slower.
process.stdout.write('warming up the store (JIT)... ');
await timed('warm-up', 5000, (i) => doc.send(new PutCommand({ TableName: tables.seats, Item: { pk: `warm#${i % 8}`, sk: `s${i}` } })));
console.log('store, raw:');
const rawPut = await timed('conditional PutItem', 4000, (i) =>
  doc.send(new PutCommand({ TableName: tables.seats, Item: { pk: `raw#${i % 8}`, sk: `s${i}` }, ConditionExpression: 'attribute_not_exists(pk)' })),
);
const rawTx = await timed('2-item TransactWriteItems (a hold)', 2000, (i) =>
  doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: tables.seats, Item: { pk: `rawcart#${i}`, sk: 'CART', rev: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: tables.seats, Item: { pk: `rawtx#${i % 8}`, sk: `s${i}` }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    }),
  ),
);

const perUser = 40;
const rows = Math.ceil((users * perUser) / 100);
const show = await createShow(stack.app.stores.catalog, { now: Date.now(), rows: Math.min(rows, 676), perRow: 100 });
process.stdout.write(`server: connecting ${users} users... `);
const sockets = [];
for (let i = 0; i < users; i += 20) {
  sockets.push(...(await Promise.all(Array.from({ length: Math.min(20, users - i) }, (_, j) => registerAndConnect(stack.url, `bench${i + j}`)))));
}
console.log('done');

const latencies: number[] = [];
let holds = 0;
let failures = 0;
let released = 0;
const failureCodes: Record<string, number> = {};
const deadline = Date.now() + seconds * 1000;
const progress = setInterval(() => console.log(`  ... ${holds} holds, ${failures} failures`), 5000);
const cpu = cpuMeter({ 'DynamoDB Local (JVM)': stack.storePid, 'app + users (this process)': process.pid });
const started = performance.now();
await Promise.all(
  sockets.map(async (socket, u) => {
    const mine = show.seatIds.slice(u * perUser, (u + 1) * perUser);
    let held: string[] = [];
    let k = 0;
    while (Date.now() < deadline) {
      const seatId = mine[k++ % mine.length]!;
      const t = performance.now();
      const r = await emit<{ ok: boolean; error?: { code: string } }>(socket, 'seat:hold', { showId: show.showId, seatIds: [seatId] });
      latencies.push(performance.now() - t);
      if (r.ok) {
        holds++;
        held.push(seatId);
      } else {
        failures++;
        failureCodes[r.error?.code ?? '?'] = (failureCodes[r.error?.code ?? '?'] ?? 0) + 1;
      }
      if (held.length >= 8) {
        await emit(socket, 'seat:release', { showId: show.showId, seatIds: held });
        released += held.length;
        held = [];
      }
    }
  }),
);
clearInterval(progress);
const elapsed = (performance.now() - started) / 1000;
const s = summary(latencies);
const rate = holds / elapsed;
console.log(`  seat:hold through the server: ${rate.toFixed(0)} holds/s (${holds} holds, ${failures} failures${failures ? ` ${JSON.stringify(failureCodes)}` : ''}, releases interleaved)`);
console.log(`  hold ack latency ms: p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  p99 ${s.p99.toFixed(1)}  max ${s.max.toFixed(1)}`);
console.log(`  CPU cores used while holding: ${cpu()}`);
// Every hold is one conditional write and every released seat one more (8 at a time, in one transaction):
// the store's work per hold is two seat writes, so half the raw PutItem rate is the ceiling of this loop.
const seatWrites = (holds + released) / elapsed;
console.log(`  seat writes (holds + released seats): ${seatWrites.toFixed(0)}/s = ${((seatWrites / rawPut) * 100).toFixed(0)} % of the raw PutItem rate`);
console.log(`  server hold rate / raw 2-item transaction rate: ${((rate / rawTx) * 100).toFixed(0)} %; / raw PutItem rate: ${((rate / rawPut) * 100).toFixed(0)} %`);
for (const sock of sockets) sock.disconnect();
await stack.stop();
process.exit(0);
