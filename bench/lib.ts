/** Shared pieces for benchmarks: an embedded store, the app on port 0, percentiles. */
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamo, type Dynamo } from '../server/adapters/dynamo/client.js';
import { startEmbeddedDynamo } from '../server/adapters/dynamo/embedded.js';
import { ensureTables } from '../server/adapters/dynamo/tables.js';
import { createMemoryFeed } from '../server/adapters/feed/memory-feed.js';
import { loadCommonPasswords } from '../server/adapters/common-passwords.js';
import { createApp } from '../server/app.js';
import { systemClock } from '../server/ports.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1]!.startsWith('--') ? process.argv[i + 1]! : def;
}
export const flag = (name: string) => process.argv.includes(`--${name}`);

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
export const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
};

/** The store's own rate, after a JIT warm-up: conditional PutItem and a 2-item transaction, 50 in flight. */
export async function rawWriteRate(dynamo: Dynamo, n = 3000) {
  const { doc, tables } = dynamo;
  const run = async (total: number, op: (i: number) => Promise<unknown>) => {
    let next = 0;
    const t = performance.now();
    await Promise.all(Array.from({ length: 50 }, async () => { while (next < total) await op(next++); }));
    return total / ((performance.now() - t) / 1000);
  };
  const tag = Math.random().toString(36).slice(2, 8);
  await run(4000, (i) => doc.send(new PutCommand({ TableName: tables.seats, Item: { pk: `warm${tag}#${i % 8}`, sk: `s${i}` } })));
  const put = await run(n, (i) =>
    doc.send(new PutCommand({ TableName: tables.seats, Item: { pk: `raw${tag}#${i % 8}`, sk: `s${i}` }, ConditionExpression: 'attribute_not_exists(pk)' })),
  );
  const tx = await run(Math.round(n / 2), (i) =>
    doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tables.seats, Item: { pk: `rawcart${tag}#${i}`, sk: 'CART' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: tables.seats, Item: { pk: `rawtx${tag}#${i % 8}`, sk: `s${i}` }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    ),
  );
  // The write a 2-seat hold really is: cart + 2 seat items that also feed the expiry index.
  const holdTx = await run(Math.round(n / 3), (i) =>
    doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tables.seats, Item: { pk: `rawhcart${tag}#${i}`, sk: 'CART' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ...[0, 1].map((k) => ({
            Put: {
              TableName: tables.seats,
              Item: { pk: `rawh${tag}#${i % 8}`, sk: `s${i}-${k}`, sweepPk: `rawsweep#${i % 4}`, expiresAt: Date.now() + 480_000 },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        ],
      }),
    ),
  );
  return { put, tx, holdTx };
}

/** Counts the store calls made through `dynamo` by command, with mean latency. */
export function storeCallCounter(dynamo: Dynamo) {
  const stats = new Map<string, { n: number; ms: number }>();
  const errors = new Map<string, number>();
  dynamo.raw.middlewareStack.add(
    (next, context) => async (args) => {
      const t = performance.now();
      try {
        return await next(args);
      } catch (err) {
        const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        const name = `${context.commandName}:${(err as Error).name}${reasons ? `[${reasons.map((r) => r.Code).join(',')}]` : ''}`;
        errors.set(name, (errors.get(name) ?? 0) + 1);
        throw err;
      } finally {
        const s = stats.get(context.commandName ?? '?') ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += performance.now() - t;
        stats.set(context.commandName ?? '?', s);
      }
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  return {
    describe: () =>
      [...stats.entries()].map(([k, v]) => `${k.replace('Command', '')} ${v.n} (mean ${(v.ms / v.n).toFixed(1)} ms)`).join(', ') +
      (errors.size ? `; failed: ${[...errors.entries()].map(([k, n]) => `${k} ${n}`).join(', ')}` : ''),
  };
}

export async function startStack(opts: { disk: boolean; maxSeatsPerUser?: number; listen?: boolean }) {
  const dataDir = opts.disk ? mkdtempSync(join(tmpdir(), 'mm-bench-')) : null;
  const store = await startEmbeddedDynamo({ dataDir });
  const dynamo = createDynamo({ region: 'local', endpoint: store.endpoint, tablePrefix: 'bench', localCredentials: true });
  await ensureTables(dynamo);
  const app = createApp(
    {
      dynamo,
      clock: systemClock,
      logger: pino({ level: 'warn' }),
      notifier: { send: async () => undefined },
      feed: createMemoryFeed(),
      commonPasswords: loadCommonPasswords(),
    },
    {
      holdSeconds: 480,
      maxSeatsPerUser: opts.maxSeatsPerUser ?? 10,
      jwtSecret: 'bench-secret-bench-secret-bench-secret',
      bcryptCost: 4,
      accessTokenSeconds: 3600,
      publicUrl: 'http://localhost',
      clientDir: null,
      sweepIntervalMs: 0,
      limits: { authPerIp: null }, // a load-test rig: every virtual user signs up from 127.0.0.1
      verifyEmailOnSignUp: false,
    },
  );
  const port = opts.listen === false ? 0 : await app.listen(0, '127.0.0.1');
  return {
    app,
    dynamo,
    endpoint: store.endpoint,
    storePid: store.pid,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await app.close();
      dynamo.raw.destroy();
      await store.stop();
    },
  };
}

export async function registerAndConnect(url: string, name: string) {
  const res = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email: `${name}@bench.example`, password: 'bench-password' }),
  });
  const { token } = (await res.json()) as { token: string };
  const socket: Socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

export const emit = <T>(socket: Socket, event: string, payload: unknown) =>
  socket.timeout(30_000).emitWithAck(event, payload) as Promise<T>;

/** CPU seconds a process has used so far (Linux /proc; user + system). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Cores used by each named process between start() and stop(). */
export function cpuMeter(pids: Record<string, number>) {
  const t0 = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  return () => {
    const secs = (performance.now() - t0) / 1000;
    return Object.entries(pids)
      .map(([k, pid]) => `${k} ${((cpuSeconds(pid) - before[k]!) / secs).toFixed(2)}`)
      .join(', ');
  };
}

/** Environment for a server process (server/main.ts) on the bench's DynamoDB Local, as a load-test rig. */
export function serverEnv(stack: { endpoint: string; dynamo: Dynamo }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    STORE: 'aws',
    DYNAMODB_ENDPOINT: stack.endpoint,
    AWS_REGION: 'local',
    TABLE_PREFIX: stack.dynamo.tables.main.replace(/-main$/, ''),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
    LOAD_TEST: '1',
    ...extra,
  };
}
