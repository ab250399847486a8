/**
 * ops/grafana/movie-magic.json imports cleanly (its structure) and reads only what the server
 * exports: every metric family a panel's PromQL names is registered by the metrics adapter.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../server/adapters/metrics.js';
import { dashboard, evaluate, familiesOf, PANELS } from '../../ops/panels.js';
import { quantile, parseProm } from '../../ops/prom-text.js';

const file = fileURLToPath(new URL('../../ops/grafana/movie-magic.json', import.meta.url));
const json = JSON.parse(readFileSync(file, 'utf8'));

/** Every series name the adapter's registry can show (histograms as _bucket/_sum/_count), from its own scrape. */
async function exported(): Promise<Set<string>> {
  const m = createMetrics();
  // Touch the labelled families once so each prints its series.
  m.ackTimer('seat:hold')('ok');
  m.storeCall('PutItem', 0.01, 'ok');
  m.storeThrottled('PutItem', 'ThrottlingException');
  m.broadcast(2, 0.01);
  m.outboxDelivery('sent', 0.2);
  m.outboxLag(0);
  m.paymentStatus('captured');
  m.booked('confirmed');
  m.seatsHeld(1);
  m.setSources({ rooms: () => 1, sockets: () => 1, waiting: () => 0, queuesOn: () => 0 });
  return new Set(parseProm(await m.render()).map((s) => s.name));
}

describe('the Grafana dashboard', () => {
  it('is the one ops/panels.ts generates (run npm run ops:dashboard after changing the panels)', () => {
    expect(json).toEqual(JSON.parse(JSON.stringify(dashboard())));
  });

  it('imports: schemaVersion ≥ 39, a Prometheus data source input used as ${DS_PROMETHEUS}, unique panel ids on a 24-column grid', () => {
    expect(json.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(json.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    expect(json.templating.list.find((v: { name: string }) => v.name === 'DS_PROMETHEUS')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const ids = json.panels.map((p: { id: number }) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of json.panels) {
      expect(p.type).toBe('timeseries');
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      expect(p.targets.length).toBeGreaterThan(0);
      for (const t of p.targets) expect(t.datasource.uid).toBe('${DS_PROMETHEUS}');
    }
  });

  it('has the release-day panels: hold and confirm p50/p99, conflicts, sockets and rooms, outbox, store latency and throttles, queue, event-loop lag', () => {
    const exprs = json.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((t) => t.expr)).join('\n');
    expect(exprs).toContain('histogram_quantile(0.99, sum by (le) (rate(moviemagic_socket_ack_seconds_bucket{event="seat:hold"}[$__rate_interval])))');
    expect(exprs).toContain('histogram_quantile(0.5, sum by (le) (rate(moviemagic_socket_ack_seconds_bucket{event="booking:confirm"}');
    expect(exprs).toContain('moviemagic_socket_ack_seconds_count{outcome="SEAT_TAKEN"}');
    for (const family of ['moviemagic_sockets', 'moviemagic_rooms', 'moviemagic_outbox_lag_seconds', 'moviemagic_outbox_deliveries_total', 'moviemagic_store_call_seconds_bucket', 'moviemagic_store_throttles_total', 'moviemagic_queue_waiting_sockets', 'moviemagic_node_nodejs_eventloop_lag_p99_seconds']) {
      expect(exprs).toContain(family);
    }
  });

  it('every metric a panel reads is one the server exports', async () => {
    const names = await exported();
    const read = json.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.flatMap((t) => familiesOf(t.expr)));
    expect(read.length).toBeGreaterThan(15);
    expect(read.filter((n: string) => !names.has(n))).toEqual([]);
  });
});

describe('the panels drawn without Prometheus (ops:panels)', () => {
  const scrape = (holds: [number, number][], count: number) =>
    [
      ...holds.map(([le, n]) => `moviemagic_socket_ack_seconds_bucket{le="${le}",event="seat:hold",outcome="ok"} ${n}`),
      `moviemagic_socket_ack_seconds_bucket{le="+Inf",event="seat:hold",outcome="ok"} ${count}`,
      `moviemagic_seats_held_total ${count * 2}`,
    ].join('\n');

  it('computes histogram_quantile as Prometheus does: linear inside the bucket, over the increase between scrapes', () => {
    const before = parseProm(scrape([[0.01, 0], [0.1, 0]], 0));
    const after = parseProm(scrape([[0.01, 50], [0.1, 100]], 100));
    expect(quantile(0.5, before, after, 'moviemagic_socket_ack_seconds').get('')).toBeCloseTo(0.01);
    expect(quantile(0.75, before, after, 'moviemagic_socket_ack_seconds').get('')).toBeCloseTo(0.055);
  });

  it('turns a captured series into per-second rates and quantiles for a panel', () => {
    const scrapes = [0, 1, 2].map((i) => ({ t: i * 1000, text: scrape([[0.01, i * 10], [0.1, i * 10]], i * 10) }));
    const held = evaluate(PANELS.find((p) => p.title.startsWith('Seats held'))!, scrapes).filter((p) => p.series === 'seats held/s');
    expect(held.map((p) => p.value)).toEqual([20, 20]);
  });
});

describe('the rush --metrics summary', () => {
  it('reports the server’s ack p99 per event, throttles and the outbox from two scrapes, with no links in it', async () => {
    const { describeServerFigures, serverFigures } = await import('../../scripts/rush/server-metrics.js');
    const before = 'moviemagic_socket_ack_seconds_bucket{le="0.01",event="seat:hold",outcome="ok"} 0\nmoviemagic_socket_ack_seconds_bucket{le="+Inf",event="seat:hold",outcome="ok"} 0\nmoviemagic_socket_ack_seconds_count{event="seat:hold",outcome="ok"} 0';
    const after = [
      'moviemagic_socket_ack_seconds_bucket{le="0.01",event="seat:hold",outcome="ok"} 100',
      'moviemagic_socket_ack_seconds_bucket{le="+Inf",event="seat:hold",outcome="ok"} 100',
      'moviemagic_socket_ack_seconds_count{event="seat:hold",outcome="ok"} 100',
      'moviemagic_store_throttles_total{operation="PutItem",reason="ThrottlingException"} 3',
      'moviemagic_outbox_deliveries_total{outcome="sent"} 7',
      'moviemagic_outbox_lag_seconds 1.5',
    ].join('\n');
    const f = serverFigures(before, after);
    expect(f.acks).toEqual({ 'seat:hold': 100 });
    expect(f.ackP99Ms['seat:hold']).toBeCloseTo(9.9);
    expect(f.storeThrottles).toEqual({ ThrottlingException: 3 });
    expect(f.outboxDeliveries).toEqual({ sent: 7 });
    expect(f.outboxLagSeconds).toBe(1.5);
    const lines = describeServerFigures(f, { holdP99Ms: 12 }).join('\n');
    expect(lines).toContain('seat:hold 9.9 ms');
    expect(lines).not.toMatch(/https?:\/\//);
  });
});
