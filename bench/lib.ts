/** Shared pieces for benchmarks: an embedded store, the app on port 0, percentiles. */
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamo, type Dynamo } from '../server/adapters/dynamo/client.js';
import { startEmbeddedDynamo } from '../server/adapters/dynamo/embedded.js';
import { ensureTables } from '../server/adapters/dynamo/tables.js';
import { createMemoryFeed } from '../server/adapters/feed/memory-feed.js';
import { loadCommonPasswords } from '../server/adapters/common-passwords.js';
import { createMailOutbox } from '../server/adapters/mail/outbox.js';
import { createApp } from '../server/app.js';
import { createGateway, createGatewayRoutes, isTestGateway } from '../server/adapters/payments/index.js';
import { systemClock } from '../server/ports.js';
import { spawnSync } from 'node:child_process';
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
              Item: { pk: `rawh${tag}#${i % 8}`, sk: `s${i}-${k}`, expiresAt: Date.now() + 480_000 },
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

/**
 * DynamoDB Local and the app (createApp) in this process.
 * `mailDir`: confirmations go through the outbox to the local mail channel there, as `npm start`
 * does (default: a notifier that drops them). `sweepIntervalMs`: the expiry sweeper's round (default off).
 * `pay`: bookings wait for payment through the built-in test gateway (its drive routes mounted), as
 * with PAYMENT_GATEWAY=test; default none: confirm books at once, so the bench measures seats alone.
 */
export async function startStack(opts: { disk: boolean; maxSeatsPerUser?: number; listen?: boolean; mailDir?: string; sweepIntervalMs?: number; pay?: boolean }) {
  const dataDir = opts.disk ? mkdtempSync(join(tmpdir(), 'mm-bench-')) : null;
  const store = await startEmbeddedDynamo({ dataDir });
  const dynamo = createDynamo({ region: 'local', endpoint: store.endpoint, tablePrefix: 'bench', localCredentials: true });
  await ensureTables(dynamo);
  const logger = pino({ level: 'warn' });
  const jwtSecret = 'bench-secret-bench-secret-bench-secret';
  let url = '';
  const settings = { gateway: 'test' as const, windowSeconds: 600, razorpay: undefined, stripe: undefined };
  const gateway = opts.pay ? createGateway(settings, { dynamo, clock: systemClock, logger, publicUrl: () => url, secret: jwtSecret }) : null;
  const app = createApp(
    {
      dynamo,
      clock: systemClock,
      logger,
      notifier: opts.mailDir ? createMailOutbox(opts.mailDir).notifier : { send: async () => undefined },
      feed: createMemoryFeed(),
      commonPasswords: loadCommonPasswords(),
    },
    {
      holdSeconds: 480,
      maxSeatsPerUser: opts.maxSeatsPerUser ?? 10,
      jwtSecret,
      bcryptCost: 4,
      accessTokenSeconds: 3600,
      publicUrl: 'http://localhost',
      clientDir: null,
      sweepIntervalMs: opts.sweepIntervalMs ?? 0,
      // A load-test rig: every virtual user signs up from 127.0.0.1, and each socket is a closed loop sending as fast as
      // its acks come (the per-socket seat-event limit, abuse protection, would cap the figure at 5 a second per socket).
      limits: { authPerIp: null, seatEventsPerSocket: null },
      verifyEmailOnSignUp: false,
      payments: gateway ? { gateway, windowSeconds: settings.windowSeconds, routes: createGatewayRoutes(settings, gateway, { logger }) } : undefined,
    },
  );
  const port = opts.listen === false ? 0 : await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${port}`;
  return {
    app,
    dynamo,
    endpoint: store.endpoint,
    storePid: store.pid,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await app.close();
      if (isTestGateway(gateway)) gateway.close();
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
    // A bench measures seats unless it pays (--pay: PAYMENT_GATEWAY=test in `extra`).
    PAYMENT_GATEWAY: 'none',
    ...extra,
  };
}

// ---- cores: the store on its own (taskset) -------------------------------------------

const cpuListOf = (pid: number | 'self'): string => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';

/** "0-2,5" -> [0, 1, 2, 5] */
export function parseCpuList(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) return [];
    return Array.from({ length: (Number.isInteger(b) ? b! : a!) - a! + 1 }, (_, i) => a! + i);
  });
}

/** Cores of a running process as the kernel has them (`Cpus_allowed_list`), e.g. "1". */
export const coresOf = (pid: number) => cpuListOf(pid);

/**
 * `--store-cores [LIST]` (bare: core 0): pins DynamoDB Local (the JVM, every thread) to LIST and
 * this process (load generator, and the in-process server if any) to the remaining cores, so
 * what this process starts afterwards (server processes, redis-server) inherits them. Call it
 * after the store started and before the servers do. Returns a line that says what happened.
 */
export function pinStoreCores(storePid: number): string {
  if (!flag('store-cores')) return `cores: not pinned (store, server(s) and load generator share cores ${cpuListOf('self')}; --store-cores pins the store)`;
  if (spawnSync('taskset', ['--version']).error) {
    return 'cores: NOT PINNED: taskset is not available here (Debian: apt-get install util-linux); store, server(s) and load generator share every core';
  }
  const allowed = parseCpuList(cpuListOf('self'));
  const wanted = parseCpuList(arg('store-cores', '0'));
  const store = wanted.filter((c) => allowed.includes(c));
  const rest = allowed.filter((c) => !store.includes(c));
  if (store.length === 0 || rest.length === 0) {
    return `cores: NOT PINNED: --store-cores ${wanted.join(',')} leaves no core for one side (this process may use ${allowed.join(',')})`;
  }
  const pin = (cores: number[], pid: number) => spawnSync('taskset', ['-a', '-p', '-c', cores.join(','), String(pid)], { encoding: 'utf8' });
  const a = pin(store, storePid);
  const b = pin(rest, process.pid);
  if (a.status !== 0 || b.status !== 0) return `cores: NOT PINNED: taskset failed: ${(a.stderr || b.stderr).trim()}`;
  return `cores: DynamoDB Local (pid ${storePid}) on ${coresOf(storePid)}; this process (pid ${process.pid}: load generator, in-process server) and what it starts from now on (server processes, redis-server) on ${coresOf(process.pid)}`;
}

// ---- file descriptors ---------------------------------------------------------------

export const openFilesLimit = () => {
  const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  const n = (x: string | undefined) => (x === 'unlimited' ? Infinity : Number(x));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
};

/**
 * Makes sure this process (and what it starts afterwards) may open `need` files: raises the
 * soft limit up to the hard one with `prlimit` when it is too low (`ulimit -n` is a shell
 * builtin, a running Node process cannot call it), and says what to do when even that is short.
 */
export function ensureOpenFiles(need: number): string {
  const { soft, hard } = openFilesLimit();
  if (soft >= need) return `open files: limit ${soft} (need ~${need})`;
  const target = Math.min(hard, Math.max(need, 65_536));
  if (target > soft && !spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${hard === Infinity ? 'unlimited' : hard}`]).error) {
    const now = openFilesLimit().soft;
    if (now >= need) return `open files: raised the soft limit ${soft} -> ${now} with prlimit (need ~${need})`;
  }
  return (
    `open files: WARNING: the limit is ${openFilesLimit().soft} (hard ${hard}) but this run needs ~${need}; connections will fail with EMFILE. ` +
    `Run \`ulimit -n ${need}\` in the shell first${hard < need ? ` (above the hard limit ${hard}: raise it as root, e.g. in /etc/security/limits.conf)` : ''}.`
  );
}

