import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admissionWindow, admissionsDue, checkPass, estimatedWaitSeconds, medianWait, safetyNetWanted, shuffle, signPass } from '../../server/domain/queue.js';

describe('the pre-queue shuffle', () => {
  it('puts every one of 4 users in every place equally often over 24,000 secure shuffles (chi-square, p > 0.001)', () => {
    const n = 4;
    const runs = 24_000;
    const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let r = 0; r < runs; r++) shuffle([0, 1, 2, 3], randomInt).forEach((who, place) => counts[who]![place]!++);
    const expected = runs / n;
    const chi = counts.flat().reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // (n-1)^2 = 9 degrees of freedom: the 0.999 quantile is 27.88.
    expect(chi).toBeLessThan(27.88);
  });

  it('makes each of the 24 orders of 4 users about equally likely (chi-square over whole orders, 23 degrees of freedom)', () => {
    const runs = 48_000;
    const seen = new Map<string, number>();
    for (let r = 0; r < runs; r++) {
      const key = shuffle(['a', 'b', 'c', 'd'], randomInt).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(24);
    const expected = runs / 24;
    const chi = [...seen.values()].reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(49.73); // 0.999 quantile of chi-square(23)
  });

  it('returns a permutation of its input and leaves the input untouched', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1 }), (items, seed) => {
        let s = seed;
        const rnd = (max: number) => ((s = (s * 1103515245 + 12345) % 2 ** 31) % max + max) % max;
        const copy = items.slice();
        const out = shuffle(items, rnd);
        expect(items).toEqual(copy);
        expect(out.slice().sort()).toEqual(copy.slice().sort());
      }),
    );
  });
});

describe('admission', () => {
  const opensAt = 1_000_000;
  it('opens slots evenly through each counting minute and never more than admitPerMinute of them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 10 * 60_000 }), (rate, since) => {
        const { minute, opened } = admissionWindow({ opensAt, admitPerMinute: rate }, opensAt + since);
        expect(minute).toBe(Math.floor(since / 60_000));
        expect(opened).toBeGreaterThanOrEqual(1);
        expect(opened).toBeLessThanOrEqual(rate);
        const into = since % 60_000;
        expect(opened).toBe(Math.min(rate, Math.floor((into * rate) / 60_000 + 1e-9) + 1));
      }),
    );
  });

  it('admits nobody before the opening, and otherwise the unused slots within the cap on active buyers and who is waiting', () => {
    const settings = { opensAt, admitPerMinute: 120, passMinutes: 10, maxActiveBuyers: 50 };
    expect(admissionsDue(settings, { now: opensAt - 1, admittedThisMinute: 0, activeBuyers: 0, waiting: 100 })).toBe(0);
    expect(admissionsDue(settings, { now: opensAt + 30_000, admittedThisMinute: 0, activeBuyers: 0, waiting: 100 })).toBe(50);
    expect(admissionsDue(settings, { now: opensAt + 30_000, admittedThisMinute: 40, activeBuyers: 10, waiting: 100 })).toBe(21);
    expect(admissionsDue(settings, { now: opensAt + 30_000, admittedThisMinute: 0, activeBuyers: 48, waiting: 100 })).toBe(2);
    expect(admissionsDue(settings, { now: opensAt + 30_000, admittedThisMinute: 0, activeBuyers: 60, waiting: 100 })).toBe(0);
    expect(admissionsDue(settings, { now: opensAt + 30_000, admittedThisMinute: 0, activeBuyers: 0, waiting: 3 })).toBe(3);
  });

  it('estimates the wait from the places ahead at the set rate', () => {
    expect(estimatedWaitSeconds(0, 60)).toBe(1);
    expect(estimatedWaitSeconds(119, 60)).toBe(120);
    expect(estimatedWaitSeconds(999, 1000)).toBe(60);
  });

  it('gives the median wait, or null before anyone was admitted', () => {
    expect(medianWait([])).toBeNull();
    expect(medianWait([5, 1, 3])).toBe(3);
    expect(medianWait([4, 1, 3, 2])).toBe(2.5);
  });

  it('turns the safety net on above the threshold and off only when nobody waits and buyers fell to half', () => {
    expect(safetyNetWanted(100, 100, false, 0)).toBe(false);
    expect(safetyNetWanted(100, 101, false, 0)).toBe(true);
    expect(safetyNetWanted(100, 60, true, 0)).toBe(true);
    expect(safetyNetWanted(100, 50, true, 3)).toBe(true);
    expect(safetyNetWanted(100, 50, true, 0)).toBe(false);
  });
});

describe('passes', () => {
  const key = 'k'.repeat(32);
  const clock = { now: () => 5_000_000 };
  const pass = signPass({ userId: 'u_1', showId: 'sh_1', expiresAt: 6_000_000 }, key);
  it('accepts a genuine pass for its holder and show before it expires', () => {
    expect(checkPass(pass, { userId: 'u_1', showId: 'sh_1' }, key, clock)).toEqual({ userId: 'u_1', showId: 'sh_1', expiresAt: 6_000_000 });
  });
  it('refuses another user, another show, an expired, an altered or a differently keyed pass', () => {
    expect(checkPass(pass, { userId: 'u_2', showId: 'sh_1' }, key, clock)).toBeNull();
    expect(checkPass(pass, { userId: 'u_1', showId: 'sh_2' }, key, clock)).toBeNull();
    expect(checkPass(pass, { userId: 'u_1', showId: 'sh_1' }, key, { now: () => 6_000_000 })).toBeNull();
    expect(checkPass(pass.replace('6000', '9000'), { userId: 'u_1', showId: 'sh_1' }, key, clock)).toBeNull();
    expect(checkPass(pass, { userId: 'u_1', showId: 'sh_1' }, 'x'.repeat(32), clock)).toBeNull();
    expect(checkPass('garbage', { userId: 'u_1', showId: 'sh_1' }, key, clock)).toBeNull();
  });
});
