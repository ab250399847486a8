/**
 * The waiting room's line, the same suite once per driver: in memory (one process) and in a
 * real redis-server, where two clients stand for two processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { createMemoryLine } from '../../server/adapters/queue/memory-line.js';
import { createRedisLine, type LineClient } from '../../server/adapters/queue/redis-line.js';
import { admissionWindow } from '../../server/domain/queue.js';
import type { QueueLine } from '../../server/ports.js';
import { startRedis, type RedisServer } from '../support/redis.js';

let redis: RedisServer;
const clients: LineClient[] = [];
const connections: { quit(): Promise<unknown> }[] = [];
beforeAll(async () => {
  redis = await startRedis();
  for (let i = 0; i < 2; i++) {
    const c = createClient({ url: redis.url });
    await c.connect();
    clients.push(c as unknown as LineClient);
    connections.push(c);
  }
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
  await redis?.stop();
});

const T0 = Date.UTC(2026, 11, 24, 10, 0, 0);
const reverse = (ids: string[]) => ids.slice().reverse();
const users = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `u${from + i}`);
let showNo = 0;
const newShow = () => `show${++showNo}`;
/** Two handles on one line: for Redis, two connections (two processes); in memory, the same object. */
type Pair = [QueueLine, QueueLine];
const drivers: [string, () => Pair][] = [
  ['memory', () => { const l = createMemoryLine(); return [l, l]; }],
  ['redis', () => [createRedisLine(clients[0]!), createRedisLine(clients[1]!)]],
];

function admitArgs(now: number, opensAt: number, admitPerMinute: number, extra: Partial<Parameters<QueueLine['admit']>[1]> = {}) {
  const { minute, opened } = admissionWindow({ opensAt, admitPerMinute }, now);
  return { now, opensAt, minute, slotsOpened: opened, maxActive: null, passMs: 600_000, shuffle: reverse, ...extra };
}

