/**
 * Runs on each app host (a systemd unit from the launch template): once a minute it reads the
 * server's Prometheus `/metrics` over loopback (no token needed there) and publishes the few
 * figures the alarms watch to CloudWatch (namespace MovieMagic) with `aws cloudwatch
 * put-metric-data`. Why not the CloudWatch agent's Prometheus scraping: it drops histograms,
 * and the hold latency is one (moviemagic_socket_ack_seconds). Plain Node, no packages.
 *
 *   HoldAckP99       p99 of seat:hold and seat:hold-best acks over the last minute, seconds
 *                    (upper bound of the bucket it falls in)
 *   Http5xx          HTTP 5xx responses in the last minute
 *   Sockets, Rooms   gauges, this process group's sockets and open show rooms
 */
import { execFile } from 'node:child_process';

export const HOLD_EVENTS = ['seat:hold', 'seat:hold-best'];

/** Prometheus text → [{name, labels, value}] (comments and blank lines skipped). */
export function parse(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

const sum = (samples, name, keep = () => true) =>
  samples.filter((s) => s.name === name && keep(s.labels)).reduce((a, s) => a + s.value, 0);

/** Cumulative hold-ack bucket counts by upper bound (summed over outcomes; with WEB_CONCURRENCY > 1 a scrape reaches one pm2 worker). */
function holdBuckets(samples) {
  const byLe = new Map();
  for (const s of samples) {
    if (s.name !== 'moviemagic_socket_ack_seconds_bucket' || !HOLD_EVENTS.includes(s.labels.event)) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  return [...byLe.entries()].sort((a, b) => a[0] - b[0]);
}

/** The upper bound of the bucket holding the q-quantile of what happened between two scrapes; null when nothing did. */
export function quantileBetween(prev, cur, q) {
  const before = new Map(holdBuckets(prev));
  const deltas = holdBuckets(cur).map(([le, n]) => [le, Math.max(0, n - (before.get(le) ?? 0))]);
  const total = deltas.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const finite = deltas.filter(([le]) => le !== Infinity);
  for (const [le, n] of finite) if (n >= q * total) return le;
  // Beyond the largest bucket: report twice its bound, so the alarm fires.
  return (finite.at(-1)?.[0] ?? 1) * 2;
}

/** The metric data to publish for one minute, from the previous and the current scrape. */
export function summarise(prevText, curText) {
  const prev = parse(prevText);
  const cur = parse(curText);
  const is5xx = (l) => l.status === '5xx';
  const data = [
    { MetricName: 'Http5xx', Value: Math.max(0, sum(cur, 'moviemagic_http_responses_total', is5xx) - sum(prev, 'moviemagic_http_responses_total', is5xx)), Unit: 'Count' },
    { MetricName: 'Sockets', Value: sum(cur, 'moviemagic_sockets'), Unit: 'Count' },
    { MetricName: 'Rooms', Value: sum(cur, 'moviemagic_rooms'), Unit: 'Count' },
  ];
  const p99 = quantileBetween(prev, cur, 0.99);
  if (p99 !== null) data.push({ MetricName: 'HoldAckP99', Value: p99, Unit: 'Seconds' });
  return data;
}

async function main() {
  const url = process.env.METRICS_URL ?? 'http://127.0.0.1:3000/metrics';
  const namespace = process.env.METRICS_NAMESPACE ?? 'MovieMagic';
  let prev = '';
  for (;;) {
    try {
      const res = await fetch(url);
      const text = await res.text();
      if (res.ok && prev) {
        const data = JSON.stringify(summarise(prev, text));
        await new Promise((resolve) =>
          execFile('aws', ['cloudwatch', 'put-metric-data', '--namespace', namespace, '--metric-data', data], (err) => {
            if (err) console.error('put-metric-data failed', err.message);
            resolve();
          }),
        );
      }
      if (res.ok) prev = text;
    } catch (err) {
      console.error('scrape failed', err.message);
    }
    await new Promise((r) => setTimeout(r, 60_000));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
