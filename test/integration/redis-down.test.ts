/**
 * Redis going away degrades a server to a single process with a clear log line: holds
 * still work and reach the watchers on that process; nothing crashes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { SeatsChanged } from '../../protocol/index.js';
import { createCatalogStore } from '../../server/adapters/dynamo/catalog-store.js';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { createShow } from '../support/fixtures.js';
import { ack, testDynamo, waitFor, type ClientSocket } from '../support/harness.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const dynamo = testDynamo();
let redis: RedisServer;
let server: ServerProcess;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  await ensureTables(dynamo);
  redis = await startRedis();
  server = await startServerProcess({
    STORE: 'aws',
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    AWS_REGION: 'local',
    TABLE_PREFIX: dynamo.tables.main.replace(/-main$/, ''),
    JWT_SECRET: 'redis-down-test-secret-long-enough',
    REDIS_URL: redis.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-redis-down-')),
  });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  if (server?.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await redis?.stop();
  await dropTables(dynamo);
});

async function user() {
  const res = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'R', email: `r-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' }),
  });
  const { token } = (await res.json()) as { token: string };
  const s: ClientSocket = connect(server.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

it('keeps serving holds and broadcasts on its own process, and says so in the log', async () => {
  const show = await createShow(createCatalogStore(dynamo), { now: Date.now(), rows: 3, perRow: 4 });
  const [holder, watcher] = [await user(), await user()];
  const seen: SeatsChanged[] = [];
  watcher.on('seats:changed', (m) => seen.push(m));
  await ack(watcher, 'show:join', { showId: show.showId });

  await redis.stop();
  await waitFor(() => server.output().includes('Redis unavailable'), 10_000, 'the Redis log line');

  const held = await ack<{ ok: boolean }>(holder, 'seat:hold', { showId: show.showId, seatIds: ['A1'] });
  expect(held.ok).toBe(true);
  await waitFor(() => seen.some((m) => m.changes.some((c) => c.seatId === 'A1' && c.status === 'held')), 5000, 'the broadcast');
  expect(server.child.exitCode).toBeNull();
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

  // New users still get in: the per-user socket cap counts this process's sockets when Redis cannot answer.
  const started = Date.now();
  const late = await user();
  console.log(`[redis down] a new signed-in socket connected in ${Date.now() - started} ms (sign-up included)`);
  expect(await ack<{ ok: boolean }>(late, 'seat:hold', { showId: show.showId, seatIds: ['B1'] })).toMatchObject({ ok: true });
  // The sign-up and the socket were still limited, by this process alone, and the log says so.
  expect(server.output()).toContain('Redis unavailable: rate limits counted per process');
  expect(server.output()).toContain('Redis unavailable: the socket cap counted per process');
});
