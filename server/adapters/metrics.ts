/**
 * Prometheus metrics (prom-client), one registry per app: socket ack latency by event and
 * outcome, seats held and booked, HTTP responses, store calls and throttles by operation,
 * broadcast batches and fan-out delay, the outbox (deliveries, lag, parked), payment
 * statuses, default process metrics (event-loop lag, heap, GC, CPU) and gauges read at
 * scrape time (rooms, sockets, the waiting rooms). `/metrics` serves them (see
 * transport/http.ts); docs/operations.md lists every name.
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
  const store = new Histogram({
    name: 'moviemagic_store_call_seconds',
    help: 'DynamoDB command latency by operation and outcome (ok or the error name); our own retries are separate calls',
    labelNames: ['operation', 'outcome'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const throttles = new Counter({
    name: 'moviemagic_store_throttles_total',
    help: 'DynamoDB attempts turned back by throttling or a transaction conflict, by operation and reason',
    labelNames: ['operation', 'reason'],
    registers: [registry],
  });
  const batch = new Histogram({
    name: 'moviemagic_broadcast_batch_seats',
    help: 'Seats per seats:changed message sent to this process’s watchers',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [registry],
  });
  const fanOut = new Histogram({
    name: 'moviemagic_broadcast_fanout_seconds',
    help: 'Time from a seat change made in this process (its commit to the room) to the seats:changed emit',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const outbox = new Counter({
    name: 'moviemagic_outbox_deliveries_total',
    help: 'Outbox delivery attempts by outcome: sent, retry (failed, tried again later), failed (parked after the last attempt)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const outboxAge = new Histogram({
    name: 'moviemagic_outbox_delivery_seconds',
    help: 'Time from a notice being queued (with its booking) to its send',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const outboxLag = new Gauge({ name: 'moviemagic_outbox_lag_seconds', help: 'Age of the oldest notice due and unsent at the dispatcher’s last round (0: none)', registers: [registry] });
  const payments = new Counter({ name: 'moviemagic_payment_updates_total', help: 'Payment status changes announced to the booking’s owner, by the new status', labelNames: ['status'], registers: [registry] });
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
    storeCall: (operation, seconds, outcome) => store.observe({ operation, outcome }, seconds),
    storeThrottled: (operation, reason) => throttles.inc({ operation, reason }),
    broadcast(seats, sinceChangeSeconds) {
      batch.observe(seats);
      if (sinceChangeSeconds !== null) fanOut.observe(sinceChangeSeconds);
    },
    outboxDelivery(outcome, ageSeconds) {
      outbox.inc({ outcome });
      if (ageSeconds !== null) outboxAge.observe(ageSeconds);
    },
    outboxLag: (seconds) => outboxLag.set(seconds),
    paymentStatus: (status) => payments.inc({ status }),
    setSources(s: MetricsSources) {
      sources = s;
    },
  };
}
