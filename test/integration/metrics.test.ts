/**
 * Issue 18: /metrics in Prometheus format (prom-client): socket ack latency by event and
 * outcome, seats held, bookings, rooms, sockets and the waiting rooms; open to this host,
 * and to others only with METRICS_TOKEN.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ack } from '../../protocol/index.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

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