describe.each(drivers)('the waiting line (%s)', (_name, make) => {
  it('gives 200 users joining at once from two processes 200 distinct places, and a second join keeps the place', async () => {
    const [a, b] = make();
    const show = newShow();
    const ids = users(200);
    const standings = await Promise.all(ids.map((u, i) => (i % 2 ? a : b).join(show, u, T0, T0 - 1)));
    const positions = standings.map((s) => (s.status === 'waiting' ? s.position : null));
    expect(new Set(positions).size).toBe(200);
    expect([...positions].sort((x, y) => x! - y!)).toEqual(ids.map((_, i) => i + 1));
    const again = await Promise.all(ids.slice(0, 50).map((u) => a.join(show, u, T0 + 5, T0 - 1)));
    expect(again).toEqual(standings.slice(0, 50));
    expect((await b.stats(show, T0)).waiting).toBe(200);
  });

  it('holds arrivals before opening in a pre-queue without a position, then orders them by the shuffle, ahead of later arrivals in arrival order', async () => {
    const [a, b] = make();
    const show = newShow();
    const opensAt = T0 + 60_000;
    for (const u of users(5)) expect(await a.join(show, u, T0, opensAt)).toEqual({ status: 'waiting', ticket: null, position: null, ahead: null });
    const admitted = await b.admit(show, admitArgs(opensAt, opensAt, 60, { slotsOpened: 0 }));
    expect(admitted).toEqual([]);
    for (const u of users(3, 5)) await b.join(show, u, opensAt + 1, opensAt);
    const order = await Promise.all(users(8).map(async (u) => ((await a.standing(show, u, opensAt + 2)) as { position: number }).position));
    // reverse() is the shuffle here: u4..u0, then u5, u6, u7 as they came.
    expect(order).toEqual([5, 4, 3, 2, 1, 6, 7, 8]);
  });

  it('puts those who arrive after opensAt but before the opening ran behind the pre-queue, in arrival order', async () => {
    const [a, b] = make();
    const show = newShow();
    const opensAt = T0 + 60_000;
    for (const u of users(3)) await a.join(show, u, T0, opensAt);
    for (const u of users(2, 3)) expect(await b.join(show, u, opensAt + 10, opensAt)).toMatchObject({ position: null });
    await a.admit(show, admitArgs(opensAt + 20, opensAt, 60, { slotsOpened: 0 }));
    const order = await Promise.all(users(5).map(async (u) => ((await b.standing(show, u, opensAt + 30)) as { position: number }).position));
    expect(order).toEqual([3, 2, 1, 4, 5]);
  });

  it('counts positions from what has been served: after 2 admissions the user with ticket 5 is fourth', async () => {
    const [a, b] = make();
    const show = newShow();
    for (const u of users(6)) await a.join(show, u, T0, T0);
    await a.admit(show, admitArgs(T0 + 600, T0, 120)); // 2 slots of 500 ms opened
    expect(await b.standing(show, 'u5', T0 + 1000)).toEqual({ status: 'waiting', ticket: 5, position: 4, ahead: 3 });
    expect((await b.served([show, 'nothing'])).get(show)).toBe(2);
    expect((await b.served([show, 'nothing'])).get('nothing')).toBe(0);
  });

  it('admits at most the slots opened in a counting minute, even when two processes admit at once', async () => {
    const [a, b] = make();
    const show = newShow();
    for (const u of users(100)) await a.join(show, u, T0, T0);
    const at = T0 + 30_000; // half way through minute 0 at 60/min: 31 slots opened
    const both = await Promise.all([a.admit(show, admitArgs(at, T0, 60)), b.admit(show, admitArgs(at, T0, 60))]);
    expect(both.flat()).toHaveLength(31);
    expect(new Set(both.flat().map((x) => x.userId)).size).toBe(31);
    expect(await a.admit(show, admitArgs(at + 500, T0, 60))).toEqual([]);
    const nextMinute = await b.admit(show, admitArgs(T0 + 60_000, T0, 60));
    expect(nextMinute.map((x) => x.userId)).toEqual(['u31']);
    const all = [...both.flat(), ...nextMinute].map((x) => x.userId).sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
    expect(all).toEqual(users(32));
  });

  it('does not save up slots while nobody waits: arrivals after a quiet spell come in at the rate, not in a burst', async () => {
    const [a, b] = make();
    const show = newShow();
    expect(await a.admit(show, admitArgs(T0, T0, 60))).toEqual([]);
    expect(await b.admit(show, admitArgs(T0 + 10_000, T0, 60))).toEqual([]); // 11 slots opened, nobody there
    for (const u of users(20)) await a.join(show, u, T0 + 10_500, T0);
    expect(await b.admit(show, admitArgs(T0 + 11_000, T0, 60))).toHaveLength(1);
    expect(await a.admit(show, admitArgs(T0 + 11_500, T0, 60))).toHaveLength(0);
    expect(await a.admit(show, admitArgs(T0 + 12_000, T0, 60))).toHaveLength(1);
  });

  it('keeps live passes under maxActive and lets the next in when a pass expires', async () => {
    const [a] = make();
    const show = newShow();
    for (const u of users(10)) await a.join(show, u, T0, T0);
    const first = await a.admit(show, admitArgs(T0 + 59_000, T0, 60, { maxActive: 3, passMs: 10_000 }));
    expect(first.map((x) => x.userId)).toEqual(['u0', 'u1', 'u2']);
    expect(await a.admit(show, admitArgs(T0 + 59_500, T0, 60, { maxActive: 3, passMs: 10_000 }))).toEqual([]);
    const later = await a.admit(show, admitArgs(T0 + 69_000, T0, 60, { maxActive: 3, passMs: 10_000 }));
    expect(later.map((x) => x.userId)).toEqual(['u3', 'u4', 'u5']);
    expect(await a.standing(show, 'u3', T0 + 69_000)).toEqual({ status: 'admitted', passExpiresAt: T0 + 79_000 });
  });

  it('says admitted with the pass expiry to an admitted user who joins again, and sends a user whose pass expired to the back', async () => {
    const [a, b] = make();
    const show = newShow();
    for (const u of users(3)) await a.join(show, u, T0, T0);
    await a.admit(show, admitArgs(T0, T0, 1, { passMs: 1000 }));
    expect(await b.join(show, 'u0', T0 + 500, T0)).toEqual({ status: 'admitted', passExpiresAt: T0 + 1000 });
    expect(await b.join(show, 'u0', T0 + 2000, T0)).toEqual({ status: 'waiting', ticket: 3, position: 3, ahead: 2 });
  });

  it('admits everyone waiting in order when the queue is ended, and reports waits and counts', async () => {
    const [a, b] = make();
    const show = newShow();
    for (const u of users(4)) await a.join(show, u, T0, T0 + 10_000);
    const all = await b.admit(show, admitArgs(T0 + 1000, T0 + 10_000, 1, { all: true }));
    expect(all.map((x) => x.userId)).toEqual(reverse(users(4)));
    expect(all.every((x) => x.waitedMs === 1000)).toBe(true);
    const stats = await a.stats(show, T0 + 1000);
    expect(stats).toMatchObject({ waiting: 0, admitted: 4, activePasses: 4, admittedPerMinute: 4 });
    expect(stats.recentWaitsMs).toEqual([1000, 1000, 1000, 1000]);
    await a.clear(show);
    expect(await b.standing(show, 'u0', T0 + 1000)).toBeNull();
  });
});
