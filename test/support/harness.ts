/**
 * Starts the real app (createApp) on port 0 against the run's DynamoDB Local,
 * with its own tables and a controllable clock, and real socket.io-client users.
 */
import pino, { type Logger } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { inject } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, SeatsChanged } from '../../protocol/index.js';
import { loadCommonPasswords } from '../../server/adapters/common-passwords.js';
import { createDynamo, type Dynamo } from '../../server/adapters/dynamo/client.js';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { createMailOutbox } from '../../server/adapters/mail/outbox.js';
import { createDiskPosterStore } from '../../server/adapters/posters/disk.js';
import { createMemoryFeed } from '../../server/adapters/feed/memory-feed.js';
import { freePort } from '../../server/adapters/dynamo/embedded.js';
import { createGateway, createGatewayRoutes, type TestGateway } from '../../server/adapters/payments/index.js';
import { createApp, type App, type AppConfig, type AppDeps } from '../../server/app.js';
import type { ChangeFeed, Notifier } from '../../server/ports.js';
import { mkdtempSync } from 'node:fs';
import { seedDemo } from '../../server/seed/demo.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApi } from '../../server/transport/openapi.js';
import { checkingFetch } from './openapi.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class TestClock {
  constructor(public ms = Date.now()) {}
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

/** Read once per test file, as main.ts does once per process. */
const commonPasswords = loadCommonPasswords();

let prefixCounter = 0;
export function testDynamo(): Dynamo {
  const prefix = `t${process.pid}x${Date.now().toString(36)}x${++prefixCounter}`;
  return createDynamo({ region: 'local', endpoint: inject('dynamoEndpoint'), tablePrefix: prefix, localCredentials: true });
}