// ---- every store request the app makes, by kind and origin ---------------------------

interface StoreOp {
  /** e.g. "PutItem", "TransactWriteItems", "Query" */
  command: string;
  write: boolean;
  /** What it touched: table and key prefix per item, e.g. ["Put seats:SHOW", "Put main:BOOKING"]. */
  items: string[];
  /** The first file of our server code on the call's stack, e.g. "services/seats.ts". */
  origin: string;
  failed: string | null;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);
const text = (v: unknown): string => (typeof v === 'string' ? v : v && typeof v === 'object' && 'S' in v ? String((v as { S: unknown }).S) : '');
const prefixOf = (v: unknown) => text(v).split('#')[0] || '?';
const tableOf = (name: unknown) => String(name ?? '?').split('-').pop();

/** Table and key prefix ("seats:SHOW") of each item a request touches. */
function itemsOf(command: string, input: Record<string, any>): string[] {
  const one = (t: unknown, key: Record<string, unknown> | undefined) => `${tableOf(t)}:${prefixOf(key?.pk)}`;
  switch (command) {
    case 'PutItem':
      return [one(input.TableName, input.Item)];
    case 'UpdateItem':
    case 'DeleteItem':
    case 'GetItem':
      return [one(input.TableName, input.Key)];
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return (input.TransactItems ?? []).map((t: Record<string, any>) => {
        const [op, body] = Object.entries(t)[0] ?? ['?', {}];
        return `${op} ${one(body.TableName, body.Item ?? body.Key)}`;
      });
    case 'BatchWriteItem':
    case 'BatchGetItem':
      return Object.entries(input.RequestItems ?? {}).flatMap(([table, reqs]: [string, any]) =>
        Array.isArray(reqs)
          ? reqs.map((r: Record<string, any>) => (r.PutRequest ? `Put ${one(table, r.PutRequest.Item)}` : `Delete ${one(table, r.DeleteRequest?.Key)}`))
          : (reqs.Keys ?? []).map((k: Record<string, unknown>) => one(table, k)),
      );
    case 'Query': {
      const first = Object.values(input.ExpressionAttributeValues ?? {})[0];
      return [`${tableOf(input.TableName)}${input.IndexName ? `.${input.IndexName}` : ''}:${prefixOf(first)}`];
    }
    default:
      return [String(tableOf(input.TableName ?? ''))];
  }
}

