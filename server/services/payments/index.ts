/**
 * The payment steps bound to their dependencies (one module each: order, capture, expire,
 * refunds, reconcile, gateway-events), and the background rounds every process runs:
 * refunds (each leased) and reconciliation (leased as a whole).
 */
import type { BookingRecord, GatewayPaymentState } from '../../ports.js';
import { recordCapture, recordDecline } from './capture.js';
import type { PaymentDeps } from './deps.js';
import { expireOne, expireUnpaid } from './expire.js';
import { checkPayment, receiveWebhook } from './gateway-events.js';
import { openOrder } from './order.js';
import { reconcile } from './reconcile.js';
import { settleRefunds } from './refunds.js';

export type { PaymentDeps } from './deps.js';
export { refundJobFor } from './deps.js';

const SCAN_EVERY_MS = 10 * 60_000;

export function createPayments(deps: PaymentDeps) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  const every = (ms: number, name: string, fn: () => Promise<unknown>) => {
    if (ms <= 0) return;
    let busy = false;
    const t = setInterval(() => {
      if (busy) return;
      busy = true;
      const p = fn()
        .catch((err) => deps.logger.warn({ err }, `${name} round failed; will retry`))
        .finally(() => ((busy = false), running.delete(p)));
      running.add(p);
    }, ms);
    t.unref();
    timers.push(t);
  };

  return {
    gatewayName: deps.gateway.name,
    openOrder: (b: BookingRecord) => openOrder(deps, b),
    recordCapture: (bookingId: string, state: GatewayPaymentState) => recordCapture(deps, bookingId, state),
    recordDecline: (bookingId: string, error: string) => recordDecline(deps, bookingId, error),
    receiveWebhook: (raw: Buffer, headers: Record<string, string | string[] | undefined>) => receiveWebhook(deps, raw, headers),
    checkPayment: (b: BookingRecord) => checkPayment(deps, b),
    expireUnpaid: () => expireUnpaid(deps),
    /** Ends a booking still waiting for money at once (its show was cancelled). */
    endUnpaid: (bookingId: string) => expireOne(deps, bookingId, { now: true }),
    settleRefunds: () => settleRefunds(deps),
    reconcile: (opts?: { leaseMs?: number; scan?: boolean }) => reconcile(deps, opts),
    /** For admins: refunds whose last attempt failed, and bookings reconciliation flagged. */
    async problems() {
      const [failedRefunds, flagged] = await Promise.all([deps.payments.failedRefunds(), deps.payments.flagged()]);
      return { failedRefunds, flagged };
    },
    start(opts: { refundIntervalMs: number; reconcileIntervalMs: number }) {
      every(opts.refundIntervalMs, 'refunds', () => settleRefunds(deps));
      let lastScan = 0;
      every(opts.reconcileIntervalMs, 'reconcile', () => {
        // The scan for confirmed-without-capture reads the whole table: every ten minutes at most.
        const scan = deps.clock.now() - lastScan >= SCAN_EVERY_MS;
        if (scan) lastScan = deps.clock.now();
        return reconcile(deps, { leaseMs: Math.max(opts.reconcileIntervalMs * 2, 10_000), scan });
      });
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.allSettled([...running]);
    },
  };
}
export type Payments = ReturnType<typeof createPayments>;
