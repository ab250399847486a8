/**
 * Two real server processes (server/main.ts) share one DynamoDB Local and one
 * redis-server started here: rooms span both processes through the Socket.IO
 * Redis adapter, and a rush split across both sells every seat exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { SeatsChanged } from '../../protocol/index.js';
import { runRush } from '../../scripts/rush/run.js';
import { createCatalogStore } from '../../server/adapters/dynamo/catalog-store.js';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { createShow } from '../support/fixtures.js';
import { ack, testDynamo, waitFor, type ClientSocket } from '../support/harness.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startServerProcess, stopServers, type ServerProcess } from '../support/server-process.js';

const dynamo = testDynamo();
const catalog = createCatalogStore(dynamo);
let redis: RedisServer;
let a: ServerProcess;
let b: ServerProcess;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  await ensureTables(dynamo);
  redis = await startRedis();
  const env = {
    STORE: 'aws',
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    AWS_REGION: 'local',
    TABLE_PREFIX: dynamo.tables.main.replace(/-main$/, ''),
    JWT_SECRET: 'cluster-test-secret-that-is-long-enough',
    LOAD_TEST: '1', // the rush signs up 80 users from one address
    REDIS_URL: redis.url,
    MAX_SOCKETS_PER_USER: '3',
    SWEEP_INTERVAL_MS: '500',
  };
  [a, b] = await Promise.all([
    startServerProcess({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-a-')), NODE_APP_INSTANCE: '0' }),
    startServerProcess({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-b-')), NODE_APP_INSTANCE: '1' }),
  ]);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stopServers([a, b]);
  await redis?.stop();
  await dropTables(dynamo);
});

async function user(url: string) {
  const email = `c-${Math.random().toString(36).slice(2, 10)}@test.example`;
  const res = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Cluster', email, password: 'correct horse battery' }),
  });
  expect(res.status).toBe(201);
  const { token, user } = (await res.json()) as { token: string; user: { emailVerified: boolean } };
  expect(user.emailVerified).toBe(true); // LOAD_TEST=1: sign-ups start verified, no mail is queued
  const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

it('a hold made through process A reaches a watcher on process B', async () => {
  const show = await createShow(catalog, { now: Date.now(), rows: 4, perRow: 5 });
  expect(a.output()).toContain('Redis: rooms and the ordered change feed shared');
  const holder = await user(a.url);
  const watcher = await user(b.url);
  const seen: SeatsChanged[] = [];
  watcher.on('seats:changed', (m) => seen.push(m));
  const joined = await ack<{ ok: boolean }>(watcher, 'show:join', { showId: show.showId });
  expect(joined.ok).toBe(true);

  const t0 = Date.now();
  const held = await ack<{ ok: boolean }>(holder, 'seat:hold', { showId: show.showId, seatIds: ['A1', 'A2'] });
  expect(held.ok).toBe(true);
  const ms = await waitFor(() => seen.some((m) => m.changes.some((c) => c.seatId === 'A1' && c.status === 'held')), 5000, 'hold on B');
  console.log(`[cluster] hold via A seen on B ${Date.now() - t0} ms after the request (${ms} ms after the ack)`);

  // Versions come from one Redis counter, so B's snapshot agrees with what it was sent.
  const snapshot = await ack<{ ok: true; snapshot: { version: number } }>(watcher, 'show:join', { showId: show.showId });
  expect(snapshot.snapshot.version).toBe(Math.max(...seen.map((m) => m.version)));

  // And back: a release through A, after the watcher on B sees it.
  await ack(holder, 'seat:release', { showId: show.showId, seatIds: ['A1', 'A2'] });
  await waitFor(() => seen.some((m) => m.changes.some((c) => c.seatId === 'A1' && c.status === 'free')), 5000, 'release on B');
});

it('a rush split across both processes sells every seat exactly once', async () => {
  const show = await createShow(catalog, { now: Date.now(), rows: 10, perRow: 10 });
  const report = await runRush({
    url: `${a.url},${b.url}`,
    show: show.showId,
    users: 80,
    rampSeconds: 2,
    durationSeconds: 120,
    untilSoldOut: true,
    mode: 'random',
    thinkMs: 50,
    releaseChance: 0.2,
    password: 'rush-password-123',
    progress: process.env.RUSH_PROGRESS ? (l) => console.log(l) : undefined,
  });
  console.log(`[cluster rush] ${JSON.stringify({ seconds: report.seconds, attempts: report.attempts, seatTaken: report.seatTaken, rateLimited: report.rateLimited, bookings: report.bookings, hold: report.holdLatencyMs, fanout: report.fanoutMs })}`);
  expect(report.errorsByCode).toEqual({});
  expect(report.verify).toMatchObject({ doubleBooked: 0, holdsLeft: 0, mapMatchesBookings: true, bookedInMap: 100, ok: true });
  expect(report.seatsSold).toBe(100);
  // Both processes agree on the final map.
  const [ma, mb] = await Promise.all(
    [a, b].map(async (p) => ((await (await fetch(`${p.url}/api/shows/${show.showId}/seats`)).json()) as { seats: { status: string }[] }).seats),
  );
  expect(ma!.filter((s) => s.status === 'booked').length).toBe(100);
  expect(mb!.filter((s) => s.status === 'booked').length).toBe(100);
});

it('the per-user socket cap counts sockets on both processes, and holds under a burst', async () => {
  const res = await fetch(`${a.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Tabs', email: `tabs-${Math.random().toString(36).slice(2, 10)}@test.example`, password: 'correct horse battery' }),
  });
  const { token } = (await res.json()) as { token: string };
  const open = (url: string) =>
    new Promise<string>((resolve) => {
      const s: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      sockets.push(s);
      s.once('connect', () => resolve('connected'));
      s.once('connect_error', (err) => resolve(err.message));
    });
  // A burst at one process: the slots it hands out are reserved while the count asks the other process.
  const burst = await Promise.all(Array.from({ length: 6 }, () => open(a.url)));
  expect(burst.filter((r) => r === 'connected')).toHaveLength(3);
  expect(burst.filter((r) => r === 'RATE_LIMITED')).toHaveLength(3);
  // The other process sees them through Redis.
  expect(await open(b.url)).toBe('RATE_LIMITED');
});
