/**
 * The limits adapters against a real redis-server: two limit stores on two connections
 * stand for two processes. Rate limits count one key together; socket slots are taken
 * atomically, renewed while their holder lives, and lapse when it dies; with Redis gone
 * both keep limiting in the process and say so. (Two real server processes: cluster.test.ts.)
 */
import pino from 'pino';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisLimits } from '../../server/adapters/limits/index.js';
import type { SlotsClient } from '../../server/adapters/limits/socket-slots.js';
import type { LimitStore } from '../../server/ports.js';
import { startRedis, type RedisServer } from '../support/redis.js';

type Client = ReturnType<typeof createClient>;
let redis: RedisServer;
const clients: Client[] = [];
const stores: LimitStore[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const s of stores) s.close();
  for (const c of clients) c.destroy(); // some of their servers are gone: no goodbye
  await redis?.stop();
});

/** One "process": its own connection and limit store, and the lines it logs. */
async function processOn(server: RedisServer, opts: { leaseMs?: number } = {}) {
  const client: Client = createClient({ url: server.url, socket: { connectTimeout: 1000, reconnectStrategy: () => 200 } });
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const store = createRedisLimits(client as unknown as SlotsClient, logger, opts);
  stores.push(store);
  return { client, store, lines };
}
const unique = (what: string) => `${what}-${Math.random().toString(36).slice(2, 10)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('rate limits in Redis', () => {
  it('two processes count one key together: the burst is shared, then both refuse with the wait', async () => {
    const [a, b] = await Promise.all([processOn(redis), processOn(redis)]);
    const policy = { burst: 5, perSecond: 1 / 60 };
    const [la, lb] = [a.store.limiter('login-account', policy), b.store.limiter('login-account', policy)];
    const key = unique('login:victim@test.example');
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) waits.push(await (i % 2 ? lb : la).take(key));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    for (const w of waits.slice(5)) {
      expect(w).toBeGreaterThan(0);
      expect(w).toBeLessThanOrEqual(300_000);
    }
    // Another key, and the same key under another limiter's name, are counted apart.
    expect(await la.take(unique('login:someone-else'))).toBe(0);
    expect(await a.store.limiter('mail-account', policy).take(key)).toBe(0);
    // Redis holds a digest of the key, not the email address.
    const keys = await a.client.keys('moviemagic:limit:*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toContain('@');
  });

  it('simultaneous requests on two processes never get more than the burst', async () => {
    const [a, b] = await Promise.all([processOn(redis), processOn(redis)]);
    const policy = { burst: 10, perSecond: 10 / 60 };
    const [la, lb] = [a.store.limiter('auth-ip', policy), b.store.limiter('auth-ip', policy)];
    const key = unique('ip:10.0.0.1');
    const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? lb : la).take(key)));
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
  });

  it('a local limiter (per socket) stays in the process even with Redis', async () => {
    const a = await processOn(redis);
    const limiter = a.store.limiter('seat-events', { burst: 2, perSecond: 1 }, { local: true });
    expect([await limiter.take('socket-1'), await limiter.take('socket-1')]).toEqual([0, 0]);
    expect(await limiter.take('socket-1')).toBeGreaterThan(0);
    expect(await a.client.keys('moviemagic:limit:seat-events*')).toEqual([]);
    await limiter.forget('socket-1');
    expect(await limiter.take('socket-1')).toBe(0);
  });
});

describe('socket slots in Redis', () => {
  it('simultaneous takes for one user on two processes never exceed the cap; a freed slot is taken again', async () => {
    const [a, b] = await Promise.all([processOn(redis), processOn(redis)]);
    const [sa, sb] = [a.store.socketSlots(3), b.store.socketSlots(3)];
    for (let round = 0; round < 5; round++) {
      const user = unique('u');
      const granted = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? sb : sa).take(user, `s${round}-${i}`)));
      expect(granted.filter(Boolean), `round ${round}`).toHaveLength(3);
      const holder = granted.findIndex(Boolean);
      await (holder % 2 ? sb : sa).free(user, `s${round}-${holder}`);
      expect(await sb.take(user, `s${round}-new`)).toBe(true);
      expect(await sa.take(user, `s${round}-newer`)).toBe(false);
      // Taking a slot the socket already has is not a second slot.
      expect(await sb.take(user, `s${round}-new`)).toBe(true);
    }
  });

  it('the slots of a process that stops (no renewals) lapse within a lease; a live process keeps its own', async () => {
    const leaseMs = 600;
    const [live, doomed, other] = await Promise.all([processOn(redis, { leaseMs }), processOn(redis, { leaseMs }), processOn(redis, { leaseMs })]);
    const [sLive, sDoomed, sOther] = [live.store.socketSlots(2), doomed.store.socketSlots(2), other.store.socketSlots(2)];
    const user = unique('u');
    expect(await sLive.take(user, 'live-1')).toBe(true);
    expect(await sDoomed.take(user, 'doomed-1')).toBe(true);
    expect(await sOther.take(user, 'other-1')).toBe(false);
    doomed.store.close(); // as if killed: its sockets are neither renewed nor freed
    const start = Date.now();
    let lapsed = false;
    while (!lapsed && Date.now() - start < 10_000) {
      lapsed = await sOther.take(user, 'other-1');
      if (!lapsed) await sleep(50);
    }
    console.log(`[limits] a stopped process's slot was free again ${Date.now() - start} ms after it stopped (lease ${leaseMs} ms)`);
    expect(lapsed).toBe(true);
    // Several leases later the live process's socket still holds its slot: the cap is still full.
    await sleep(3 * leaseMs);
    expect(await sDoomed.take(user, 'late-1')).toBe(false);
  });
});

describe('with Redis gone', () => {
  it('rate limits and socket slots count in the process, keep limiting, and say so in the log', async () => {
    const own = await startRedis();
    try {
      const a = await processOn(own);
      const limiter = a.store.limiter('login-account', { burst: 3, perSecond: 1 / 60 });
      const slots = a.store.socketSlots(2);
      expect(await slots.take('u1', 'kept')).toBe(true);
      await own.stop();
      await sleep(200);
      const waits = [];
      for (let i = 0; i < 4; i++) waits.push(await limiter.take('login:x@test.example'));
      expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
      expect(waits[3]).toBeGreaterThan(0);
      // The socket taken before still counts; one more fits, the next does not.
      expect(await slots.take('u1', 'second')).toBe(true);
      expect(await slots.take('u1', 'third')).toBe(false);
      const log = a.lines.join('');
      expect(log).toContain('Redis unavailable: rate limits counted per process');
      expect(log).toContain('Redis unavailable: the socket cap counted per process');
    } finally {
      await own.stop();
    }
  });
});
