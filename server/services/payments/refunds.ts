/**
 * `settleRefunds` (every process, each refund leased like an outbox notice): asks the gateway
 * to refund (idempotent by the refund's id, so a retry after a crash never refunds twice),
 * follows a pending refund until the gateway settles it, and retries a failed one with a
 * bounded backoff for ever; failed ones are listed for admins meanwhile.
 */
import { refundRetryAt } from '../../domain/payments.js';
import type { RefundJob } from '../../ports.js';
import { announce, errorText, type PaymentDeps } from './deps.js';

/** How soon a refund the gateway accepted but has not settled is asked about again. */
const PENDING_POLL_MS = 5_000;

export async function settleRefunds(deps: PaymentDeps, limit = 25): Promise<number> {
  const due = await deps.payments.dueRefunds(deps.clock.now(), limit);
  const settled = await Promise.all(due.map((job) => settleOne(deps, job.refundId).catch((err) => (deps.logger.warn({ err: errorText(err), refund: job.refundId }, 'refund round failed'), false))));
  return settled.filter(Boolean).length;
}

async function settleOne(deps: PaymentDeps, refundId: string): Promise<boolean> {
  const job = await deps.payments.claimRefund(refundId, deps.clock.now(), deps.refundLeaseMs);
  if (!job) return false;
  const outcome = await askGateway(deps, job);
  const now = deps.clock.now();
  const next = outcome.state === 'failed' ? refundRetryAt(job.attempts, now) : now + PENDING_POLL_MS;
  await deps.payments.settleRefund(job, outcome, now, next);
  if (outcome.state === 'failed') deps.logger.warn({ refund: refundId, attempts: job.attempts, err: outcome.error }, 'refund failed; will retry');
  else deps.logger.info({ refund: refundId, state: outcome.state }, 'refund');
  await announce(deps, job.bookingId);
  return outcome.state === 'succeeded';
}

async function askGateway(deps: PaymentDeps, job: RefundJob): Promise<{ state: 'succeeded' | 'pending' | 'failed'; refundRef?: string; error?: string }> {
  try {
    if (job.refundRef) {
      const state = await deps.gateway.refundStatus({ refundRef: job.refundRef, refundId: job.refundId });
      return state === 'failed' ? { state, error: 'the gateway reports the refund failed' } : { state };
    }
    const r = await deps.gateway.refund({ orderRef: job.orderRef, captureRef: job.captureRef, amount: job.amount, currency: job.currency, refundId: job.refundId });
    return r.state === 'failed' ? { state: 'failed', error: 'the gateway declined the refund' } : { state: r.state, refundRef: r.refundRef };
  } catch (err) {
    return { state: 'failed', error: errorText(err) };
  }
}
