/**
 * Bounded retry with jittered backoff for transient DynamoDB failures
 * (transaction conflicts, throttling, 5xx). Exhausted retries become UNAVAILABLE.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { AppError } from '../../domain/result.js';

const TRANSIENT = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'TransactionConflictException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
]);
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/** Codes of a cancelled transaction's items, in request order. */
export function cancellationCodes(err: unknown): string[] | null {
  if (!(err instanceof TransactionCanceledException)) return null;
  return (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

export function isTransient(err: unknown): boolean {
  const codes = cancellationCodes(err);
  if (codes) return codes.some((c) => TRANSIENT_REASONS.has(c)) && !codes.includes('ConditionalCheckFailed');
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (TRANSIENT.has(e?.name ?? '') || TRANSIENT.has(e?.code ?? '')) return true;
  return (e?.$metadata?.httpStatusCode ?? 0) >= 500;
}

const THROTTLES = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'TransactionConflictException']);

/**
 * Why the store turned an attempt back when it was throttling or a transaction conflict (the
 * error name, or `TransactionConflict` / `ThrottlingError` from a cancelled transaction's
 * reasons); null for anything else, a failed condition included.
 */
export function throttleReason(err: unknown): string | null {
  const codes = cancellationCodes(err);
  if (codes) return codes.find((c) => TRANSIENT_REASONS.has(c)) ?? null;
  const name = (err as { name?: string } | null)?.name ?? '';
  return THROTTLES.has(name) ? name : null;
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
}

export async function withRetry<T>(op: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 8;
  const baseMs = opts.baseMs ?? 10;
  const maxMs = opts.maxMs ?? 400;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!isTransient(err)) throw err;
      if (attempt >= attempts) throw AppError.of('UNAVAILABLE', { message: 'The seat store is busy. Please try again.' }, err);
      const cap = Math.min(maxMs, baseMs * 2 ** attempt);
      await new Promise((r) => setTimeout(r, Math.random() * cap));
    }
  }
}

/**
 * A conditional write (retried like any other): false when its condition failed, which
 * is an expected outcome (someone else got there first), not an error.
 */
export async function conditionalWrite(op: () => Promise<unknown>, opts?: RetryOptions): Promise<boolean> {
  try {
    await withRetry(op, opts);
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}
