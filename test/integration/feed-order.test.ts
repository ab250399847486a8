/**
 * Ordered across processes: process A is the real entry point (a child process), process B
 * runs here with its Redis change feed made unreliable on purpose (deliveries delayed up to
 * 150 ms, so later ones overtake earlier ones, and 10 % lost). Users change seats through
 * both. B's room must apply A's changes in version order (replaying what was lost), B's
 * watchers must never see a version go backwards or skip without a resync, and at the end
 * B's room, B's watchers and the store must agree seat for seat.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Ack, HoldResult, SeatsChanged, Snapshot } from '../../protocol/index.js';
import { connectRedis, type RedisLink } from '../../server/adapters/redis.js';
import { createShow } from '../support/fixtures.js';
import { withFeedFaults } from '../support/feed-faults.js';
import { ack, startHarness, TestClock, testDynamo, waitFor, type ClientSocket, type Harness } from '../support/harness.js';
import { seatInvariantViolations } from '../support/invariants.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { cleanUpServers, startServerProcess, type ServerProcess } from '../support/server-process.js';

let redis: RedisServer;
let link: RedisLink;
let a: ServerProcess;
let b: Harness;
let faults: ReturnType<typeof withFeedFaults>;
const dataDir = mkdtempSync(join(tmpdir(), 'mm-order-'));
const dynamo = testDynamo();
const secret = 'order-test-secret-that-is-long-enough';

beforeAll(async () => {
  redis = await startRedis();
  link = await connectRedis(redis.url, pino({ level: 'silent' }));
  faults = withFeedFaults(link.feed, { maxDelayMs: 150, dropRate: 0.1 });
  const clock = Object.assign(new TestClock(), { now: () => Date.now() });
  b = await startHarness({ dynamo, clock, feed: faults.feed, configureIo: (io) => link.configureIo(io), config: { jwtSecret: secret } });
  a = await startServerProcess({
    STORE: 'aws',
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    AWS_REGION: 'local',
    TABLE_PREFIX: dynamo.tables.main.replace(/-main$/, ''),
    JWT_SECRET: secret,
    LOAD_TEST: '1',
    REDIS_URL: redis.url,
    DATA_DIR: dataDir,
  });
});

afterAll(async () => {
  await b?.close();
  await cleanUpServers(dataDir, a ? [a] : []);
  await link?.close();
  await redis?.stop();
});

/** A watcher on B that behaves like the web client: applies versions in order, resyncs on a gap. */
async function watcher(showId: string) {
  const socket = await b.connect();
  const seen: number[] = [];
  const problems: string[] = [];
  const seats = new Map<string, string>();
  let version = 0;
  let resyncs = 0;
  const join = async () => {
    const r = await ack<{ ok: true; snapshot: Snapshot }>(socket, 'show:join', { showId });
    version = r.snapshot.version;
    for (const s of r.snapshot.seats) seats.set(s.id, s.status);
  };
  socket.on('seats:changed', (m: SeatsChanged) => {
    if (m.version <= version) problems.push(`version ${m.version} after ${version}`);
    else if (m.version !== version + 1) {
      resyncs++;
      void join();
      return;
    }
    seen.push(m.version);
    version = m.version;
    for (const c of m.changes) seats.set(c.seatId, c.status);
  });
  await join();
  return { socket, seen, problems, seats, resyncs: () => resyncs };
}

async function customer(url: string, name: string): Promise<ClientSocket> {
  const res = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email: `${name}-${Math.random().toString(36).slice(2, 8)}@test.example`, password: 'correct horse battery' }),
  });
  const { token } = (await res.json()) as { token: string };
  return url === b.url ? b.connect(token) : b.connect(token).then((s) => (s.disconnect(), connectTo(url, token)));
}

async function connectTo(url: string, token: string): Promise<ClientSocket> {
  const { io } = await import('socket.io-client');
  const socket: ClientSocket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

it("B applies A's changes in version order despite delayed, overtaking and lost messages; its watchers never go back", async () => {
  const show = await createShow(b.app.stores.catalog, { now: Date.now(), rows: 6, perRow: 10 });
  const watchers = await Promise.all([watcher(show.showId), watcher(show.showId), watcher(show.showId)]);
  const onA = await Promise.all(Array.from({ length: 8 }, (_, i) => customer(a.url, `a${i}`)));
  const onB = await Promise.all(Array.from({ length: 4 }, (_, i) => customer(b.url, `b${i}`)));
  const everyone = [...onA, ...onB];
  let ops = 0;
  await Promise.all(
    everyone.map(async (s, i) => {
      const mine = show.seatIds.filter((_, k) => k % everyone.length === i);
      for (let round = 0; round < 12; round++) {
        const pick = [mine[round % mine.length]!];
        const held = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: pick });
        ops++;
        if (held.ok && round % 3 !== 2) await ack(s, 'seat:release', { showId: show.showId, seatIds: pick });
      }
      if (i % 2 === 0) await ack(s, 'booking:confirm', { showId: show.showId, idempotencyKey: `order-${i}-confirm` });
    }),
  );
  // Quiet: every delayed message has arrived, every gap was replayed.
  await new Promise((r) => setTimeout(r, 1500));
  const room = await b.app.rooms.open(show.showId);
  await waitFor(() => watchers.every((w) => w.seen.at(-1) === room.version || w.resyncs() > 0), 10_000, 'watchers to catch up');
  console.log(
    `[order] ${ops} holds through A and B; B's feed: ${faults.stats.delivered} delivered, ${faults.stats.overtaken} overtaken, ${faults.stats.dropped} lost, ${faults.stats.replays} replays; room at v${room.version}; watcher resyncs ${watchers.map((w) => w.resyncs()).join('/')}`,
  );
  expect(faults.stats.overtaken + faults.stats.dropped).toBeGreaterThan(0); // the faults happened
  for (const w of watchers) expect(w.problems).toEqual([]);
  for (const w of watchers) for (let i = 1; i < w.seen.length; i++) expect(w.seen[i]).toBeGreaterThan(w.seen[i - 1]!);
  expect(await seatInvariantViolations(b.app, show.showId, [], Date.now())).toEqual([]);
  const stored = await b.app.stores.seats.seats(show.showId);
  const storedStatus = (id: string) => {
    const r = stored.find((x) => x.seatId === id);
    return !r || r.status === 'free' ? 'free' : r.status === 'held' && (r.expiresAt ?? 0) <= Date.now() ? 'free' : r.status;
  };
  for (const w of watchers) for (const id of show.seatIds) expect(`${id}:${w.seats.get(id)}`).toBe(`${id}:${storedStatus(id)}`);
});
