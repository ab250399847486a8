/**
 * Prometheus metrics (prom-client), one registry per app: socket ack latency by event and
 * outcome, seats held and booked, HTTP responses, and gauges read at scrape time (rooms,
 * sockets, the waiting rooms). `/metrics` serves them (see transport/http.ts).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../ports.js';

export interface MetricsSources {
  rooms(): number;
  sockets(): number;
  waiting(): number;
  queuesOn(): number;
}

export function createMetrics(): Metrics & { setSources(s: MetricsSources): void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'moviemagic_node_' });
  const ack = new Histogram({
    name: 'moviemagic_socket_ack_seconds',
    help: 'Time from a socket event arriving to its ack, by event and outcome (ok or the error code)',
    labelNames: ['event', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const seatsHeld = new Counter({ name: 'moviemagic_seats_held_total', help: 'Seats held (by seat:hold and seat:hold-best)', registers: [registry] });
  const bookings = new Counter({ name: 'moviemagic_bookings_total', help: 'Bookings made by booking:confirm (confirmed or awaiting payment)', labelNames: ['status'], registers: [registry] });
  const http = new Counter({ name: 'moviemagic_http_responses_total', help: 'HTTP responses by status class', labelNames: ['status'], registers: [registry] });
  let sources: MetricsSources | null = null;
  const gauge = (name: string, help: string, read: (s: MetricsSources) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        if (sources) this.set(read(sources));
      },
    });
  gauge('moviemagic_rooms', 'Show rooms open in this process', (s) => s.rooms());
  gauge('moviemagic_sockets', 'Sockets connected to this process', (s) => s.sockets());
  gauge('moviemagic_queue_waiting_sockets', 'Waiting-room sockets connected to this process', (s) => s.waiting());
  gauge('moviemagic_queues_on', 'Shows whose waiting room is on', (s) => s.queuesOn());

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    ackTimer(event: string) {
      const end = ack.startTimer({ event });
      return (outcome: string) => end({ outcome });
    },
    seatsHeld: (n: number) => seatsHeld.inc(n),
    booked: (status: string) => bookings.inc({ status }),
    httpResponse: (status: number) => http.inc({ status: `${Math.floor(status / 100)}xx` }),
    setSources(s: MetricsSources) {
      sources = s;
    },
  };
}
