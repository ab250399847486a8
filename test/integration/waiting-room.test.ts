/**
 * Issue 16: the waiting room through the real server and real socket.io clients, once with
 * the in-memory line (the embedded default) and once with the line in a real redis-server.
 * The clock is the test's; the admission rounds run by hand (waitingRoom.tick()).
 */
import { randomInt } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, QueueAdmitted, QueueJoinResult, QueueView, QueueWaiting, Snapshot } from '../../protocol/index.js';
import { createMemoryLine } from '../../server/adapters/queue/memory-line.js';
import { createRedisLine, type LineClient } from '../../server/adapters/queue/redis-line.js';
import { signPass } from '../../server/domain/queue.js';
import type { QueueLine } from '../../server/ports.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness, TestClock, waitFor, type ClientSocket, type Harness } from '../support/harness.js';
import { seatInvariantViolations } from '../support/invariants.js';
import { startRedis, type RedisServer } from '../support/redis.js';

const SECRET = 'test-secret-that-is-long-enough-for-hs256';
let redis: RedisServer;
let redisClient: ReturnType<typeof createClient>;
beforeAll(async () => {
  redis = await startRedis();
  redisClient = createClient({ url: redis.url });
  await redisClient.connect();
});
afterAll(async () => {
  await redisClient?.quit();
  await redis?.stop();
});

const lines: [string, () => QueueLine][] = [
  ['memory line', () => createMemoryLine()],
  ['redis line', () => createRedisLine(redisClient as unknown as LineClient)],
];

type Joined = Ack<QueueJoinResult>;
const position = (r: Joined) => (r.ok && r.status === 'waiting' ? r.position : null);

