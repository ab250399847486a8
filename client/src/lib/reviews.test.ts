import { describe, expect, it } from 'vitest';
import type { Review } from '../../../protocol/reviews.js';
import { format } from './i18n.svelte.js';
import { averageText, distributionRows, replaceReview, reviewDate, starFill, wasEdited } from './reviews.js';

const review = (authorId: string, helpful = 0): Review => ({
  movieId: 'rrr',
  authorId,
  authorName: authorId,
  rating: 4,
  text: '',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  helpful,
});

describe('showing ratings', () => {
  it('averageText always has one decimal: 4 → "4.0", 4.25 → "4.3"', () => {
    expect(averageText(4, 'en-IN')).toBe('4.0');
    expect(averageText(4.25, 'en-IN')).toBe('4.3');
    expect(averageText(3.5, 'hi-IN')).toBe('3.5');
  });

  it('distributionRows lists 5 stars first, each with its count, the longest bar 100%', () => {
    expect(distributionRows({ average: 4, count: 7, distribution: [1, 0, 1, 1, 4] })).toEqual([
      { stars: 5, count: 4, percent: 100 },
      { stars: 4, count: 1, percent: 25 },
      { stars: 3, count: 1, percent: 25 },
      { stars: 2, count: 0, percent: 0 },
      { stars: 1, count: 1, percent: 25 },
    ]);
  });

  it('distributionRows of no ratings: five empty bars, no division by zero', () => {
    expect(distributionRows({ average: null, count: 0, distribution: [0, 0, 0, 0, 0] }).map((r) => r.percent)).toEqual([0, 0, 0, 0, 0]);
  });

  it('starFill rounds to the nearest half star: 4.3 → 4½, 4.2 → 4, 4.8 → 5', () => {
    expect(starFill(4.3)).toEqual({ full: 4, half: true });
    expect(starFill(4.2)).toEqual({ full: 4, half: false });
    expect(starFill(4.8)).toEqual({ full: 5, half: false });
  });

  it('reviewDate is written in the reader’s language', () => {
    const at = '2026-12-02T10:00:00.000Z';
    expect(reviewDate(at, 'en-IN')).toBe('2 Dec 2026');
    expect(reviewDate(at, 'hi-IN')).toMatch(/दिस/);
    expect(reviewDate(at, 'te-IN')).toMatch(/డిసెం/);
  });

  it('replaceReview swaps in the newer copy of one review and keeps the order', () => {
    const list = [review('a', 3), review('b', 1), review('c')];
    const next = replaceReview(list, { ...review('b', 2), markedHelpful: true });
    expect(next.map((r) => [r.authorId, r.helpful])).toEqual([['a', 3], ['b', 2], ['c', 0]]);
    expect(list[1]!.helpful).toBe(1);
  });

  it('wasEdited: only a change more than a minute after posting', () => {
    expect(wasEdited({ createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-01T10:00:30Z' })).toBe(false);
    expect(wasEdited({ createdAt: '2026-12-01T10:00:00Z', updatedAt: '2026-12-02T10:00:00Z' })).toBe(true);
  });

  it('the card rating reads as a sentence in each language, with the count pluralised', () => {
    expect(format('en', 'reviews.cardRating', { average: '4.3', count: 120 })).toBe('Rated 4.3 out of 5 by 120 viewers');
    expect(format('en', 'reviews.cardRating', { average: '5.0', count: 1 })).toBe('Rated 5.0 out of 5 by 1 viewer');
    expect(format('hi', 'reviews.cardRating', { average: '4.3', count: 120 })).toContain('5 में से 4.3');
    expect(format('te', 'reviews.cardRating', { average: '4.3', count: 120 })).toContain('5కి 4.3');
  });
});
