/** infra/host/cloudwatch-metrics.mjs: what one minute of /metrics becomes in CloudWatch. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript, no types
import { quantileBetween, parse, summarise } from '../host/cloudwatch-metrics.mjs';

const LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.15', '0.25', '0.5', '1', '2.5', '+Inf'];
/** A /metrics text with cumulative seat:hold ack buckets `counts` (one per LE), 5xx responses and sockets. */
function scrape(counts: number[], fiveXx: number, sockets = 3, event = 'seat:hold') {
  return [
    '# HELP moviemagic_socket_ack_seconds Time from a socket event arriving to its ack',
    '# TYPE moviemagic_socket_ack_seconds histogram',
    ...LE.map((le, i) => `moviemagic_socket_ack_seconds_bucket{le="${le}",event="${event}",outcome="ok"} ${counts[i]}`),
    ...LE.map((le) => `moviemagic_socket_ack_seconds_bucket{le="${le}",event="show:join",outcome="ok"} 1000`),
    `moviemagic_http_responses_total{status="2xx"} 500`,
    `moviemagic_http_responses_total{status="5xx"} ${fiveXx}`,
    `moviemagic_sockets ${sockets}`,
    'moviemagic_rooms 2',
  ].join('\n');
}

describe('host metrics publisher', () => {
  it('parses labels and values of Prometheus text', () => {
    expect(parse('a_total{x="1",y="b c"} 4\n# c\n\nb 2.5')).toEqual([
      { name: 'a_total', labels: { x: '1', y: 'b c' }, value: 4 },
      { name: 'b', labels: {}, value: 2.5 },
    ]);
  });

  it("reports the bound of the bucket holding the minute's p99 of seat holds, ignoring other events and earlier minutes", () => {
    const before = scrape([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0);
    // 100 holds this minute: 98 under 50 ms, 1 under 250 ms, 1 under 1 s → p99 is in the 0.25 bucket.
    const after = scrape([0, 50, 90, 98, 98, 98, 99, 99, 100, 100, 100], 0);
    expect(quantileBetween(parse(before), parse(after), 0.99)).toBe(0.25);
    // The next minute only fast holds: earlier slow ones no longer count.
    const later = scrape([100, 150, 190, 198, 198, 198, 199, 199, 200, 200, 200], 0);
    expect(quantileBetween(parse(after), parse(later), 0.99)).toBe(0.005);
  });

  it('publishes 5xx of the minute, sockets and rooms, and no p99 in a minute without holds', () => {
    const a = scrape([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 7, 3);
    const b = scrape([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 10, 5);
    expect(summarise(a, b)).toEqual([
      { MetricName: 'Http5xx', Value: 3, Unit: 'Count' },
      { MetricName: 'Sockets', Value: 5, Unit: 'Count' },
      { MetricName: 'Rooms', Value: 2, Unit: 'Count' },
    ]);
  });

  it('counts seat:hold-best as a hold and reports holds slower than every bucket above the top bound', () => {
    const a = scrape([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, 1, 'seat:hold-best');
    const b = scrape([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4], 0, 1, 'seat:hold-best');
    expect(summarise(a, b).find((d: { MetricName: string }) => d.MetricName === 'HoldAckP99')).toEqual({ MetricName: 'HoldAckP99', Value: 5, Unit: 'Seconds' });
  });
});