describe.each(lines)('the waiting room (%s)', (_name, makeLine) => {
  let h: Harness;
  let staffToken: string;
  const clock = new TestClock();
  // The secure source, with its draws counted.
  let shuffled = 0;
  beforeAll(async () => {
    h = await startHarness({ clock, queueLine: makeLine(), randomInt: (n) => (shuffled++, randomInt(n)), config: { queue: { intervalMs: 0, safetyNet: 3 } } });
    const staff = await h.app.services.auth.register({ name: 'Staff', email: `qstaff-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' }, 'staff', ['test-theatre']);
    if (!staff.ok) throw new Error('staff sign-up failed');
    staffToken = staff.value.token;
  });
  afterAll(() => h?.close());

  const http = async (method: string, path: string, body?: unknown, token = staffToken) => {
    const res = await fetch(`${h.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as { queue: QueueView | null; admitted?: number; error?: { code: string; details?: unknown[] } } };
  };
  const newShow = () => createShow(h.app.stores.catalog, { now: clock.now(), rows: 6, perRow: 10 });
  const turnOn = (showId: string, body: Record<string, unknown>) => http('PUT', `/api/staff/shows/${showId}/queue`, body);
  const buyers = async (n: number, name = 'q') => {
    const users = await Promise.all(Array.from({ length: n }, (_, i) => h.register(`${name}${i}`)));
    const sockets = await Promise.all(users.map((u) => h.connect(u.token)));
    return users.map((u, i) => ({ ...u, socket: sockets[i]! }));
  };
  const join = (s: ClientSocket, showId: string) => ack<Joined>(s, 'queue:join', { showId });
  const admittedOn = (s: ClientSocket) => {
    const seen: QueueAdmitted[] = [];
    s.on('queue:admitted', (m) => seen.push(m));
    return seen;
  };
  /** One admission round at each second from now for `seconds`. */
  const run = async (seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      clock.advance(1000);
      await h.app.services.waitingRoom.tick();
    }
  };

  it('without a queue, show:join and seat:hold need no pass and queue:join answers admitted with a pass at once', async () => {
    const show = await newShow();
    const [u] = await buyers(1);
    expect((await ack<Ack>(u!.socket, 'show:join', { showId: show.showId })).ok).toBe(true);
    expect((await ack<Ack>(u!.socket, 'seat:hold', { showId: show.showId, seatIds: ['A1'] })).ok).toBe(true);
    const r = await join(u!.socket, show.showId);
    expect(r).toMatchObject({ ok: true, status: 'admitted', showId: show.showId });
  });

  it('with the queue on, a buyer without a pass gets QUEUE_REQUIRED on show:join, seat:hold, seat:hold-best and booking:confirm and nothing changes; watchers and the theatre staff get in', async () => {
    const show = await newShow();
    expect((await turnOn(show.showId, { admitPerMinute: 60 })).status).toBe(200);
    const [u] = await buyers(1);
    const refused = await Promise.all([
      ack<Ack>(u!.socket, 'show:join', { showId: show.showId }),
      ack<Ack>(u!.socket, 'seat:hold', { showId: show.showId, seatIds: ['B2'] }),
      ack<Ack>(u!.socket, 'seat:hold-best', { showId: show.showId, count: 2 }),
      ack<Ack>(u!.socket, 'booking:confirm', { showId: show.showId, idempotencyKey: 'queue-no-pass-1' }),
    ]);
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'QUEUE_REQUIRED', reason: 'pass_missing' } });
    const map = await (await fetch(`${h.url}/api/shows/${show.showId}/seats`)).json() as Snapshot;
    expect(map.seats.filter((s) => s.status !== 'free')).toEqual([]);

    const watcher = await h.connect();
    expect((await ack<Ack>(watcher, 'show:join', { showId: show.showId })).ok).toBe(true);
    const staffSocket = await h.connect(staffToken);
    expect((await ack<Ack>(staffSocket, 'show:join', { showId: show.showId })).ok).toBe(true);
  });

  it('gives 60 buyers joining at once distinct places 1..60; joining again (a reload, another tab) keeps the place', async () => {
    const show = await newShow();
    await turnOn(show.showId, { admitPerMinute: 1 });
    const us = await buyers(60);
    const first = await Promise.all(us.map((u) => join(u.socket, show.showId)));
    const places = first.map(position);
    expect([...places].sort((a, b) => a! - b!)).toEqual(us.map((_, i) => i + 1));
    for (const r of first) expect(r).toMatchObject({ ok: true, status: 'waiting', ahead: position(r)! - 1 });

    // Reload: a new socket of the same user; another tab: a second socket at once.
    const again = await Promise.all(us.slice(0, 10).map(async (u) => join(await h.connect(u.token), show.showId)));
    expect(again.map(position)).toEqual(places.slice(0, 10));
    expect((await http('GET', `/api/staff/shows/${show.showId}/queue`)).body.queue!.stats.waiting).toBe(60);
  });

  it('admits exactly admitPerMinute a minute, spread over the minute, in line order, with a pass pushed as queue:admitted', async () => {
    const show = await newShow();
    await turnOn(show.showId, { admitPerMinute: 30 });
    const us = await buyers(80, 'rate');
    const seen = us.map((u) => admittedOn(u.socket));
    for (const u of us) await join(u.socket, show.showId); // arrival order = line order
    const admittedAfter: number[] = [];
    // Rounds at 1..59 s: the first minute's 30 slots (one each 2 s from 0 s); then 60..119 s, the second minute.
    for (const [minute, seconds] of [59, 60].entries()) {
      await run(seconds);
      await waitFor(() => seen.filter((s) => s.length).length >= 30 * (minute + 1), 5000, 'admissions pushed');
      admittedAfter.push(seen.filter((s) => s.length).length);
    }
    expect(admittedAfter).toEqual([30, 60]);
    // In line order: the first 60 to arrive, nobody twice.
    expect(seen.map((s) => s.length)).toEqual(us.map((_, i) => (i < 60 ? 1 : 0)));
    const stats = (await http('GET', `/api/staff/shows/${show.showId}/queue`)).body.queue!.stats;
    expect(stats).toMatchObject({ waiting: 20, admitted: 60, admittedPerMinute: 30 });
    // Within a minute the slots open evenly: 30 a minute = one each 2 s, not a burst.
    await run(4);
    await waitFor(() => seen.filter((s) => s.length).length >= 62, 5000, 'two more');
    expect(seen.filter((s) => s.length).length).toBe(62);
  });

  it('an admitted pass opens the seat map: show:join with it, then holds and a confirm on the same socket without repeating it', async () => {
    const show = await newShow();
    await turnOn(show.showId, { admitPerMinute: 60 });
    const [u] = await buyers(1);
    const seen = admittedOn(u!.socket);
    expect(position(await join(u!.socket, show.showId))).toBe(1);
    await run(1);
    await waitFor(() => seen.length === 1, 5000, 'queue:admitted');
    const { pass } = seen[0]!;
    const other = await h.connect(u!.token); // another tab shows the pass in the payload
    expect((await ack<Ack<{ snapshot: Snapshot }>>(other, 'show:join', { showId: show.showId, pass })).ok).toBe(true);
    expect((await ack<Ack>(other, 'seat:hold', { showId: show.showId, seatIds: ['C3'] })).ok).toBe(true);
    const booked = await ack<Ack<{ booking: { status: string } }>>(other, 'booking:confirm', { showId: show.showId, idempotencyKey: 'queue-pass-ok-1' });
    expect(booked).toMatchObject({ ok: true, booking: { status: 'confirmed' } });
    expect(await seatInvariantViolations(h.app, show.showId, [u!.userId], clock.now())).toEqual([]);
  });

  it("refuses a forged, altered, another user's, another show's and an expired pass with QUEUE_REQUIRED, and nothing changes", async () => {
    const show = await newShow();
    const elsewhere = await newShow();
    await turnOn(show.showId, { admitPerMinute: 60, passMinutes: 1 });
    const [u, v] = await buyers(2, 'forge');
    const seen = admittedOn(v!.socket);
    await join(v!.socket, show.showId);
    await run(1);
    await waitFor(() => seen.length === 1, 5000, 'v admitted');
    const theirs = seen[0]!.pass;
    const signed = (userId: string, showId: string, expiresAt: number, key = SECRET) => signPass({ userId, showId, expiresAt }, key);
    const bad = {
      forged: signed(u!.userId, show.showId, clock.now() + 600_000, 'not-the-server-key'),
      altered: theirs.replace(v!.userId, u!.userId),
      foreign: theirs,
      otherShow: signed(u!.userId, elsewhere.showId, clock.now() + 600_000),
      expired: signed(u!.userId, show.showId, clock.now() - 1000),
    };
    for (const [kind, pass] of Object.entries(bad)) {
      const answers = await Promise.all([
        ack<Ack>(u!.socket, 'show:join', { showId: show.showId, pass }),
        ack<Ack>(u!.socket, 'seat:hold', { showId: show.showId, seatIds: ['D4'], pass }),
        ack<Ack>(u!.socket, 'seat:hold-best', { showId: show.showId, count: 1, pass }),
        ack<Ack>(u!.socket, 'booking:confirm', { showId: show.showId, idempotencyKey: `forged-${kind}-1`, pass }),
      ]);
      for (const a of answers) expect(a, kind).toMatchObject({ ok: false, error: { code: 'QUEUE_REQUIRED', reason: 'pass_invalid' } });
    }
    const map = (await (await fetch(`${h.url}/api/shows/${show.showId}/seats`)).json()) as Snapshot;
    expect(map.seats.filter((s) => s.status !== 'free')).toEqual([]);
    // The genuine one still works for its holder.
    expect((await ack<Ack>(v!.socket, 'seat:hold', { showId: show.showId, seatIds: ['D4'], pass: theirs })).ok).toBe(true);
  });

  it('a pass that expires while seats are held keeps the holds until the cart timer ends, and the buyer can still confirm them', async () => {
    const show = await newShow();
    await turnOn(show.showId, { admitPerMinute: 60, passMinutes: 1 });
    const [u] = await buyers(1, 'late');
    const r = await join(u!.socket, show.showId);
    await run(1);
    const s2 = await h.connect(u!.token);
    const again = await join(s2, show.showId);
    expect(again).toMatchObject({ ok: true, status: 'admitted' });
    expect(r.ok).toBe(true);
    expect((await ack<Ack>(s2, 'seat:hold', { showId: show.showId, seatIds: ['E5'] })).ok).toBe(true);
    clock.advance(90_000); // the pass (1 min) is over; the cart (8 min) is not
    await h.app.services.waitingRoom.tick();
    const map = (await (await fetch(`${h.url}/api/shows/${show.showId}/seats`)).json()) as Snapshot;
    expect(map.seats.find((s) => s.id === 'E5')!.status).toBe('held');
    const booked = await ack<Ack<{ booking: { seats: string[] } }>>(s2, 'booking:confirm', { showId: show.showId, idempotencyKey: 'pass-expired-holds-1' });
    expect(booked).toMatchObject({ ok: true, booking: { seats: ['E5'] } });
    // With nothing held any more, the expired pass no longer opens the map.
    expect(await ack<Ack>(s2, 'seat:hold', { showId: show.showId, seatIds: ['E6'] })).toMatchObject({ ok: false, error: { code: 'QUEUE_REQUIRED' } });
  });

  it('shuffles the 200 buyers who arrive before opensAt (not their arrival order), then queues the 100 who arrive later in arrival order, behind all of them', async () => {
    const show = await newShow();
    const opensAt = clock.now() + 60_000;
    await turnOn(show.showId, { admitPerMinute: 60, opensAt: new Date(opensAt).toISOString() });
    const early = await buyers(200, 'early');
    const late = await buyers(100, 'later');
    const before: Joined[] = [];
    for (const u of early) before.push(await join(u.socket, show.showId)); // one after another: arrival order = array order
    for (const r of before) expect(r).toMatchObject({ ok: true, status: 'waiting', position: null, ahead: null, opensAt: new Date(opensAt).toISOString() });
    expect(before.every((r) => r.ok && r.status === 'waiting' && r.estimatedWaitSeconds >= 60)).toBe(true);
    clock.ms = opensAt;
    for (const u of late) await join(u.socket, show.showId);
    const drawsBefore = shuffled;
    await h.app.services.waitingRoom.tick(); // opens the line (the shuffle) and admits the first slot
    expect(shuffled - drawsBefore).toBe(199); // Fisher–Yates over the 200 of the pre-queue, once

    // Everyone's place now, as a rejoin tells it (the one admitted is first).
    const now = await Promise.all([...early, ...late].map((u) => join(u.socket, show.showId)));
    const place = (r: Joined) => (r.ok && r.status === 'admitted' ? 0 : position(r)!);
    const ranked = [...early, ...late].map((u, i) => ({ id: u.userId, place: place(now[i]!) })).sort((x, y) => x.place - y.place);
    expect(ranked.map((r) => r.place)).toEqual([...Array(300).keys()]);
    const earlyIds = early.map((u) => u.userId);
    const admissionOrder = ranked.map((r) => r.id);
    expect(new Set(admissionOrder.slice(0, 200))).toEqual(new Set(earlyIds));
    expect(admissionOrder.slice(0, 200)).not.toEqual(earlyIds);
    expect(admissionOrder.slice(200)).toEqual(late.map((u) => u.userId));
  });

  it('pushes queue:update with the position to waiting sockets at least every 5 s', async () => {
    const show = await newShow();
    await turnOn(show.showId, { admitPerMinute: 6 });
    const us = await buyers(4, 'upd');
    for (const u of us) await join(u.socket, show.showId);
    const updates: QueueWaiting[] = [];
    us[3]!.socket.on('queue:update', (m) => updates.push(m));
    await run(10); // rounds each second for 10 s: a push at least every 5 s means at least two
    await waitFor(() => updates.length >= 2, 5000, 'two updates in 10 s');
    expect(updates.at(-1)).toMatchObject({ showId: show.showId, position: expect.any(Number) });
    expect(updates.at(-1)!.position!).toBeLessThan(4);
  });

  it('DELETE ends the queue and admits everyone still waiting, in order; the map is open again', async () => {
    const show = await newShow();
    await turnOn(show.showId, { admitPerMinute: 1 });
    const us = await buyers(5, 'end');
    const order: string[] = [];
    for (const u of us) {
      u.socket.on('queue:admitted', () => order.push(u.userId));
      await join(u.socket, show.showId);
    }
    const ended = await http('DELETE', `/api/staff/shows/${show.showId}/queue`);
    expect(ended).toMatchObject({ status: 200, body: { queue: null, admitted: 5 } });
    await waitFor(() => order.length === 5, 5000, 'all admitted');
    expect(order).toEqual(us.map((u) => u.userId));
    expect((await http('GET', `/api/staff/shows/${show.showId}/queue`)).body.queue).toBeNull();
    const [fresh] = await buyers(1, 'after');
    expect((await ack<Ack>(fresh!.socket, 'seat:hold', { showId: show.showId, seatIds: ['F1'] })).ok).toBe(true);
  });

  it('the staff queue routes refuse customers, other theatres and bad settings with typed errors and change nothing', async () => {
    const show = await newShow();
    const [customer] = await buyers(1, 'cust');
    expect((await http('PUT', `/api/staff/shows/${show.showId}/queue`, { admitPerMinute: 5 }, customer!.token)).body.error!.code).toBe('FORBIDDEN');
    const other = await h.app.services.auth.register({ name: 'Other', email: `qother-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' }, 'staff', ['other-theatre']);
    if (!other.ok) throw new Error('sign-up failed');
    expect((await http('PUT', `/api/staff/shows/${show.showId}/queue`, { admitPerMinute: 5 }, other.value.token)).status).toBe(403);
    for (const body of [{}, { admitPerMinute: 0 }, { admitPerMinute: 5, passMinutes: 500 }, { admitPerMinute: 5, opensAt: 'tomorrow' }]) {
      const r = await http('PUT', `/api/staff/shows/${show.showId}/queue`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error!.code).toBe('VALIDATION');
    }
    expect((await http('PUT', '/api/staff/shows/no-such-show/queue', { admitPerMinute: 5 })).status).toBe(404);
    expect((await http('GET', `/api/staff/shows/${show.showId}/queue`)).body.queue).toBeNull();
  });

  it('the safety net turns the queue on when a show has more active buyers than QUEUE_ACTIVE_BUYERS, and off again when they are gone', async () => {
    const show = await newShow();
    const us = await buyers(4, 'surge');
    for (const [i, u] of us.entries()) expect((await ack<Ack>(u.socket, 'seat:hold', { showId: show.showId, seatIds: [`A${i + 1}`] })).ok).toBe(true);
    await h.app.services.waitingRoom.tick();
    const on = (await http('GET', `/api/staff/shows/${show.showId}/queue`)).body.queue;
    expect(on).toMatchObject({ source: 'safety_net', admitPerMinute: 3, maxActiveBuyers: 3 });
    // Those choosing already go on; a newcomer queues.
    expect((await ack<Ack>(us[0]!.socket, 'seat:hold', { showId: show.showId, seatIds: ['B1'] })).ok).toBe(true);
    const [newcomer] = await buyers(1, 'newcomer');
    expect(await ack<Ack>(newcomer!.socket, 'seat:hold', { showId: show.showId, seatIds: ['B5'] })).toMatchObject({ ok: false, error: { code: 'QUEUE_REQUIRED' } });
    expect(position(await join(newcomer!.socket, show.showId))).toBe(1);
    // The surge passes: holds released, the newcomer admitted and done.
    for (const [i, u] of us.entries()) await ack<Ack>(u.socket, 'seat:release', { showId: show.showId, seatIds: [`A${i + 1}`, 'B1'] });
    // One round admits the newcomer; nobody waits and 1 active buyer (their pass) ≤ 3 / 2: off.
    await run(1);
    expect((await http('GET', `/api/staff/shows/${show.showId}/queue`)).body.queue).toBeNull();
    expect((await ack<Ack>(newcomer!.socket, 'seat:hold', { showId: show.showId, seatIds: ['B5'] })).ok).toBe(true);
  });
});
