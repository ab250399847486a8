/** Shared pieces for benchmarks: an embedded store, the app on port 0, percentiles. */
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { createDynamo } from '../server/adapters/dynamo/client.js';
import { startEmbeddedDynamo } from '../server/adapters/dynamo/embedded.js';
import { ensureTables } from '../server/adapters/dynamo/tables.js';
import { createMemoryVersions } from '../server/adapters/versions.js';
import { createApp } from '../server/app.js';
import { systemClock } from '../server/ports.js';
import { mkdtempSync } from 'node:fs';
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

export async function startStack(opts: { disk: boolean; maxSeatsPerUser?: number }) {
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
      versions: createMemoryVersions(),
    },
    {
      holdSeconds: 480,
      maxSeatsPerUser: opts.maxSeatsPerUser ?? 10,
      jwtSecret: 'bench-secret-bench-secret-bench-secret',
      bcryptCost: 4,
      tokenTtlSeconds: 3600,
      publicUrl: 'http://localhost',
      clientDir: null,
      sweepIntervalMs: 0,
    },
  );
  const port = await app.listen(0, '127.0.0.1');
  return {
    app,
    dynamo,
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
