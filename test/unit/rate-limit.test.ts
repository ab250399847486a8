import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../server/app.js';
import { fixedWindowOf } from '../../server/domain/rate-limit.js';

describe('fixedWindowOf (token bucket policy → rate-limiter-flexible points per duration)', () => {
  it('keeps the burst as points and takes the time an empty bucket needs to fill as the window', () => {
    expect(fixedWindowOf(DEFAULT_LIMITS.loginPerAccount)).toEqual({ points: 5, durationSeconds: 300 });
    expect(fixedWindowOf(DEFAULT_LIMITS.authPerIp)).toEqual({ points: 10, durationSeconds: 60 });
    expect(fixedWindowOf(DEFAULT_LIMITS.mailPerAccount)).toEqual({ points: 3, durationSeconds: 1800 });
    expect(fixedWindowOf(DEFAULT_LIMITS.seatEventsPerSocket)).toEqual({ points: 20, durationSeconds: 4 });
  });

  it('rounds the window up to whole seconds (Redis counts in seconds): never looser than the bucket', () => {
    expect(fixedWindowOf({ burst: 3, perSecond: 2 })).toEqual({ points: 3, durationSeconds: 2 });
    expect(fixedWindowOf({ burst: 1, perSecond: 100 })).toEqual({ points: 1, durationSeconds: 1 });
    for (const policy of [{ burst: 7, perSecond: 0.3 }, { burst: 2.5, perSecond: 3 }, { burst: 50, perSecond: 7 }]) {
      const { points, durationSeconds } = fixedWindowOf(policy);
      expect(points / durationSeconds, JSON.stringify(policy)).toBeLessThanOrEqual(policy.perSecond);
      expect(points).toBeLessThanOrEqual(policy.burst);
    }
  });

  it('refuses a policy that allows nothing', () => {
    expect(() => fixedWindowOf({ burst: 0, perSecond: 1 })).toThrow(/burst >= 1/);
    expect(() => fixedWindowOf({ burst: 5, perSecond: 0 })).toThrow(/perSecond > 0/);
  });
});
