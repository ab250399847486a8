import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attended, firstName, ratingSummary, sortReviews } from '../../server/domain/reviews.js';

const NOW = Date.UTC(2026, 11, 24, 12);
const booking = (over: Partial<Parameters<typeof attended>[0][number]> = {}) => ({ status: 'confirmed', movieId: 'rrr', endsAt: NOW - 1, ...over });

describe('who may review', () => {
  it('someone whose confirmed show of the movie has ended (inclusive), or whose ticket was checked in', () => {
    expect(attended([booking()], 'rrr', NOW)).toBe(true);
    expect(attended([booking({ endsAt: NOW })], 'rrr', NOW)).toBe(true);
    expect(attended([booking({ endsAt: NOW + 60_000, usedAt: '2026-12-24T11:00:00Z' })], 'rrr', NOW)).toBe(true);
  });
  it('not before the show ends, not for another movie, not with a cancelled, expired or unpaid booking', () => {
    expect(attended([booking({ endsAt: NOW + 1 })], 'rrr', NOW)).toBe(false);
    expect(attended([booking({ movieId: 'leo' })], 'rrr', NOW)).toBe(false);
    for (const status of ['cancelled', 'expired', 'pending_payment']) expect(attended([booking({ status, usedAt: 'x' })], 'rrr', NOW)).toBe(false);
    expect(attended([], 'rrr', NOW)).toBe(false);
  });
});

describe('the rating summary', () => {
  it('averages to one decimal and counts each star', () => {
    expect(ratingSummary([5, 4, 4, 1])).toEqual({ average: 3.5, count: 4, distribution: [1, 0, 0, 2, 1] });
    expect(ratingSummary([5, 5, 4])).toEqual({ average: 4.7, count: 3, distribution: [0, 0, 0, 1, 2] });
    expect(ratingSummary([])).toEqual({ average: null, count: 0, distribution: [0, 0, 0, 0, 0] });
  });
  it('always counts every rating once, and the average lies within the ratings', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1 }), (rs) => {
        const s = ratingSummary(rs);
        expect(s.distribution.reduce((a, b) => a + b, 0)).toBe(rs.length);
        expect(s.average!).toBeGreaterThanOrEqual(Math.min(...rs));
        expect(s.average!).toBeLessThanOrEqual(Math.max(...rs));
      }),
    );
  });
});

describe('review order', () => {
  const r = (authorId: string, helpful: number, updatedAt: string) => ({ authorId, helpful, updatedAt });
  const list = [r('a', 1, '2026-12-01'), r('b', 3, '2026-11-01'), r('c', 3, '2026-11-20'), r('d', 0, '2026-12-10')];
  it('by helpfulness (then newest), or newest first', () => {
    expect(sortReviews(list, 'helpful').map((x) => x.authorId)).toEqual(['c', 'b', 'a', 'd']);
    expect(sortReviews(list, 'newest').map((x) => x.authorId)).toEqual(['d', 'a', 'c', 'b']);
  });
  it('shows an author by their first name only', () => {
    expect(firstName('  Priya Raman ')).toBe('Priya');
  });
});