export interface Harness {
  app: App;
  url: string;
  clock: TestClock;
  dynamo: Dynamo;
  mailDir: string;
  /** The real built-in test gateway when started with `payments: {gateway: 'test'}`; else null. */
  gateway: TestGateway | null;
  /** Every webhook the test gateway sent, as sent (raw body and headers), to replay or forge. */
  webhooks: SentWebhook[];
  /** Signs up through the API; `cookie` is the refresh cookie (`mm_refresh=...`) for a Cookie header. */
  register(name?: string): Promise<{ token: string; userId: string; email: string; cookie: string; password: string }>;
  connect(token?: string): Promise<ClientSocket>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    clock?: TestClock;
    config?: Partial<AppConfig>;
    notifier?: Notifier;
    demoData?: boolean;
    logger?: Logger;
    /** Another store (one the test starts and stops itself); default: the run's DynamoDB Local. */
    dynamo?: Dynamo;
    /** Another change feed (Redis, shared with other processes); default: one in memory. */
    feed?: ChangeFeed;
    configureIo?: AppDeps['configureIo'];
    /** The waiting rooms' line (Redis, shared with another harness); default: one in memory. */
    queueLine?: AppDeps['queueLine'];
    /** The pre-queue shuffle's random source; default: node:crypto. */
    randomInt?: AppDeps['randomInt'];
    /** Where uploaded posters go (S3 on moto_server); default: a disk store in a fresh temporary directory. */
    posterStore?: AppDeps['posterStore'];
    /** Payments through the REAL built-in test gateway, wired as main.ts wires it; default: no gateway. */
    payments?: TestGatewayPayments;
    /**
     * Every response this server sends to a fetch of the test process (the test's calls,
     * `call`, `register`, the gateway's webhooks) is checked against the OpenAPI document; a
     * mismatch throws in the call that got it. Also on for every harness with CHECK_API=1.
     */
    checkApi?: boolean;
  } = {},
): Promise<Harness> {
  const clock = opts.clock ?? new TestClock();
  const dynamo = opts.dynamo ?? testDynamo();
  await ensureTables(dynamo);
  const mailDir = mkdtempSync(join(tmpdir(), 'mm-mail-'));
  const outbox = createMailOutbox(mailDir, clock.now);
  const logger = opts.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const jwtSecret = opts.config?.jwtSecret ?? 'test-secret-that-is-long-enough-for-hs256';
  // The gateway sends the browser back to PUBLIC_URL: with a gateway the app listens on a port
  // known before it is built, so that address is this server's own (and its cookies' origin).
  const port = opts.payments ? await freePort() : 0;
  let url = '';
  const wired = opts.payments ? testGatewayPayments(opts.payments, { dynamo, clock, logger, jwtSecret, url: () => url }) : null;
  const app = createApp(
    {
      dynamo,
      clock,
      logger,
      notifier: opts.notifier ?? outbox.notifier,
      mailOutbox: outbox,
      feed: opts.feed ?? createMemoryFeed(),
      configureIo: opts.configureIo,
      commonPasswords,
      queueLine: opts.queueLine,
      randomInt: opts.randomInt,
      posterStore: opts.posterStore ?? createDiskPosterStore(mkdtempSync(join(tmpdir(), 'mm-posters-'))),
    },
    {
      holdSeconds: 480,
      maxSeatsPerUser: 10,
      jwtSecret,
      bcryptCost: 4,
      accessTokenSeconds: 3600,
      publicUrl: opts.payments ? `http://127.0.0.1:${port}` : 'http://localhost:3000',
      clientDir: null,
      sweepIntervalMs: 0,
      outboxIntervalMs: 0,
      // Tests run the waiting room's rounds by hand (app.services.waitingRoom.tick()).
      queue: { intervalMs: 0 },
      // Tests sign up many users from 127.0.0.1, as a load-test rig does; rate-limit tests turn it on.
      limits: { authPerIp: null },
      ...(wired ? { payments: wired.payments } : {}),
      ...opts.config,
    },
  );
  if (opts.demoData) await seedDemo(app.stores.catalog, clock.now());
  url = `http://127.0.0.1:${await app.listen(port, '127.0.0.1')}`;
  const unchecked = globalThis.fetch;
  if (opts.checkApi || process.env.CHECK_API === '1') globalThis.fetch = checkingFetch(buildOpenApi(), url, unchecked);
  const sockets: ClientSocket[] = [];
  let users = 0;

  return {
    app,
    url,
    clock,
    dynamo,
    mailDir,
    gateway: wired?.gateway ?? null,
    webhooks: wired?.webhooks ?? [],
    async register(name = 'user') {
      const email = `${name}-${++users}-${Math.random().toString(36).slice(2, 8)}@test.example`;
      const password = 'correct horse battery';
      const res = await fetch(`${url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, email, password }),
      });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { token: string; user: { id: string } };
      return { token: body.token, userId: body.user.id, email, cookie: refreshCookieOf(res) ?? '', password };
    },
    async connect(token?: string) {
      const socket: ClientSocket = connect(url, {
        auth: token ? { token } : {},
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (err) => reject(err));
      });
      return socket;
    },
    async close() {
      for (const s of sockets) s.disconnect();
      globalThis.fetch = unchecked;
      await app.close();
      wired?.gateway.close();
      await dropTables(dynamo);
      dynamo.raw.destroy();
    },
  };
}

export interface SentWebhook {
  body: string;
  headers: Record<string, string>;
  status: number;
}

export interface TestGatewayPayments {
  gateway: 'test';
  /** PAYMENT_WINDOW_SECONDS (default 600). */
  windowSeconds?: number;
  /** Refund and reconciliation rounds; 0 (the default here) turns a round off: tests drive it. */
  refundIntervalMs?: number;
  reconcileIntervalMs?: number;
}

/** The test gateway and its routes exactly as main.ts builds them, addressed at the harness's own URL. */
function testGatewayPayments(
  p: TestGatewayPayments,
  deps: { dynamo: Dynamo; clock: TestClock; logger: Logger; jwtSecret: string; url: () => string },
): { gateway: TestGateway; payments: NonNullable<AppConfig['payments']>; webhooks: SentWebhook[] } {
  const webhooks: SentWebhook[] = [];
  // The real fetch, with a copy of each webhook kept for the test (replays, forgeries).
  const recording: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (typeof init?.body === 'string') webhooks.push({ body: init.body, headers: { ...(init.headers as Record<string, string>) }, status: res.status });
    return res;
  };
  const settings = { gateway: p.gateway, windowSeconds: p.windowSeconds ?? 600, razorpay: undefined, stripe: undefined };
  const gateway = createGateway(settings, {
    dynamo: deps.dynamo,
    clock: deps.clock,
    logger: deps.logger,
    publicUrl: deps.url,
    webhookUrl: () => `${deps.url()}/api/payments/webhook/test`,
    secret: deps.jwtSecret,
    fetch: recording,
  }) as TestGateway;
  return {
    gateway,
    webhooks,
    payments: {
      gateway,
      windowSeconds: settings.windowSeconds,
      routes: createGatewayRoutes(settings, gateway, { logger: deps.logger, now: deps.clock.now }),
      refundIntervalMs: p.refundIntervalMs ?? 0,
      reconcileIntervalMs: p.reconcileIntervalMs ?? 0,
    },
  };
}

/** Collects every seats:changed message a socket receives. */
export function recordChanges(socket: ClientSocket): SeatsChanged[] {
  const seen: SeatsChanged[] = [];
  socket.on('seats:changed', (m) => seen.push(m));
  return seen;
}

export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

export const ack = <T>(socket: ClientSocket, event: keyof ClientToServerEvents, payload: unknown): Promise<T> =>
  (socket.timeout(60_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<T> }).emitWithAck(event, payload);

/** The `mm_refresh=...` pair a response set, for the next request's Cookie header; '' when it cleared it; null when untouched. */
export function refreshCookieOf(res: Response): string | null {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('mm_refresh='));
  if (set === undefined) return null;
  const pair = set.split(';')[0]!;
  return pair === 'mm_refresh=' ? '' : pair;
}

/** A JSON call with optional bearer token and cookie; returns status, body, headers and any refresh cookie set. */
export async function call(
  url: string,
  method: string,
  path: string,
  opts: { token?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body = (text ? JSON.parse(text) : {}) as any;
  return { status: res.status, body, headers: res.headers, cookie: refreshCookieOf(res) };
}
