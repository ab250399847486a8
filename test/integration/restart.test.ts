/**
 * The real entry point with the embedded store on disk: holds and bookings
 * survive a restart, also after SIGKILL (which leaves a stale JVM behind).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, expect, it } from 'vitest';
import { SeatMap, ShowsResponse, type Ack, type Booking, type HoldResult } from '../../protocol/index.js';
import { isAlive } from '../../server/adapters/dynamo/embedded.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { cleanUpServers, startServerProcess, type ServerProcess } from '../support/server-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'mm-restart-'));
const running: ServerProcess[] = [];
afterAll(() => cleanUpServers(dataDir, running));


async function session(url: string, token: string) {
  const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return {
    socket,
    ack: <T>(event: string, payload: unknown) =>
      (socket.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<T> }).emitWithAck(event, payload),
  };
}

it('holds and bookings survive a graceful restart and a SIGKILL', async () => {
  const env = { DATA_DIR: dataDir, SWEEP_INTERVAL_MS: '1000' };
  const first = await startServerProcess(env);
  running.push(first);
  expect(first.output()).toContain('asha@demo.moviemagic.app');

  // A second server on the same DATA_DIR is refused.
  const second = await startServerProcess(env, { waitReady: false });
  expect(await second.exited).not.toBe(0);
  expect(second.output()).toContain('is using');

  const login = await fetch(`${first.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'asha@demo.moviemagic.app', password: 'moviemagic' }),
  });
  const { token } = (await login.json()) as { token: string };
  const tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
  const { shows } = ShowsResponse.parse(await (await fetch(`${first.url}/api/shows?city=Hyderabad&date=${tomorrow}`)).json());
  expect(shows.length).toBeGreaterThan(10);
  const showId = shows[0]!.id;

  let s = await session(first.url, token);
  expect((await s.ack<Ack<HoldResult>>('seat:hold', { showId, seatIds: ['A1', 'A2'] })).ok).toBe(true);
  const booked = await s.ack<Ack<{ booking: Booking }>>('booking:confirm', { showId, idempotencyKey: 'restart-test-1' });
  expect(booked.ok).toBe(true);
  const held = await s.ack<Ack<HoldResult>>('seat:hold', { showId, seatIds: ['B3'] });
  expect(held.ok).toBe(true);
  s.socket.disconnect();

  // Graceful stop: the JVM goes with the server.
  const jvm = Number(readFileSync(join(dataDir, 'dynamodb.pid'), 'utf8'));
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(isAlive(jvm)).toBe(false);

  const restarted = await startServerProcess(env);
  running.push(restarted);
  let map = SeatMap.parse(await (await fetch(`${restarted.url}/api/shows/${showId}/seats`)).json());
  const statusOf = (id: string) => map.seats.find((x) => x.id === id)?.status;
  expect([statusOf('A1'), statusOf('A2'), statusOf('B3')]).toEqual(['booked', 'booked', 'held']);

  // SIGKILL: no cleanup at all; the next start kills the stale JVM and carries on.
  const staleJvm = Number(readFileSync(join(dataDir, 'dynamodb.pid'), 'utf8'));
  restarted.child.kill('SIGKILL');
  await restarted.exited;
  expect(isAlive(staleJvm)).toBe(true);
  const third = await startServerProcess(env);
  running.push(third);
  expect(isAlive(staleJvm)).toBe(false);

  map = SeatMap.parse(await (await fetch(`${third.url}/api/shows/${showId}/seats`)).json());
  expect([statusOf('A1'), statusOf('A2'), statusOf('B3')]).toEqual(['booked', 'booked', 'held']);
  s = await session(third.url, token);
  const again = await s.ack<Ack<{ booking: Booking }>>('booking:confirm', { showId, idempotencyKey: 'restart-test-1' });
  expect(again.ok && booked.ok && again.booking.id === booked.booking.id).toBe(true);
  const second2 = await s.ack<Ack<{ booking: Booking }>>('booking:confirm', { showId, idempotencyKey: 'restart-test-2' });
  expect(second2.ok && second2.booking.seats).toEqual(['B3']);
  const list = (await (await fetch(`${third.url}/api/bookings`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    bookings: Booking[];
  };
  expect(list.bookings.map((b) => b.seats)).toEqual(expect.arrayContaining([['A1', 'A2'], ['B3']]));
  s.socket.disconnect();
  third.child.kill('SIGTERM');
  expect(await third.exited).toBe(0);
}, 300_000);
