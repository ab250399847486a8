/**
 * Reads a Prometheus text scrape (what /metrics serves) into samples, and computes from two
 * scrapes what PromQL would: counter increases, rates, histogram quantiles (the same linear
 * interpolation inside a bucket as histogram_quantile). Used by the rush's --metrics summary
 * and by ops:panels, which draw the dashboard's panels without a Prometheus.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseProm(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, '$1');
    out.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return out;
}

export type Match = Record<string, string>;
const matches = (s: Sample, name: string, match: Match) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v);
const keyOf = (labels: Record<string, string>, by: string[]) => by.map((b) => labels[b] ?? '').join(',');

/** sum by (`by`) of a family's value in one scrape. */
export function sumBy(samples: Sample[], name: string, match: Match = {}, by: string[] = []): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) if (matches(s, name, match)) out.set(keyOf(s.labels, by), (out.get(keyOf(s.labels, by)) ?? 0) + s.value);
  return out;
}

/** How much a counter grew between two scrapes (a restart in between counts from zero). */
export function increase(before: Sample[], after: Sample[], name: string, match: Match = {}, by: string[] = []): Map<string, number> {
  const a = sumBy(before, name, match, by);
  const out = new Map<string, number>();
  for (const [k, v] of sumBy(after, name, match, by)) out.set(k, v >= (a.get(k) ?? 0) ? v - (a.get(k) ?? 0) : v);
  return out;
}

/** histogram_quantile(q, increase of `name`_bucket between the scrapes), by `by`; NaN where nothing was observed. */
export function quantile(q: number, before: Sample[], after: Sample[], name: string, match: Match = {}, by: string[] = []): Map<string, number> {
  const inc = increase(before, after, `${name}_bucket`, match, [...by, 'le']);
  const groups = new Map<string, { le: number; n: number }[]>();
  for (const [k, n] of inc) {
    const parts = k.split(',');
    const le = parts.pop()!;
    const g = parts.join(',');
    groups.set(g, [...(groups.get(g) ?? []), { le: le === '+Inf' ? Infinity : Number(le), n }]);
  }
  const out = new Map<string, number>();
  for (const [g, buckets] of groups) {
    buckets.sort((x, y) => x.le - y.le);
    const total = buckets.at(-1)?.n ?? 0;
    if (!total) {
      out.set(g, NaN);
      continue;
    }
    const rank = q * total;
    let prevLe = 0;
    let prevN = 0;
    let v = NaN;
    for (const b of buckets) {
      if (b.n >= rank) {
        // Above the last finite bound, histogram_quantile answers that bound.
        v = b.le === Infinity ? prevLe : prevLe + ((b.le - prevLe) * (rank - prevN)) / Math.max(1e-12, b.n - prevN);
        break;
      }
      prevLe = b.le;
      prevN = b.n;
    }
    out.set(g, v);
  }
  return out;
}

/** The one value of a map with no `by` labels (or NaN). */
export const only = (m: Map<string, number>): number => m.get('') ?? NaN;
