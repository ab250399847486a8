/**
 * Payments while the store throttles and conflicts (faults injected at the SDK client, so the
 * adapters' own retries run): confirms, webhooks, the users' returns, late money and the
 * rounds all meet failing writes. Once the store recovers and the rounds have run, every
 * captured payment has exactly one confirmed booking or one full refund, and no seat is sold
 * twice. Several seeds.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Booking, type Ack } from '../../protocol/index.js';
import { injectFaults, randomFaults } from '../support/faults.js';
import { createShow } from '../support/fixtures.js';
import { ack, call, startHarness, type ClientSocket, type Harness } from '../support/harness.js';
import { ScriptedGateway } from '../support/scripted-gateway.js';

let h: Harness;
const gw = new ScriptedGateway();
const WINDOW_S = 60;
let faults: ReturnType<typeof injectFaults>;

beforeAll(async () => {
  h = await startHarness({ config: { payments: { gateway: gw, windowSeconds: WINDOW_S, refundIntervalMs: 0, reconcileIntervalMs: 0 } } });
  faults = injectFaults(h.dynamo);
});
afterAll(() => h.close());

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const WRITES = ['TransactWriteItems', 'UpdateItem', 'PutItem', 'DeleteItem'];

it('with 30 % of store writes throttled or conflicting, every captured payment ends as one confirmed booking or one full refund, and no seat is sold twice (seeds 3, 11, 23)', async () => {
  for (const seed of [3, 11, 23]) {
    const random = rng(seed);
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 3 * 24 * 3600_000, rows: 2, perRow: 6 });
    const users: { token: string; socket: ClientSocket }[] = [];
    for (let i = 0; i < 8; i++) {
      const u = await h.register(`faulty-${seed}`);
      users.push({ token: u.token, socket: await h.connect(u.token) });
    }
    const throttle = randomFaults('throttle', 0.2, seed, WRITES);
    const conflict = randomFaults('conflict', 0.1, seed + 1, ['TransactWriteItems']);
    faults.set({ pick: (c) => throttle.pick(c) ?? conflict.pick(c) });

    // Eight buyers want overlapping pairs of twelve seats; each confirm may fail under the faults.
    const made: Booking[] = [];
    const ownerOf = new Map<string, string>();
    await Promise.all(
      users.map(async (u, i) => {
        const start = Math.floor(random() * 10);
        const seatIds = [`A${(start % 6) + 1}`, `B${(start % 6) + 1}`];
        const held = await ack<Ack>(u.socket, 'seat:hold', { showId: show.showId, seatIds });
        if (!held.ok) return;
        const r = await ack<Ack<{ booking: Booking }>>(u.socket, 'booking:confirm', { showId: show.showId, idempotencyKey: `faulty-${seed}-${i}-key` });
        if (r.ok && r.booking.status === 'pending_payment') {
          made.push(Booking.parse(r.booking));
          ownerOf.set(r.booking.id, u.token);
        }
      }),
    );
    expect(made.length, `bookings started (seed ${seed})`).toBeGreaterThan(0);

    // Everyone pays; half the webhooks arrive under the faults, some users come back instead, some bookings' money is late.
    const late = made.filter(() => random() < 0.3);
    for (const b of made) {
      if (!late.includes(b)) gw.capture(b.payment!.id);
    }
    await Promise.all(
      made.map(async (b) => {
        if (late.includes(b)) return;
        if (random() < 0.5) {
          const w = gw.webhook(b.payment!.id);
          await fetch(`${h.url}/api/payments/webhook/test`, { method: 'POST', headers: w.headers, body: w.body });
        } else await call(h.url, 'POST', `/api/bookings/${b.id}/payment/check`, { token: ownerOf.get(b.id)! });
      }),
    );
    // The late ones pay after the deadline, while the sweeper works under the same faults.
    h.clock.advance(WINDOW_S * 1000 + 1000);
    await h.app.services.sweeper.sweep().catch(() => undefined);
    // Someone else takes the first late booking's seats before its money comes: that money must go back.
    const latecomer = await h.register(`latecomer-${seed}`);
    const lateSocket = await h.connect(latecomer.token);
    let taken: Booking | null = null;
    if (late[0]) {
      const held = await ack<Ack>(lateSocket, 'seat:hold', { showId: show.showId, seatIds: late[0].seats });
      const r = held.ok ? await ack<Ack<{ booking: Booking }>>(lateSocket, 'booking:confirm', { showId: show.showId, idempotencyKey: `latecomer-${seed}-key` }) : null;
      if (r?.ok) {
        taken = Booking.parse(r.booking);
        made.push(taken);
        gw.capture(taken.payment!.id);
        const w = gw.webhook(taken.payment!.id);
        await fetch(`${h.url}/api/payments/webhook/test`, { method: 'POST', headers: w.headers, body: w.body });
      }
    }
    for (const b of late) gw.capture(b.payment!.id);
    await Promise.all(
      late.map(async (b) => {
        const w = gw.webhook(b.payment!.id);
        await fetch(`${h.url}/api/payments/webhook/test`, { method: 'POST', headers: w.headers, body: w.body });
      }),
    );

    // The store recovers; the rounds every process runs finish the work.
    const injected = Object.values(faults.counts).reduce((a, b) => a + b, 0);
    faults.set(null);
    for (let round = 0; round < 3; round++) {
      await h.app.services.sweeper.sweep();
      await h.app.services.payments!.reconcile({ scan: true });
      h.clock.advance(60 * 60_000); // past any refund backoff
      await h.app.services.payments!.settleRefunds();
    }

    for (const b of made) {
      const after = (await h.app.stores.bookings.get(b.id))!;
      const refunded = after.payment!.refunds.reduce((sum, r) => sum + r.amount, 0);
      const booked = after.status === 'confirmed' && after.payment!.status === 'captured';
      const exactlyOne = (booked && refunded === 0) || (!booked && after.payment!.status === 'captured' && refunded === after.payment!.amount);
      expect(exactlyOne, `booking ${b.id}: ${after.status}/${after.payment!.status}, refunded ${refunded} of ${after.payment!.amount} (seed ${seed})`).toBe(true);
      expect(after.payment!.refunds.every((r) => r.status === 'succeeded'), `refunds of ${b.id} settled (seed ${seed})`).toBe(true);
      const o = gw.orderOf(b.payment!.id);
      expect([0, o.amount], `gateway refunds for ${b.id} (seed ${seed})`).toContain(gw.refundedFor(o.orderRef));
    }
    const live = (await h.app.stores.bookings.listByShow(show.showId)).filter((b) => b.status === 'confirmed' || b.status === 'pending_payment');
    const owners = new Map<string, string[]>();
    for (const b of live) for (const s of b.seats) owners.set(s, [...(owners.get(s) ?? []), b.id]);
    expect([...owners.entries()].filter(([, ids]) => ids.length > 1), `double-sold seats (seed ${seed})`).toEqual([]);
    for (const r of await h.app.stores.seats.seats(show.showId)) {
      if (r.status === 'booked') expect(owners.get(r.seatId), `seat ${r.seatId} (seed ${seed})`).toEqual([r.bookingId]);
    }
    const outcome = await Promise.all(made.map(async (b) => (await h.app.stores.bookings.get(b.id))!.status));
    console.log(`[payments-faults] seed ${seed}: ${injected} faults injected; ${made.length} payments (${late.length} late, ${taken ? 'one late booking\'s seats taken meanwhile' : 'none taken meanwhile'}): ${outcome.filter((s) => s === 'confirmed').length} booked, ${outcome.filter((s) => s !== 'confirmed').length} refunded`);
    for (const u of users) u.socket.disconnect();
    lateSocket.disconnect();
  }
});
