import { describe, expect, it } from 'vitest';
import type { Seat, SeatStatus } from '../../../protocol/schemas.js';
import { checkStrands } from './strand-check.js';

/** Row A: A1-A5 side by side, an aisle, A6-A7. */
const seats: Seat[] = [1, 2, 3, 4, 5, 6, 7].map((n) => ({
  id: `A${n}`, row: 'A', number: n, col: n <= 5 ? n - 1 : n, category: 'c', price: 100, status: 'free', accessible: false,
}));
const statusWith = (taken: string[]): SeatStatus[] => seats.map((s) => (taken.includes(s.id) ? 'held' : 'free'));

describe('checkStrands', () => {
  it('flags the seat your pick leaves alone against the wall, and offers the move that strands nobody', () => {
    expect(checkStrands(seats, statusWith(['A2']), ['A2'])).toEqual({ stranded: ['A1'], fix: ['A1'] });
  });

  it('counts an aisle as a wall and others\u2019 seats as taken', () => {
    expect(checkStrands(seats, statusWith(['A6']), ['A6']).stranded).toEqual(['A7']);
    expect(checkStrands(seats, statusWith(['A1', 'A3']), ['A3']).stranded).toEqual(['A2']);
  });

  it('is quiet for a pick that leaves no single seat, and with no seats held', () => {
    expect(checkStrands(seats, statusWith(['A1', 'A2']), ['A1', 'A2'])).toEqual({ stranded: [], fix: null });
    expect(checkStrands(seats, statusWith([]), [])).toEqual({ stranded: [], fix: null });
  });
});
