/**
 * SIGKILL in the middle of a stream of confirms, restart on the same data, verify, for
 * several seeds in a row: every acknowledged booking survives, no seat is in two
 * bookings, the map equals the bookings, holds only expire, and every confirmed
 * booking's confirmation goes out exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, expect, it } from 'vitest';
import { ShowsResponse, type Booking, type SeatMap } from '../../protocol/index.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { cleanUpServers, startServerProcess, type ServerProcess } from '../support/server-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'mm-crash-'));
const env = { DATA_DIR: dataDir, LOAD_TEST: '1', HOLD_SECONDS: '6', SWEEP_INTERVAL_MS: '300', OUTBOX_INTERVAL_MS: '200' };
const running: ServerProcess[] = [];
afterAll(() => cleanUpServers(dataDir, running));

/** A small deterministic PRNG so a seed replays the same choices. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const json = async <T>(url: string, init?: RequestInit) => (await (await fetch(url, init)).json()) as T;

it('SIGKILL mid-confirms, restart, verify: passes for several seeds in a row', async () => {
  let server = await startServerProcess(env);
  running.push(server);
  const tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
  const { shows } = ShowsResponse.parse(await json(`${server.url}/api/shows?city=Bangalore&date=${tomorrow}`));
  const showId = shows.find((s) => s.capacity >= 200 && s.capacity < 1000)!.id;
  const tokens: string[] = [];
  for (let i = 0; i < 12; i++) {
    const r = await json<{ token: string }>(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Crash ${i}`, email: `crash-${i}-${Date.now()}@test.example`, password: 'correct horse battery' }),
    });
    tokens.push(r.token);
  }
  const acked = new Map<string, Booking>();

  for (const seed of [7, 19, 42]) {
    const random = rng(seed);
    const killAfter = 3 + Math.floor(random() * 12);
    let bookedThisRound = 0;
    let killed = false;
    const sockets: Socket[] = [];
    const kill = () => {
      if (killed) return;
      killed = true;
      server.child.kill('SIGKILL');
    };
    await Promise.all(
      tokens.map(async (token, u) => {
        const socket = io(server.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', reject);
        });
        const emit = <T>(e: string, p: unknown) => (socket.timeout(5000).emitWithAck(e, p) as Promise<T>).catch(() => null);
        for (let k = 0; !killed && k < 40; k++) {
          const map = await json<SeatMap>(`${server.url}/api/shows/${showId}/seats`).catch(() => null);
          if (!map || killed) break;
          const free = map.seats.filter((s) => s.status === 'free');
          const want = [free[Math.floor(random() * free.length)]!.id];
          const held = await emit<{ ok: boolean }>('seat:hold', { showId, seatIds: want });
          if (!held?.ok) continue;
          const r = await emit<{ ok: true; booking: Booking } | { ok: false }>('booking:confirm', { showId, idempotencyKey: `crash-${seed}-${u}-${k}` });
          if (r?.ok) {
            acked.set(r.booking.id, r.booking);
            if (++bookedThisRound >= killAfter) kill();
          }
        }
      }),
    );
    kill();
    await server.exited;
    for (const s of sockets) s.disconnect();

    server = await startServerProcess(env);
    running.push(server);

    // Every acknowledged booking is still there; nothing is booked twice; the map agrees.
    const all: Booking[] = [];
    for (const token of tokens) {
      const { bookings } = await json<{ bookings: Booking[] }>(`${server.url}/api/bookings`, { headers: { authorization: `Bearer ${token}` } });
      all.push(...bookings.filter((b) => b.showId === showId && b.status === 'confirmed'));
    }
    for (const id of acked.keys()) expect(all.some((b) => b.id === id), `acknowledged booking ${id} (seed ${seed})`).toBe(true);
    const seatCount = new Map<string, number>();
    for (const b of all) for (const s of b.seats) seatCount.set(s, (seatCount.get(s) ?? 0) + 1);
    expect([...seatCount.values()].filter((n) => n > 1), `double bookings (seed ${seed})`).toEqual([]);
    const map = await json<SeatMap>(`${server.url}/api/shows/${showId}/seats`);
    expect(map.seats.filter((s) => s.status === 'booked').map((s) => s.id).sort()).toEqual([...seatCount.keys()].sort());
    // Holds left by the crash only expire (HOLD_SECONDS=6) and are swept.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const m = await json<SeatMap>(`${server.url}/api/shows/${showId}/seats`);
      if (m.seats.every((s) => s.status !== 'held')) break;
      if (Date.now() > deadline) throw new Error(`holds still live 15 s after restart (seed ${seed})`);
      await new Promise((r) => setTimeout(r, 300));
    }
    // Every confirmed booking's confirmation went out, exactly once.
    const mailFor = async () => {
      const { mails } = await json<{ mails: { id: string }[] }>(`${server.url}/dev/mail`, { headers: { accept: 'application/json' } });
      return mails.filter((m) => m.id.startsWith('booking.confirmed:'));
    };
    let mails = await mailFor();
    const started = Date.now();
    // A confirmation the killed process had claimed waits for its 30 s lease to run out.
    while (all.some((b) => !mails.some((m) => m.id === `booking.confirmed:${b.id}`)) && Date.now() - started < 45_000) {
      await new Promise((r) => setTimeout(r, 300));
      mails = await mailFor();
    }
    for (const b of all) expect(mails.filter((m) => m.id === `booking.confirmed:${b.id}`), `mail for ${b.id} (seed ${seed})`).toHaveLength(1);
    console.log(`[crash] seed ${seed}: killed after ${bookedThisRound} bookings this round; ${all.length} bookings, ${mails.length} confirmations, 0 double`);
  }
});
