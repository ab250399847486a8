/**
 * The release-day dashboard, written once: each panel's queries as data, from which come both
 * the Grafana dashboard (ops/grafana/movie-magic.json, PromQL) and the PNG that ops:panels
 * draws from a captured /metrics series (the same sums, rates and quantiles, computed here).
 */
import { increase, parseProm, quantile, sumBy, type Match, type Sample } from './prom-text.js';

export type Query =
  | { kind: 'quantile'; q: number; metric: string; match?: Match; by?: string[]; legend: string }
  | { kind: 'rate'; metric: string; match?: Match; by?: string[]; legend: string }
  | { kind: 'gauge'; metric: string; match?: Match; by?: string[]; legend: string };

export interface Panel {
  title: string;
  /** Grafana unit; seconds are drawn as milliseconds in the PNG. */
  unit: 's' | 'ops' | 'short';
  queries: Query[];
}

const ACK = 'moviemagic_socket_ack_seconds';
const q = (quant: number, metric: string, match: Match, legend: string, by?: string[]): Query => ({ kind: 'quantile', q: quant, metric, match, legend, by });

export const PANELS: Panel[] = [
  {
    title: 'Hold ack latency (p50 / p99)',
    unit: 's',
    queries: [q(0.5, ACK, { event: 'seat:hold' }, 'seat:hold p50'), q(0.99, ACK, { event: 'seat:hold' }, 'seat:hold p99'), q(0.99, ACK, { event: 'seat:hold-best' }, 'seat:hold-best p99')],
  },
  {
    title: 'Confirm ack latency (p50 / p99)',
    unit: 's',
    queries: [q(0.5, ACK, { event: 'booking:confirm' }, 'booking:confirm p50'), q(0.99, ACK, { event: 'booking:confirm' }, 'booking:confirm p99')],
  },
  {
    title: 'Seats held, booked and lost to a conflict (per second)',
    unit: 'ops',
    queries: [
      { kind: 'rate', metric: 'moviemagic_seats_held_total', legend: 'seats held/s' },
      { kind: 'rate', metric: 'moviemagic_bookings_total', legend: 'bookings/s' },
      { kind: 'rate', metric: `${ACK}_count`, match: { outcome: 'SEAT_TAKEN' }, legend: 'SEAT_TAKEN/s' },
    ],
  },
  {
    title: 'Sockets and rooms',
    unit: 'short',
    queries: [
      { kind: 'gauge', metric: 'moviemagic_sockets', legend: 'sockets' },
      { kind: 'gauge', metric: 'moviemagic_rooms', legend: 'rooms' },
    ],
  },
  {
    title: 'Broadcast fan-out (commit to emit) and batch size',
    unit: 's',
    queries: [q(0.5, 'moviemagic_broadcast_fanout_seconds', {}, 'fan-out p50'), q(0.99, 'moviemagic_broadcast_fanout_seconds', {}, 'fan-out p99')],
  },
  {
    title: 'Seats per broadcast (p50 / p99)',
    unit: 'short',
    queries: [q(0.5, 'moviemagic_broadcast_batch_seats', {}, 'seats p50'), q(0.99, 'moviemagic_broadcast_batch_seats', {}, 'seats p99')],
  },
  {
    title: 'Outbox lag (oldest due, unsent)',
    unit: 's',
    queries: [
      { kind: 'gauge', metric: 'moviemagic_outbox_lag_seconds', legend: 'lag' },
      q(0.99, 'moviemagic_outbox_delivery_seconds', {}, 'queued→sent p99'),
    ],
  },
  {
    title: 'Outbox deliveries, failures, parked (per second)',
    unit: 'ops',
    queries: [{ kind: 'rate', metric: 'moviemagic_outbox_deliveries_total', by: ['outcome'], legend: '{{outcome}}' }],
  },
  {
    title: 'Store call latency p99 by operation',
    unit: 's',
    queries: [q(0.99, 'moviemagic_store_call_seconds', {}, '{{operation}}', ['operation'])],
  },
  {
    title: 'Store throttles and conflicts (per second)',
    unit: 'ops',
    queries: [
      { kind: 'rate', metric: 'moviemagic_store_throttles_total', by: ['reason'], legend: '{{reason}}' },
      { kind: 'rate', metric: 'moviemagic_store_call_seconds_count', legend: 'store calls/s (all)' },
    ],
  },
  {
    title: 'Waiting room',
    unit: 'short',
    queries: [
      { kind: 'gauge', metric: 'moviemagic_queue_waiting_sockets', legend: 'waiting sockets' },
      { kind: 'gauge', metric: 'moviemagic_queues_on', legend: 'queues on' },
    ],
  },
  {
    title: 'Event-loop lag (p99, mean)',
    unit: 's',
    queries: [
      { kind: 'gauge', metric: 'moviemagic_node_nodejs_eventloop_lag_p99_seconds', legend: 'event-loop lag p99' },
      { kind: 'gauge', metric: 'moviemagic_node_nodejs_eventloop_lag_mean_seconds', legend: 'event-loop lag mean' },
    ],
  },
  {
    title: 'Payment status changes (per second)',
    unit: 'ops',
    queries: [{ kind: 'rate', metric: 'moviemagic_payment_updates_total', by: ['status'], legend: '{{status}}' }],
  },
];

