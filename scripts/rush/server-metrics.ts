/**
 * The rush's --metrics: /metrics of every server scraped before and after the measured phase,
 * and the server's own figures over that span (ack p99 per event, store throttles, outbox lag
 * and deliveries, broadcast fan-out) to print next to what the virtual users measured.
 */
import { increase, only, parseProm, quantile, type Sample } from '../../ops/prom-text.js';

/** Every server's scrape, concatenated (sums then run over all processes). */
export async function scrapeServers(urls: string[], token?: string): Promise<string> {
  const texts = await Promise.all(
    urls.map(async (u) => {
      const res = await fetch(`${u}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!res.ok) throw new Error(`/metrics answered ${res.status} (from another host it needs --metrics-token or METRICS_TOKEN)`);
      return res.text();
    }),
  );
  return texts.join('\n');
}

export interface ServerFigures {
  ackP99Ms: Record<string, number>;
  acks: Record<string, number>;
  storeThrottles: Record<string, number>;
  storeCallP99Ms: Record<string, number>;
  outboxLagSeconds: number;
  outboxDeliveries: Record<string, number>;
  fanOutP99Ms: number;
  eventLoopLagP99Ms: number;
}

const ms = (s: number) => (Number.isFinite(s) ? Math.round(s * 10_000) / 10 : NaN);
const record = (m: Map<string, number>, f: (v: number) => number) => Object.fromEntries([...m].filter(([, v]) => Number.isFinite(v)).map(([k, v]) => [k, f(v)]));
const maxOf = (samples: Sample[], name: string) => {
  const values = samples.filter((s) => s.name === name).map((s) => s.value);
  return values.length ? Math.max(...values) : NaN;
};

export function serverFigures(beforeText: string, afterText: string): ServerFigures {
  const before: Sample[] = parseProm(beforeText);
  const after: Sample[] = parseProm(afterText);
  const acks = increase(before, after, 'moviemagic_socket_ack_seconds_count', {}, ['event']);
  return {
    ackP99Ms: record(quantile(0.99, before, after, 'moviemagic_socket_ack_seconds', {}, ['event']), ms),
    acks: Object.fromEntries([...acks].filter(([, v]) => v > 0)),
    storeThrottles: Object.fromEntries([...increase(before, after, 'moviemagic_store_throttles_total', {}, ['reason'])].filter(([, v]) => v > 0)),
    storeCallP99Ms: record(quantile(0.99, before, after, 'moviemagic_store_call_seconds', { outcome: 'ok' }, ['operation']), ms),
    outboxLagSeconds: Math.max(0, maxOf(after, 'moviemagic_outbox_lag_seconds') || 0),
    outboxDeliveries: Object.fromEntries([...increase(before, after, 'moviemagic_outbox_deliveries_total', {}, ['outcome'])].filter(([, v]) => v > 0)),
    fanOutP99Ms: ms(only(quantile(0.99, before, after, 'moviemagic_broadcast_fanout_seconds'))),
    eventLoopLagP99Ms: ms(maxOf(after, 'moviemagic_node_nodejs_eventloop_lag_p99_seconds')),
  };
}

const list = (r: Record<string, number>, unit = '') => Object.entries(r).map(([k, v]) => `${k} ${v}${unit}`).join(', ') || 'none';

/** The summary lines: server-side figures beside the client-side ones (no links). */
export function describeServerFigures(f: ServerFigures, client: { holdP99Ms: number; confirmP99Ms?: number }): string[] {
  return [
    `server /metrics over the rush: ack p99 by event: ${list(f.ackP99Ms, ' ms')} (client-side hold ack p99 ${client.holdP99Ms} ms${client.confirmP99Ms !== undefined ? `, confirm ${client.confirmP99Ms} ms` : ''})`,
    `  acks answered: ${list(f.acks)}; store throttles and conflicts: ${list(f.storeThrottles)}; store call p99: ${list(f.storeCallP99Ms, ' ms')}`,
    `  outbox: ${list(f.outboxDeliveries)}; lag at the end ${f.outboxLagSeconds} s; broadcast fan-out (commit to emit) p99 ${f.fanOutP99Ms} ms; event-loop lag p99 ${f.eventLoopLagP99Ms} ms`,
  ];
}
