/**
 * `reconcile` (leased: one process at a time): compares what the gateway says with the
 * bookings. A payment captured at the gateway whose booking never heard of it (a lost
 * webhook, a crash between the capture and the write, a user who never came back) →
 * `recordCapture`; a confirmed booking whose payment is not captured → flagged for admins.
 */
import { recordCapture } from './capture.js';
import { errorText, type PaymentDeps } from './deps.js';

export async function reconcile(
  deps: PaymentDeps,
  opts: { leaseMs?: number; /** Also look for confirmed bookings without a capture (a table scan: not every round). */ scan?: boolean } = {},
): Promise<{ captured: number; flagged: number } | null> {
  if (!(await deps.payments.lease('reconcile', deps.owner, deps.clock.now(), opts.leaseMs ?? 60_000))) return null;
  const ids = await deps.payments.watched(deps.clock.now(), 200);
  const captured = (await Promise.all(ids.map((id) => applyGatewayState(deps, id)))).filter(Boolean).length;
  const uncaptured = opts.scan === false ? [] : await deps.payments.confirmedUncaptured();
  for (const id of uncaptured) {
    await deps.payments.flag(id, 'confirmed without a captured payment', deps.clock.now());
    deps.logger.error({ bookingId: id }, 'reconcile: a confirmed booking has no captured payment');
  }
  return { captured, flagged: uncaptured.length };
}

async function applyGatewayState(deps: PaymentDeps, bookingId: string): Promise<boolean> {
  try {
    const booking = await deps.bookings.get(bookingId);
    const orderRef = booking?.payment?.orderRef;
    if (!orderRef || booking.payment!.status === 'captured') return false;
    const state = await deps.gateway.status(orderRef);
    if (state.state !== 'captured') return false;
    deps.logger.warn({ bookingId }, 'reconcile: captured at the gateway, applying');
    await recordCapture(deps, bookingId, state);
    return true;
  } catch (err) {
    deps.logger.warn({ err: errorText(err), bookingId }, 'reconcile: could not ask the gateway; next round');
    return false;
  }
}
