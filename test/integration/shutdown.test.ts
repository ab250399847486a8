/**
 * Graceful shutdown (hardening issue), as pm2 does it: stop accepting, let started work
 * (confirms above all) finish and answer, then close the sockets. Once in-process with a
 * confirm made slow at the store, then with SIGTERM to the real entry point in the
 * middle of a burst of confirms, a restart on the same data, and a check of every seat.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { SeatMap, ShowsResponse, type Ack, type Booking } from '../../protocol/index.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { injectFaults } from '../support/faults.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness } from '../support/harness.js';
import { cleanUpServers, startServerProcess, type ServerProcess } from '../support/server-process.js';

type ConfirmAck = Ack<{ booking: Booking }>;

describe('in process', () => {
  it('a confirm in flight when shutdown starts still books and answers; new work is turned away; then sockets close', async () => {
    const h = await startHarness();
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 4, perRow: 4 });
    const u = await h.register('inflight');
    const s = await h.connect(u.token);
    const late = await h.connect();
    expect(await ack<Ack<object>>(s, 'seat:hold', { showId: show.showId, seatIds: ['A1', 'A2'] })).toMatchObject({ ok: true });

    const faults = injectFaults(h.dynamo);
    let slow = 1;
    faults.set({ pick: (c) => (c === 'TransactWriteItems' && slow-- > 0 ? 'slow' : null) });
    const disconnected = new Promise<string>((r) => s.once('disconnect', (reason) => r(reason)));
    const confirm = ack<ConfirmAck>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'drain-confirm-1' });
    await new Promise((r) => setTimeout(r, 300)); // the confirm is now waiting on the (slow) store

    let closedAt = 0;
    const closing = h.app.close().then(() => (closedAt = Date.now()));
    await new Promise((r) => setTimeout(r, 50));
    const turnedAway = await ack<Ack<object>>(late, 'show:join', { showId: show.showId });
    expect(turnedAway).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/restarting/) } });

    const answer = await confirm;
    const answeredAt = Date.now();
    expect(answer).toMatchObject({ ok: true, booking: { seats: ['A1', 'A2'] } });
    await closing;
    expect(closedAt).toBeGreaterThanOrEqual(answeredAt - 5);
    // The connection is closed rather than the socket told to go away, so clients reconnect
    // on their own: to the restarted process, or to another pm2 worker.
    expect(await disconnected).toBe('transport close');
    expect(await h.app.stores.bookings.listByUser(u.userId)).toHaveLength(1);
    // The tables are dropped by the harness; its app is already closed.
    await h.close().catch(() => undefined);
  });
});

describe('the real entry point under SIGTERM', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mm-sigterm-'));
  const running: ServerProcess[] = [];
  afterAll(() => cleanUpServers(dataDir, running));

  const json = async <T>(url: string, init?: RequestInit) => (await (await fetch(url, init)).json()) as T;

  it('every confirm sent before SIGTERM gets its answer, the process exits 0, and after a restart the seats agree with the answers', async () => {
    const env = { DATA_DIR: dataDir, LOAD_TEST: '1', OUTBOX_INTERVAL_MS: '200' };
    const server = await startServerProcess(env);
    running.push(server);
    const tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
    const { shows } = ShowsResponse.parse(await json(`${server.url}/api/shows?city=Mumbai&date=${tomorrow}`));
    const showId = shows.find((s) => s.capacity >= 100 && s.capacity < 1000)!.id;

    const users: { socket: Socket; id: string; seats: string[] }[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await json<{ token: string; user: { id: string } }>(`${server.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Term ${i}`, email: `term-${i}-${Date.now()}@test.example`, password: 'correct horse battery' }),
      });
      const socket = io(server.url, { auth: { token: r.token }, transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
      users.push({ socket, id: r.user.id, seats: [`C${i + 1}`, `D${i + 1}`] });
    }
    const emit = <T>(s: Socket, event: string, payload: unknown) =>
      (s.timeout(20_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<T> }).emitWithAck(event, payload);
    for (const u of users) expect(await emit<Ack<object>>(u.socket, 'seat:hold', { showId, seatIds: u.seats })).toMatchObject({ ok: true });

    // All confirm at once; SIGTERM goes out as soon as the first answer is back, with the rest in flight.
    let termAt = 0;
    const answers = await Promise.all(
      users.map((u, i) =>
        emit<ConfirmAck>(u.socket, 'booking:confirm', { showId, idempotencyKey: `sigterm-${i}-key` })
          .then((a) => {
            if (!termAt) (termAt = Date.now()), server.child.kill('SIGTERM');
            return a;
          })
          .catch((err: Error) => ({ ok: false as const, error: { code: `NO ANSWER (${err.message})`, message: '' } })),
      ),
    );
    const code = await server.exited;
    const exitMs = Date.now() - termAt;
    const summary = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    console.log(`[sigterm] answers: ${JSON.stringify(summary)}; exit ${code} ${exitMs} ms after SIGTERM`);
    expect(summary.every((a) => a === 'ok' || a === 'UNAVAILABLE')).toBe(true); // every confirm was answered
    expect(summary.filter((a) => a === 'ok').length).toBeGreaterThanOrEqual(2); // some were in flight and finished
    expect(code).toBe(0);
    expect(server.output()).toMatch(/shutting down/);

    const again = await startServerProcess(env);
    running.push(again);
    const map = SeatMap.parse(await json(`${again.url}/api/shows/${showId}/seats`));
    const status = new Map(map.seats.map((s) => [s.id, s.status]));
    for (const [i, u] of users.entries()) {
      const a = answers[i]!;
      if (a.ok) {
        expect(a.booking.seats).toEqual(u.seats);
        for (const seat of u.seats) expect(status.get(seat), `${seat} of an acknowledged booking`).toBe('booked');
      } else {
        for (const seat of u.seats) expect(status.get(seat), `${seat} of a turned-away confirm`).toBe('held'); // still theirs, expiring
      }
    }
    // Each acknowledged booking's confirmation goes out exactly once.
    const okIds = answers.flatMap((a) => (a.ok ? [a.booking.id] : []));
    const deadline = Date.now() + 15_000;
    let mails: { id: string }[] = [];
    while (Date.now() < deadline) {
      mails = (await json<{ mails: { id: string }[] }>(`${again.url}/dev/mail`, { headers: { accept: 'application/json' } })).mails;
      if (okIds.every((id) => mails.some((m) => m.id === `booking.confirmed:${id}`))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const id of okIds) expect(mails.filter((m) => m.id === `booking.confirmed:${id}`)).toHaveLength(1);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    for (const u of users) u.socket.disconnect();
  });
});
