/**
 * Complete bookings, end to end, and what each costs the store. Prints, never asserts.
 *   npm run bench:bookings -- [--clients 20] [--seconds 30] [--shows 1] [--seats-per-client N]
 *                             [--store-cores [0]] [--no-raw] [--pay]
 * Starts DynamoDB Local (in memory) and the app in this process with its outbox dispatcher and
 * expiry sweeper running and confirmations mailed through the outbox to the local mail channel
 * (as `npm start` does). Measures the store's raw conditional PutItem rate, then each client
 * (its own socket and account, its own seats: no contention) joins the show and books 2 seats
 * at a time (seat:hold, then booking:confirm) as fast as its acks come back, for --seconds.
 * Prints complete bookings per second against the raw rate, hold and confirm latencies, and
 * every store request the app made from the start of the phase until the last confirmation
 * mail was written (writes by kind, reads apart, by the server file that sent them).
 * No payment gateway by default (confirm books at once: the bench measures seats alone, as
 * PAYMENT_GATEWAY=none); --pay runs the app with the test gateway: each booking, `pending_payment`,
 * is paid through its drive route and counted once `booking:changed` says confirmed, and
 * confirm-to-booked (confirm emit to that receipt) is printed.
 * Only the socket protocol is assumed: seat:hold {showId, seatIds}, booking:confirm
 * {showId, idempotencyKey}, acks {ok, ...}.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Booking } from '../protocol/index.js';
import { BookingWatch, drivePayment } from '../scripts/rush/pay.js';
import { apiClient } from '../scripts/rush/api.js';
import { createShow, type ShowFixture } from '../test/support/fixtures.js';
import {
  arg,
  cpuMeter,
  describeStoreOps,
  emit,
  flag,
  pinStoreCores,
  rawWriteRate,
  registerAndConnect,
  startStack,
  storeOpRecorder,
  summary,
} from './lib.js';

type Ack = { ok: true; booking?: Booking } | { ok: false; error: { code: string; message: string } };

const clients = Number(arg('clients', '20'));
const seconds = Number(arg('seconds', '30'));
const wantedShows = Math.max(1, Number(arg('shows', '1')));
// Room for 10 bookings/s per client, well above what the store allows today.
const seatsPerClient = Number(arg('seats-per-client', String(2 * Math.ceil(seconds * 10))));
const SEATS_PER_SHOW = 52 * 999; // the fixture layout's distinct seat ids (rows A..ZZ, seats 1..999)

const mailDir = mkdtempSync(join(tmpdir(), 'mm-bench-mail-'));
const pay = flag('pay');
const stack = await startStack({ disk: false, mailDir, sweepIntervalMs: 1000, pay });
console.log(
  `bookings bench: ${clients} clients, 2 seats a booking, ${seconds} s, DynamoDB Local in memory, outbox to ${mailDir}, ${pay ? 'paying through the test gateway' : 'no payment gateway'}, ${process.version}`,
);
console.log(pinStoreCores(stack.storePid));
const raw = flag('no-raw') ? { put: NaN, tx: NaN, holdTx: NaN } : await rawWriteRate(stack.dynamo);
console.log(`store raw rate (50 in flight): conditional PutItem ${raw.put.toFixed(0)}/s, 2-item TransactWriteItems ${raw.tx.toFixed(0)}/s`);

// Each client gets its own run of seats on one of the shows.
const showCount = Math.max(wantedShows, Math.ceil((clients / wantedShows) * seatsPerClient / SEATS_PER_SHOW) * wantedShows);
const clientsPerShow = Math.ceil(clients / showCount);
const seatsPerShow = clientsPerShow * seatsPerClient;
const rows = Math.min(52, Math.ceil(seatsPerShow / 100));
const shows: ShowFixture[] = [];
for (let i = 0; i < showCount; i++) shows.push(await createShow(stack.app.stores.catalog, { now: Date.now(), rows, perRow: Math.ceil(seatsPerShow / rows) }));
console.log(`${showCount} show(s) of ${shows[0]!.seatIds.length} seats; ${seatsPerClient} seats per client`);

const sockets = await Promise.all(Array.from({ length: clients }, (_, i) => registerAndConnect(stack.url, `booker${i}`)));
const watches = sockets.map((s) => new BookingWatch(s));
for (const [i, s] of sockets.entries()) {
  const joined = await emit<Ack>(s, 'show:join', { showId: shows[i % showCount]!.showId });
  if (!joined.ok) throw new Error(`show:join: ${joined.error.code} ${joined.error.message}`);
}

const store = storeOpRecorder(stack.dynamo);
const holdMs: number[] = [];
const confirmMs: number[] = [];
const bookingMs: number[] = [];
const confirmToBookedMs: number[] = [];
const errors: Record<string, number> = {};
const statuses: Record<string, number> = {};
let bookings = 0;
let ranOut = 0;
const fail = (step: string, code: string) => (errors[`${step} ${code}`] = (errors[`${step} ${code}`] ?? 0) + 1);
const runId = Math.random().toString(36).slice(2, 8);

const cpu = cpuMeter({ 'DynamoDB Local (JVM)': stack.storePid, 'app + clients (this process)': process.pid });
store.on();
const started = performance.now();
const deadline = started + seconds * 1000;
const progress = setInterval(() => console.log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${bookings} bookings`), 5000);
await Promise.all(
  sockets.map(async (socket, c) => {
    const show = shows[c % showCount]!;
    const slot = Math.floor(c / showCount);
    const mine = show.seatIds.slice(slot * seatsPerClient, (slot + 1) * seatsPerClient);
    for (let k = 0; performance.now() < deadline; k++) {
      const seatIds = mine.slice(2 * k, 2 * k + 2);
      if (seatIds.length < 2) {
        ranOut++;
        return;
      }
      const t0 = performance.now();
      const held = await emit<Ack>(socket, 'seat:hold', { showId: show.showId, seatIds }).catch(() => ({ ok: false, error: { code: 'TIMEOUT', message: '' } }) as Ack);
      const t1 = performance.now();
      holdMs.push(t1 - t0);
      if (!held.ok) {
        fail('hold', held.error.code);
        continue;
      }
      const booked = await emit<Ack>(socket, 'booking:confirm', { showId: show.showId, idempotencyKey: `bench-${runId}-${c}-${k}` }).catch(
        () => ({ ok: false, error: { code: 'TIMEOUT', message: '' } }) as Ack,
      );
      const t2 = performance.now();
      confirmMs.push(t2 - t1);
      if (!booked.ok) {
        fail('confirm', booked.error.code);
        continue;
      }
      if (booked.booking?.status === 'pending_payment') {
        const paid = await drivePayment(apiClient(stack.url), booked.booking, 'succeed').then(
          () => watches[c]!.confirmed(booked.booking!.id, 30_000),
          () => null,
        );
        if (paid === null) {
          fail('pay', 'NOT_CONFIRMED');
          continue;
        }
        confirmToBookedMs.push(paid - t1);
      }
      bookings++;
      bookingMs.push(performance.now() - t0);
      const status = booked.booking?.status ?? '?';
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
clearInterval(progress);
const cores = cpu();

// End to end: keep counting until the outbox has mailed every booking made (at most 60 s more).
const mails = () => readdirSync(mailDir).filter((f) => f.endsWith('.json')).length;
const drainStart = performance.now();
while (mails() < bookings && performance.now() - drainStart < 60_000) await new Promise((r) => setTimeout(r, 100));
const drainSeconds = (performance.now() - drainStart) / 1000;
store.off();

const rate = bookings / elapsed;
const line = (name: string, xs: number[]) => {
  const s = summary(xs);
  return `${name} ms p50 ${s.p50.toFixed(1)} / p95 ${s.p95.toFixed(1)} / p99 ${s.p99.toFixed(1)} / max ${s.max.toFixed(1)} (n ${s.n})`;
};
console.log(`\ncomplete bookings: ${bookings} in ${elapsed.toFixed(1)} s = ${rate.toFixed(1)}/s (statuses ${JSON.stringify(statuses)})`);
console.log(`bookings/s / raw conditional PutItem rate: ${((rate / raw.put) * 100).toFixed(1)} % (target >= 21 %)`);
console.log(line('hold ack', holdMs));
console.log(line('confirm ack', confirmMs));
console.log(line(pay ? 'hold + confirm + paid' : 'hold + confirm', bookingMs));
if (pay) console.log(line('confirm-to-booked (confirm emit to booking:changed confirmed)', confirmToBookedMs));
console.log(`failed steps: ${Object.keys(errors).length ? JSON.stringify(errors) : 'none'}${ranOut ? `; ${ranOut} client(s) ran out of seats (raise --seats-per-client)` : ''}`);
console.log(`confirmation mails written: ${mails()} of ${bookings}, the last ${drainSeconds.toFixed(1)} s after the phase`);
console.log(`CPU cores used during the phase: ${cores}`);
for (const l of describeStoreOps(store.ops(), bookings, 'booking')) console.log(l);

for (const s of sockets) s.disconnect();
await stack.stop();
rmSync(mailDir, { recursive: true, force: true });
process.exit(0);