const selector = (match: Match = {}) => {
  const parts = Object.entries(match).map(([k, v]) => `${k}="${v}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};
const byClause = (by: string[] = []) => (by.length ? ` by (${by.join(', ')})` : '');

/** The PromQL of a query, as the Grafana panel runs it. */
export function promql(query: Query): string {
  const sel = selector(query.match);
  if (query.kind === 'quantile') return `histogram_quantile(${query.q}, sum by (${['le', ...(query.by ?? [])].join(', ')}) (rate(${query.metric}_bucket${sel}[$__rate_interval])))`;
  if (query.kind === 'rate') return `sum${byClause(query.by)} (rate(${query.metric}${sel}[$__rate_interval]))`;
  return `sum${byClause(query.by)} (${query.metric}${sel})`;
}

/** The metric families a query reads (for the check that the server exports them). */
export function familiesOf(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\b(moviemagic_[a-zA-Z0-9_]+)/g)].map((m) => m[1]!))];
}

/** The Grafana dashboard (import it: Dashboards → New → Import; pick the Prometheus data source). */
export function dashboard() {
  const ds = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };
  return {
    __inputs: [{ name: 'DS_PROMETHEUS', label: 'Prometheus', description: 'The Prometheus that scrapes /metrics', type: 'datasource', pluginId: 'prometheus', pluginName: 'Prometheus' }],
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '11.0.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      { type: 'panel', id: 'timeseries', name: 'Time series', version: '' },
    ],
    title: 'Movie Magic: release-day sale',
    uid: 'movie-magic-rush',
    description: 'Hold and confirm latency, conflicts, sockets, broadcasts, outbox, store and event loop during a sale (generated from ops/panels.ts)',
    tags: ['movie-magic'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-30m', to: 'now' },
    refresh: '10s',
    timezone: 'browser',
    templating: {
      list: [{ name: 'DS_PROMETHEUS', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1, options: [] }],
    },
    annotations: { list: [] },
    panels: PANELS.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource: ds,
      gridPos: { h: 8, w: 8, x: (i % 3) * 8, y: Math.floor(i / 3) * 8 },
      fieldConfig: { defaults: { unit: p.unit, custom: { lineWidth: 1, fillOpacity: 10 } }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
      targets: p.queries.map((query, j) => ({ refId: String.fromCharCode(65 + j), datasource: ds, expr: promql(query), legendFormat: query.legend, range: true })),
    })),
  };
}

export interface Scrape {
  /** Milliseconds since the capture began. */
  t: number;
  text: string;
}
export interface Point {
  t: number;
  series: string;
  value: number;
}

const legendOf = (legend: string, key: string, by: string[] = []) => {
  const parts = key.split(',');
  return by.reduce((l, b, i) => l.replaceAll(`{{${b}}}`, parts[i] ?? ''), legend);
};

/** The points a panel shows over a captured series: rates and quantiles over `windowMs`, like $__rate_interval. */
export function evaluate(panel: Panel, scrapes: Scrape[], windowMs = 5000): Point[] {
  const parsed: { t: number; samples: Sample[] }[] = scrapes.map((s) => ({ t: s.t, samples: parseProm(s.text) }));
  const points: Point[] = [];
  for (let i = 0; i < parsed.length; i++) {
    const now = parsed[i]!;
    let j = i;
    while (j > 0 && now.t - parsed[j - 1]!.t <= windowMs) j--;
    const then = parsed[j]!;
    const seconds = (now.t - then.t) / 1000;
    for (const query of panel.queries) {
      let values: Map<string, number>;
      if (query.kind === 'gauge') values = sumBy(now.samples, query.metric, query.match, query.by);
      else if (!seconds) continue;
      else if (query.kind === 'rate') values = new Map([...increase(then.samples, now.samples, query.metric, query.match, query.by)].map(([k, v]) => [k, v / seconds]));
      else values = quantile(query.q, then.samples, now.samples, query.metric, query.match, query.by);
      for (const [k, v] of values) if (Number.isFinite(v)) points.push({ t: now.t, series: legendOf(query.legend, k, query.by), value: v });
    }
  }
  return points;
}
