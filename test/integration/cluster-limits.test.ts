/**
 * Limits across two real server processes (server/main.ts) sharing one DynamoDB Local and
 * one redis-server: the rate limits count each key once for the whole cluster, and the
 * per-user socket cap holds exactly when handshakes for one user hit both processes at the
 * same instant.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { testDynamo, type ClientSocket } from '../support/harness.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startServerProcess, stopServers, type ServerProcess } from '../support/server-process.js';

const dynamo = testDynamo();
let redis: RedisServer;
let a: ServerProcess;
let b: ServerProcess;
const sockets: ClientSocket[] = [];
const CAP = 3;

beforeAll(async () => {
  await ensureTables(dynamo);
  redis = await startRedis();
  const env = {
    STORE: 'aws',
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    AWS_REGION: 'local',
    TABLE_PREFIX: dynamo.tables.main.replace(/-main$/, ''),
    JWT_SECRET: 'cluster-limits-test-secret-long-enough',
    REDIS_URL: redis.url,
    MAX_SOCKETS_PER_USER: String(CAP),
  };
  [a, b] = await Promise.all([
    startServerProcess({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-la-')), NODE_APP_INSTANCE: '0' }),
    startServerProcess({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-lb-')), NODE_APP_INSTANCE: '1' }),
  ]);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stopServers([a, b]);
  await redis?.stop();
  await dropTables(dynamo);
});

let addresses = 0;
/** A POST from a client address of its own (the servers trust X-Forwarded-For from loopback). */
const post = (url: string, path: string, body: unknown, ip = `10.50.${Math.floor(++addresses / 250)}.${addresses % 250}`) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body) });

async function signUp(url: string) {
  const email = `l-${Math.random().toString(36).slice(2, 10)}@test.example`;
  const res = await post(url, '/api/auth/register', { name: 'Limits', email, password: 'correct horse battery' });
  expect(res.status).toBe(201);
  return { email, token: ((await res.json()) as { token: string }).token };
}

/** Opens a socket; resolves with it once connected, or with the refusal's message. */
function open(url: string, token: string): Promise<ClientSocket | string> {
  return new Promise((resolve) => {
    const s: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(s);
    s.once('connect', () => resolve(s));
    s.once('connect_error', (err) => resolve(err.message));
  });
}

it('log-in attempts at one account spread over both processes are limited as one', async () => {
  const { email } = await signUp(a.url);
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await post(i % 2 ? b.url : a.url, '/api/auth/login', { email, password: `guess-${i}-xxxx` })).status);
  // 5 per account (DEFAULT_LIMITS) for the cluster, not 5 on each process.
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  const right = await post(b.url, '/api/auth/login', { email, password: 'correct horse battery' });
  expect(right.status).toBe(429);
  expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
});

it('sign-ups from one address spread over both processes are limited as one', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const body = { name: 'Bot', email: `bot-${i}-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' };
    statuses.push((await post(i % 2 ? b.url : a.url, '/api/auth/register', body, '10.99.99.99')).status);
  }
  expect(statuses.filter((s) => s === 201)).toHaveLength(10);
  expect(statuses.slice(10)).toEqual([429, 429]);
});

it('simultaneous handshakes for one user on both processes never admit more than the cap; a freed slot is taken again', async () => {
  // Rounds of several users at once, each user's handshakes split over both processes at the same instant.
  const answeredMs: number[] = [];
  for (let round = 0; round < 6; round++) {
    const users = await Promise.all(Array.from({ length: 4 }, (_, i) => signUp(i % 2 ? b.url : a.url)));
    await Promise.all(
      users.map(async ({ token }, u) => {
        const what = `round ${round}, user ${u}`;
        const started = Date.now();
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) => open(i % 2 ? b.url : a.url, token)));
        answeredMs.push(Date.now() - started);
        const connected = results.filter((r): r is ClientSocket => typeof r !== 'string');
        expect(connected, `${what}: connected`).toHaveLength(CAP);
        expect(results.filter((r) => r === 'RATE_LIMITED'), `${what}: refused`).toHaveLength(12 - CAP);

        // One tab closes: its slot is free for a tab on either process, and only that one slot.
        connected[0]!.disconnect();
        let again: ClientSocket | string = 'RATE_LIMITED';
        for (let i = 0; i < 50 && again === 'RATE_LIMITED'; i++) {
          again = await open(u % 2 ? a.url : b.url, token);
          if (again === 'RATE_LIMITED') await new Promise((r) => setTimeout(r, 100));
        }
        expect(typeof again, `${what}: the freed slot`).not.toBe('string');
        expect(await Promise.all([open(a.url, token), open(b.url, token)]), `${what}: after the freed slot`).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
      }),
    );
  }
  answeredMs.sort((x, y) => x - y);
  console.log(`[cluster limits] 12 simultaneous handshakes of one user (4 users at once) all answered in ${answeredMs[answeredMs.length >> 1]} ms (median), ${answeredMs.at(-1)} ms (max)`);
});