/**
 * "services/seats.ts confirm": the first frame in our server code outside adapters/ (else the
 * first adapter frame), named by the outermost named function of that run of frames in that file
 * (the service's entry point: hold, confirm, kick, sweepOnce...), else by its line.
 */
function originOf(stack: string): string {
  const frames = [...stack.matchAll(/at (?:async )?(?:([\w$.<>]+) )?\(?[^\n]*?\/server\/([\w./-]+?\.ts):(\d+)/g)].map((m) => ({
    fn: /^(Timeout|Immediate|process|Promise)\./.test(m[1] ?? '') ? '' : (m[1] ?? '').replace(/^Object\./, '').replace('<anonymous>', ''),
    file: m[2]!,
    line: m[3]!,
  }));
  const f = frames.find((x) => !x.file.startsWith('adapters/')) ?? frames[0];
  if (!f) return 'outside server/';
  const run = frames.slice(frames.indexOf(f));
  const end = run.findIndex((x) => x.file !== f.file);
  const named = (end < 0 ? run : run.slice(0, end)).filter((x) => x.fn).pop();
  return `${f.file} ${named?.fn ?? `line ${f.line}`}`;
}

/**
 * Records every request the app sends through `dynamo` (the document client shares the raw
 * client's middleware stack) while `on()`: command, items touched, which server file sent it,
 * and failures. Reads (GetItem, Query, ...) are kept apart from writes.
 */
export function storeOpRecorder(dynamo: Dynamo) {
  const ops: StoreOp[] = [];
  let recording = false;
  dynamo.raw.middlewareStack.add(
    (next, context) => async (args) => {
      if (!recording) return next(args);
      const command = (context.commandName ?? '?').replace(/Command$/, '');
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 50;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      const op: StoreOp = { command, write: WRITES.has(command), items: itemsOf(command, args.input as Record<string, any>), origin: originOf(stack), failed: null };
      ops.push(op);
      try {
        return await next(args);
      } catch (err) {
        const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        op.failed = `${(err as Error).name}${reasons ? `[${reasons.map((r) => r.Code).join(',')}]` : ''}`;
        throw err;
      }
    },
    { step: 'initialize', name: 'benchStoreOpRecorder' },
  );
  return {
    on: () => void (recording = true),
    off: () => void (recording = false),
    ops: () => ops,
  };
}

/** Lines of a per-booking (per-`unit`) table of store requests: by command and origin, then by item touched. */
export function describeStoreOps(ops: StoreOp[], units: number, unitName: string): string[] {
  const per = (n: number) => (units > 0 ? (n / units).toFixed(2) : 'n/a');
  const writes = ops.filter((o) => o.write);
  const lines = [
    `store requests per ${unitName} (${units} ${unitName}s, ${ops.length} requests): writes ${per(writes.length)} requests / ${per(writes.reduce((a, o) => a + o.items.length, 0))} items, reads ${per(ops.length - writes.length)} requests`,
  ];
  const group = (key: (o: StoreOp) => string, list: StoreOp[]) => {
    const m = new Map<string, { n: number; items: number; failed: number }>();
    for (const o of list) {
      const g = m.get(key(o)) ?? { n: 0, items: 0, failed: 0 };
      g.n++;
      g.items += o.items.length;
      if (o.failed) g.failed++;
      m.set(key(o), g);
    }
    return [...m.entries()].sort((a, b) => b[1].n - a[1].n);
  };
  for (const [title, list] of [['writes', writes], ['reads', ops.filter((o) => !o.write)]] as const) {
    lines.push(`  ${title} by command and origin (per ${unitName}: requests, items${title === 'writes' ? ', failed' : ''}):`);
    for (const [k, g] of group((o) => `${o.command.padEnd(19)} ${o.origin}`, list)) {
      lines.push(`    ${k.padEnd(60)} ${per(g.n).padStart(7)} req  ${per(g.items).padStart(7)} items${title === 'writes' && g.failed ? `  (${g.failed} failed)` : ''}`);
    }
  }
  lines.push(`  write items by kind and target (per ${unitName}):`);
  const items = new Map<string, number>();
  for (const o of writes) for (const i of o.items) {
    const k = `${o.command} ${i}`;
    items.set(k, (items.get(k) ?? 0) + 1);
  }
  for (const [k, n] of [...items.entries()].sort((a, b) => b[1] - a[1])) lines.push(`    ${k.padEnd(60)} ${per(n).padStart(7)}`);
  const failures = group((o) => `${o.command} ${o.failed}`, ops.filter((o) => o.failed));
  if (failures.length) lines.push(`  failed requests: ${failures.map(([k, g]) => `${k} ${g.n}`).join(', ')}`);
  return lines;
}
