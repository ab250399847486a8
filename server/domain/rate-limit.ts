/**
 * Rate limits are configured as token buckets and enforced as fixed windows (what
 * rate-limiter-flexible counts atomically in Redis). Pure: the mapping between the two.
 */

export interface BucketPolicy {
  /** Requests allowed in a burst. */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

/** rate-limiter-flexible's terms: at most `points` requests per window of `durationSeconds`, counted from a key's first request. */
export interface FixedWindow {
  points: number;
  durationSeconds: number;
}

/**
 * The window that keeps both numbers of the bucket: a fresh key gets `burst` at once, and
 * over time no more than `perSecond` on average (the window is the time an empty bucket
 * takes to fill). Redis counts windows in whole seconds, so the window is rounded up:
 * never looser than the bucket's rate. Where they differ (see docs/security.md): a
 * limited key waits for the window's end and then gets the whole burst back, instead of one
 * token every 1/perSecond; and around a window's end a key can make up to 2 × burst
 * requests in quick succession.
 */
export function fixedWindowOf(policy: BucketPolicy): FixedWindow {
  if (!(policy.burst >= 1) || !(policy.perSecond > 0)) throw new Error(`a rate limit needs burst >= 1 and perSecond > 0 (got ${JSON.stringify(policy)})`);
  const points = Math.floor(policy.burst);
  // The tolerance absorbs float noise such as 3 / (1 / 600) = 1799.9999999999998.
  const durationSeconds = Math.max(1, Math.ceil(points / policy.perSecond - 1e-6));
  return { points, durationSeconds };
}
