/**
 * Issue 18: /metrics in Prometheus format (prom-client): socket ack latency by event and
 * outcome, seats held, bookings, rooms, sockets and the waiting rooms, store calls and
 * throttles, broadcast batches and fan-out, the outbox, payment statuses and the process
 * (event-loop lag); open to this host, and to others only with METRICS_TOKEN.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ack } from '../../protocol/index.js';
import { injectFaults } from '../support/faults.js';
import { createShow } from '../support/fixtures.js';
import { buyer, holdAndConfirm, showDaysAhead } from '../support/payment-buyers.js';
import { ack, call, startHarness, type Harness } from '../support/harness.js';

const TOKEN = 'metrics-token-for-the-test-0123';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { metrics: { token: TOKEN } } });
});
afterAll(() => h.close());

const scrape = async (headers: Record<string, string> = {}) => {
  const res = await fetch(`${h.url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};
const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"+]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

it('counts socket acks by event and outcome, seats held and bookings, and reads rooms and sockets at scrape time', async () => {
  const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 3, perRow: 6 });
  const [a, b] = [await h.register('m1'), await h.register('m2')];
  const [sa, sb] = [await h.connect(a.token), await h.connect(b.token)];
  expect((await ack<Ack>(sa, 'seat:hold', { showId: show.showId, seatIds: ['B2', 'B3'] })).ok).toBe(true);
  expect((await ack<Ack>(sb, 'seat:hold', { showId: show.showId, seatIds: ['B3'] })).ok).toBe(false);
  expect((await ack<Ack>(sa, 'booking:confirm', { showId: show.showId, idempotencyKey: 'metrics-booking-1' })).ok).toBe(true);

  const m = await scrape();
  expect(m.status).toBe(200);
  expect(m.type).toContain('text/plain');
  expect(value(m.text, 'moviemagic_socket_ack_seconds_count{event="seat:hold",outcome="ok"}')).toBe(1);
  expect(value(m.text, 'moviemagic_socket_ack_seconds_count{event="seat:hold",outcome="SEAT_TAKEN"}')).toBe(1);
  expect(value(m.text, 'moviemagic_socket_ack_seconds_bucket{le="+Inf",event="booking:confirm",outcome="ok"}')).toBe(1);
  expect(value(m.text, 'moviemagic_seats_held_total')).toBe(2);
  expect(value(m.text, 'moviemagic_bookings_total{status="confirmed"}')).toBe(1);
  expect(value(m.text, 'moviemagic_rooms')).toBeGreaterThanOrEqual(1);
  expect(value(m.text, 'moviemagic_sockets')).toBeGreaterThanOrEqual(2);
  expect(value(m.text, 'moviemagic_queues_on')).toBe(0);
  expect(m.text).toContain('moviemagic_node_process_cpu_seconds_total');
});

it('refuses a scraper from another address without METRICS_TOKEN (403) and lets it in with it', async () => {
  const away = { 'x-forwarded-for': '203.0.113.9' };
  expect((await scrape(away)).status).toBe(403);
  expect((await scrape({ ...away, authorization: 'Bearer not-the-token-at-all-xx' })).status).toBe(403);
  const ok = await scrape({ ...away, authorization: `Bearer ${TOKEN}` });
  expect(ok.status).toBe(200);
  expect(ok.text).toContain('moviemagic_http_responses_total{status="4xx"}');
});

/** Every sample of a family (name{labels} value), for the ones whose labels the test does not fix. */
const samples = (text: string, name: string) =>
  [...text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm'))].map((m) => ({ labels: m[1] ?? '', value: Number(m[2]) }));
const sum = (text: string, name: string, labelPart = '') => samples(text, name).filter((x) => x.labels.includes(labelPart)).reduce((a, x) => a + x.value, 0);

it('reports store calls by operation, broadcast batches with their fan-out delay, the outbox and event-loop lag after a booking', async () => {
  const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 3, perRow: 6 });
  const [a, watcher] = [await h.register('m3'), await h.register('m4')];
  const [sa, sw] = [await h.connect(a.token), await h.connect(watcher.token)];
  expect((await ack<Ack>(sw, 'show:join', { showId: show.showId })).ok).toBe(true);
  const before = await scrape();
  expect((await ack<Ack>(sa, 'seat:hold', { showId: show.showId, seatIds: ['C1', 'C2', 'C3'] })).ok).toBe(true);
  expect((await ack<Ack>(sa, 'booking:confirm', { showId: show.showId, idempotencyKey: 'metrics-booking-2' })).ok).toBe(true);
  await h.app.services.notifications.drain();
  await h.app.services.notifications.dispatchOnce();
  const m = (await scrape()).text;

  // Store: the hold and the confirm are transactions; every call is timed by operation and outcome.
  expect(sum(m, 'moviemagic_store_call_seconds_count', 'operation="TransactWriteItems",outcome="ok"')).toBeGreaterThan(sum(before.text, 'moviemagic_store_call_seconds_count', 'operation="TransactWriteItems",outcome="ok"'));
  expect(sum(m, 'moviemagic_store_call_seconds_count', 'operation="Query"')).toBeGreaterThan(0);
  // Broadcast: the hold (3 seats) and the booking (3 seats) went out as two messages of 3 seats, both changes made here.
  const batches = sum(m, 'moviemagic_broadcast_batch_seats_count') - sum(before.text, 'moviemagic_broadcast_batch_seats_count');
  const seats = sum(m, 'moviemagic_broadcast_batch_seats_sum') - sum(before.text, 'moviemagic_broadcast_batch_seats_sum');
  expect(batches).toBe(2);
  expect(seats).toBe(6);
  expect(sum(m, 'moviemagic_broadcast_fanout_seconds_count') - sum(before.text, 'moviemagic_broadcast_fanout_seconds_count')).toBe(2);
  expect(sum(m, 'moviemagic_broadcast_fanout_seconds_sum')).toBeGreaterThan(0);
  // Outbox: the confirmations (and sign-up mails) were sent; nothing is due, so no lag.
  expect(value(m, 'moviemagic_outbox_deliveries_total{outcome="sent"}')).toBeGreaterThanOrEqual(2);
  expect(sum(m, 'moviemagic_outbox_delivery_seconds_count')).toBe(value(m, 'moviemagic_outbox_deliveries_total{outcome="sent"}'));
  expect(value(m, 'moviemagic_outbox_lag_seconds')).toBe(0);
  // The process: event-loop lag and heap from prom-client's default metrics.
  expect(value(m, 'moviemagic_node_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  expect(value(m, 'moviemagic_node_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
});

it('counts throttled and conflicting store attempts by operation and reason (the store retried them and the hold still went through)', async () => {
  const show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 2, perRow: 4 });
  const u = await h.register('m5');
  const s = await h.connect(u.token);
  const faults = injectFaults(h.dynamo);
  let n = 0;
  // A one-seat hold is one conditional PutItem: its first two attempts fail, the third goes through.
  faults.set({ pick: (command) => (command === 'PutItem' ? (['throttle', 'conflict'] as const)[n++] ?? null : null) });
  try {
    expect((await ack<Ack>(s, 'seat:hold', { showId: show.showId, seatIds: ['A1'] })).ok).toBe(true);
  } finally {
    faults.set(null);
  }
  const m = (await scrape()).text;
  expect(value(m, 'moviemagic_store_throttles_total{operation="PutItem",reason="ThrottlingException"}')).toBe(1);
  expect(value(m, 'moviemagic_store_throttles_total{operation="PutItem",reason="TransactionConflict"}')).toBe(1);
  expect(value(m, 'moviemagic_store_call_seconds_count{operation="PutItem",outcome="ThrottlingException"}')).toBe(1);
});

it('counts payment statuses as payments move (pending, then captured through the test gateway)', async () => {
  const p = await startHarness({ payments: { gateway: 'test', windowSeconds: 60 } });
  try {
    const show = await showDaysAhead(p);
    const b = await buyer(p);
    const booking = await holdAndConfirm(b.socket, show.showId, ['A1']);
    expect(booking.status).toBe('pending_payment');
    const ref = new URL(booking.payment!.payUrl!).pathname.split('/').pop()!;
    expect((await call(p.url, 'POST', `/api/test-gateway/payments/${ref}/succeed`, { body: {} })).status).toBe(200);
    // The capture arrives by the gateway's webhook, over HTTP: wait for it (generously, no timing asserted).
    let m = '';
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      m = await (await fetch(`${p.url}/metrics`)).text();
      if (m.includes('moviemagic_payment_updates_total{status="captured"}')) break;
    }
    expect(value(m, 'moviemagic_bookings_total{status="pending_payment"}')).toBe(1);
    expect(value(m, 'moviemagic_payment_updates_total{status="captured"}')).toBeGreaterThanOrEqual(1);
  } finally {
    await p.close();
  }
});
