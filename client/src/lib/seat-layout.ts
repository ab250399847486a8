/**
 * Where each seat sits in world units (pitches), shared by both renderers and the hit
 * test: seat i's cell is [col + EDGE, +1) × [row, +1); the seat itself is SEAT wide,
 * and the gap around it belongs to the cell, so a tap in a gap goes to the nearest seat.
 */
import type { Seat } from '../../../protocol/schemas.js';
import { rowsOf, type RowSpan } from './seat-board.js';

/** Room for the row label left of column 0 (and right of the last column). */
export const EDGE = 1.3;
export const SEAT = 1 / 1.15;
const HALF_GAP = (1 - SEAT) / 2;

export type PairSide = 'left' | 'right' | null;

export class SeatLayout {
  readonly cols: number;
  readonly rows: RowSpan[];
  readonly width: number;
  readonly height: number;
  private readonly rowOfSeat: Int32Array;
  private readonly at = new Map<number, number>();
  private readonly byId = new Map<string, number>();

  constructor(readonly seats: readonly Seat[]) {
    this.cols = seats.reduce((m, s) => Math.max(m, s.col + 1), 0);
    this.rows = rowsOf(seats as Seat[]);
    this.width = this.cols + 2 * EDGE;
    this.height = this.rows.length;
    this.rowOfSeat = new Int32Array(seats.length);
    this.rows.forEach((r, y) => {
      for (let i = r.first; i <= r.last; i++) {
        this.rowOfSeat[i] = y;
        this.at.set(y * 65536 + seats[i]!.col, i);
      }
    });
    seats.forEach((s, i) => this.byId.set(s.id, i));
  }

  x(i: number) {
    return this.seats[i]!.col + EDGE;
  }
  y(i: number) {
    return this.rowOfSeat[i]!;
  }
  rowOf(i: number) {
    return this.rowOfSeat[i]!;
  }
  indexOf(id: string) {
    return this.byId.get(id);
  }

  /** The seat whose cell holds the world point, if any (aisles and margins hold none). */
  hit(wx: number, wy: number): number | undefined {
    const col = Math.floor(wx - EDGE + HALF_GAP);
    const row = Math.floor(wy + HALF_GAP);
    if (row < 0 || row >= this.height || col < 0) return undefined;
    return this.at.get(row * 65536 + col);
  }

  /** Which half of a couple seat this is, when its pair sits right beside it in the row. */
  pairSide(i: number): PairSide {
    const s = this.seats[i]!;
    if (!s.pair) return null;
    const j = this.byId.get(s.pair);
    if (j === undefined || this.rowOfSeat[j] !== this.rowOfSeat[i]) return null;
    const d = this.seats[j]!.col - s.col;
    return d === 1 ? 'left' : d === -1 ? 'right' : null;
  }

  /** The block (run of seats between aisles) around seat i, in world units over the whole hall's height. */
  blockOf(i: number) {
    const y = this.rowOfSeat[i]!;
    let a = this.seats[i]!.col;
    let b = a;
    while (this.at.has(y * 65536 + a - 1)) a--;
    while (this.at.has(y * 65536 + b + 1)) b++;
    return { x: a + EDGE, right: b + EDGE + 1, cols: b - a + 1 };
  }

  /** Bounding box of some seats in world units. */
  boxOf(indices: readonly number[]) {
    let x = Infinity, y = Infinity, right = -Infinity, bottom = -Infinity;
    for (const i of indices) {
      x = Math.min(x, this.x(i));
      y = Math.min(y, this.y(i));
      right = Math.max(right, this.x(i) + 1);
      bottom = Math.max(bottom, this.y(i) + 1);
    }
    return { x, y, right, bottom };
  }
}
