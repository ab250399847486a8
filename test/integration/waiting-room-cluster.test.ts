/**
 * Issue 16 across two real server processes (server/main.ts) sharing one DynamoDB Local and
 * one redis-server, on the real clock, each running its own admission round every second:
 * places are unique and kept whichever process a user reaches, admission never exceeds the
 * set rate for the two together nor admits anyone twice, a pass from one process opens the
 * map on the other, and a queue turned on at one process gates the other.
 */
import bcrypt from 'bcrypt';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Ack, QueueAdmitted, QueueJoinResult } from '../../protocol/index.js';
import { createCatalogStore } from '../../server/adapters/dynamo/catalog-store.js';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { createUserStore } from '../../server/adapters/dynamo/user-store.js';
import { admissionWindow } from '../../server/domain/queue.js';
import { createShow } from '../support/fixtures.js';
import { ack, testDynamo, type ClientSocket } from '../support/harness.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startServerProcess, stopServers, type ServerProcess } from '../support/server-process.js';

const dynamo = testDynamo();
let redis: RedisServer;
let a: ServerProcess;
let b: ServerProcess;
const sockets: ClientSocket[] = [];
let staffToken = '';

beforeAll(async () => {
  await ensureTables(dynamo);
  redis = await startRedis();
  const env = {
    STORE: 'aws',
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    AWS_REGION: 'local',
    TABLE_PREFIX: dynamo.tables.main.replace(/-main$/, ''),
    JWT_SECRET: 'queue-cluster-test-secret-long-enough',
    REDIS_URL: redis.url,
    // 40 sign-ups from one address.
    LOAD_TEST: '1',
  };
  [a, b] = await Promise.all([
    startServerProcess({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-qa-')), NODE_APP_INSTANCE: '0' }),
    startServerProcess({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-qb-')), NODE_APP_INSTANCE: '1' }),
  ]);
  const email = `qstaff-${randomUUID().slice(0, 8)}@test.example`;
  await createUserStore(dynamo).create({
    id: randomUUID(),
    name: 'Queue Staff',
    email,
    role: 'staff',
    theatreIds: ['test-theatre'],
    emailVerified: true,
    passwordHash: await bcrypt.hash('correct horse battery', 4),
    createdAt: new Date().toISOString(),
    sessionVersion: 0,
  });
  staffToken = (await (await post(a.url, '/api/auth/login', { email, password: 'correct horse battery' })).json()).token;
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stopServers([a, b]);
  await redis?.stop();
  await dropTables(dynamo);
});

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function buyer(url: string) {
  const res = await post(url, '/api/auth/register', { name: 'Waiter', email: `w-${randomUUID().slice(0, 10)}@test.example`, password: 'correct horse battery' });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id };
}

function open(url: string, token: string): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const s: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(s);
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

const position = (r: Ack<QueueJoinResult>) => (r.ok && r.status === 'waiting' ? r.position : null);

it('two processes: unique places kept across processes, admission at most the set rate for both together and nobody twice, a pass from one opens the map on the other', async () => {
  const show = await createShow(createCatalogStore(dynamo), { now: Date.now(), rows: 8, perRow: 10 });
  const RATE = 120; // one slot each 500 ms
  const put = await fetch(`${b.url}/api/staff/shows/${show.showId}/queue`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ admitPerMinute: RATE }),
  });
  expect(put.status).toBe(200);
  const opensAt = Date.parse(((await put.json()) as { queue: { opensAt: string } }).queue.opensAt);

  const users = await Promise.all(Array.from({ length: 40 }, (_, i) => buyer(i % 2 ? a.url : b.url)));
  // Each user has a socket on both processes: a push reaches them wherever they are.
  const pairs = await Promise.all(users.map(async (u) => [await open(a.url, u.token), await open(b.url, u.token)] as const));
  const passes = users.map(() => new Set<string>());
  pairs.forEach(([sa, sb], i) => {
    for (const s of [sa, sb]) s.on('queue:admitted', (m: QueueAdmitted) => passes[i]!.add(m.pass));
  });

  // Process A must know the queue is on (its round reads the settings each second) before it gates.
  await new Promise((r) => setTimeout(r, 1500));
  expect(await ack<Ack>(pairs[0]![0], 'seat:hold', { showId: show.showId, seatIds: ['A1'] })).toMatchObject({ ok: false, error: { code: 'QUEUE_REQUIRED' } });

  const joinedAt = Date.now();
  const joined = await Promise.all(pairs.map(([sa, sb], i) => ack<Ack<QueueJoinResult>>(i % 2 ? sa : sb, 'queue:join', { showId: show.showId })));
  const waiting = joined.filter((r) => position(r) !== null);
  const places = waiting.map(position);
  expect(new Set(places).size).toBe(places.length);
  // Joining again on the other process keeps the place.
  const again = await Promise.all(pairs.map(([sa, sb], i) => ack<Ack<QueueJoinResult>>(i % 2 ? sb : sa, 'queue:join', { showId: show.showId })));
  // (Or nearer the front, or admitted, if a round ran in between: the line only moves forward.)
  joined.forEach((r, i) => {
    const now = again[i]!;
    if (position(r) !== null && position(now) !== null) expect(position(now)!).toBeLessThanOrEqual(position(r)!);
    if (position(r) !== null && position(now) === null) expect(now).toMatchObject({ ok: true, status: 'admitted' });
  });

  await new Promise((r) => setTimeout(r, 4000));
  const at = Date.now();
  const admitted = passes.filter((p) => p.size > 0).length;
  const { minute, opened } = admissionWindow({ opensAt, admitPerMinute: RATE }, at);
  expect(minute).toBe(0);
  // Never above the slots opened so far for both processes together (slots that opened before
  // anyone waited are not saved up); at the rate since the line filled, at most two rounds behind.
  expect(admitted).toBeLessThanOrEqual(opened);
  expect(admitted).toBeGreaterThanOrEqual(Math.min(40, Math.floor((at - joinedAt) / 500) - 4));
  for (const p of passes) expect(p.size).toBeLessThanOrEqual(1);

  // A pass pushed by whichever process admitted opens the map on both.
  const i = passes.findIndex((p) => p.size === 1);
  const pass = [...passes[i]!][0]!;
  for (const [k, s] of pairs[i]!.entries()) {
    expect((await ack<Ack>(s, 'show:join', { showId: show.showId, pass })).ok).toBe(true);
    expect((await ack<Ack>(s, 'seat:hold', { showId: show.showId, seatIds: [`B${k + 1}`], pass })).ok).toBe(true);
  }
}, 60_000);
