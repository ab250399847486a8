/**
 * STAND-IN (i15-best branch only): a naive version of the "pick" helper's seat-pick module
 * with the same exported signatures, so seat:hold-best, the rush and the client can be built
 * against it. When the real server/domain/seat-pick.ts lands on main, `git merge main` takes
 * main's file and this one goes away.
 *
 * Naive rules: a row is split into runs of adjacent columns (an aisle is a gap in `col`);
 * a candidate is `count` free seats side by side in one run that leaves no lone free seat
 * next to it; candidates are ordered by distance from the sweet spot (centre column, two
 * thirds back). No couple pairs, no two-row fallback.
 */

export interface PickSeat {
  id: string;
  row: string;
  col: number;
  category: string;
  accessible: boolean;
  companion?: boolean;
  pair?: string;
}

export interface Hall {
  seats: readonly PickSeat[];
  indexOf: Map<string, number>;
  /** Runs of side-by-side seats (indices into `seats`, left to right). */
  runs: number[][];
  /** The run and position of each seat. */
  runOf: Int32Array;
  posOf: Int32Array;
  rowIndex: Int32Array;
  sweetRow: number;
  sweetCol: number;
}

export function prepareHall(seats: readonly PickSeat[]): Hall {
  const indexOf = new Map(seats.map((s, i) => [s.id, i]));
  const rowOrder = new Map<string, number>();
  const byRow = new Map<string, number[]>();
  seats.forEach((s, i) => {
    if (!rowOrder.has(s.row)) rowOrder.set(s.row, rowOrder.size);
    (byRow.get(s.row) ?? byRow.set(s.row, []).get(s.row)!).push(i);
  });
  const runs: number[][] = [];
  const runOf = new Int32Array(seats.length);
  const posOf = new Int32Array(seats.length);
  for (const members of byRow.values()) {
    members.sort((a, b) => seats[a]!.col - seats[b]!.col);
    let run: number[] = [];
    for (const i of members) {
      const last = run[run.length - 1];
      if (last !== undefined && seats[i]!.col !== seats[last]!.col + 1) {
        runs.push(run);
        run = [];
      }
      run.push(i);
    }
    if (run.length) runs.push(run);
  }
  runs.forEach((run, r) => run.forEach((i, p) => ((runOf[i] = r), (posOf[i] = p))));
  const rowIndex = Int32Array.from(seats, (s) => rowOrder.get(s.row)!);
  const cols = seats.map((s) => s.col);
  const sweetCol = (Math.min(...cols) + Math.max(...cols)) / 2;
  const sweetRow = ((rowOrder.size - 1) * 2) / 3;
  return { seats, indexOf, runs, runOf, posOf, rowIndex, sweetRow, sweetCol };
}

export interface BestRequest {
  count: number;
  categoryId?: string;
  accessible?: boolean;
}

export type BestResult = { ok: true; sets: string[][] } | { ok: false; reason: 'sold_out' | 'not_enough_together' };

/** Candidate sets best first (at most `limit`); `taken(i)` is true for a held or booked seat (index into the seats given to prepareHall). */
export function bestAvailable(hall: Hall, taken: (i: number) => boolean, req: BestRequest, limit = 1): BestResult {
  const fits = (i: number) => !taken(i) && (req.categoryId === undefined || hall.seats[i]!.category === req.categoryId);
  if (!hall.seats.some((_, i) => fits(i))) return { ok: false, reason: 'sold_out' };
  const candidates: { set: number[]; score: number }[] = [];
  for (const run of hall.runs) {
    for (let start = 0; start + req.count <= run.length; start++) {
      const set = run.slice(start, start + req.count);
      if (!set.every(fits)) continue;
      if (req.accessible && !set.some((i) => hall.seats[i]!.accessible)) continue;
      if (splitsPair(hall, set)) continue;
      if (strands(hall, taken, new Set(set), set)) continue;
      candidates.push({ set, score: scoreOf(hall, set) });
    }
  }
  if (candidates.length === 0) return { ok: false, reason: 'not_enough_together' };
  candidates.sort((a, b) => a.score - b.score);
  return { ok: true, sets: candidates.slice(0, limit).map((c) => c.set.map((i) => hall.seats[i]!.id)) };
}

/** Free seats that taking `selection` (on top of `taken`) would leave as a lone single. */
export function strandedSingles(hall: Hall, taken: (i: number) => boolean, selection: readonly string[]): string[] {
  const chosen = selection.map((id) => hall.indexOf.get(id)).filter((i): i is number => i !== undefined);
  return strandedBy(hall, taken, new Set(chosen), chosen).map((i) => hall.seats[i]!.id);
}

/** A selection of the same size near the given one that strands nobody, or null. */
export function strandFix(hall: Hall, taken: (i: number) => boolean, selection: readonly string[]): string[] | null {
  const chosen = selection.map((id) => hall.indexOf.get(id)).filter((i): i is number => i !== undefined);
  if (chosen.length === 0) return null;
  const mine = new Set(chosen);
  const free = (i: number) => mine.has(i) || !taken(i);
  const [row, col] = centreOf(hall, chosen);
  let best: { set: number[]; d: number } | null = null;
  for (const run of hall.runs) {
    for (let start = 0; start + chosen.length <= run.length; start++) {
      const set = run.slice(start, start + chosen.length);
      if (!set.every(free)) continue;
      const others = (i: number) => !mine.has(i) && taken(i);
      if (strands(hall, others, new Set(set), set)) continue;
      const [r, c] = centreOf(hall, set);
      const d = Math.abs(r - row) * 2 + Math.abs(c - col);
      if (!best || d < best.d) best = { set, d };
    }
  }
  return best ? best.set.map((i) => hall.seats[i]!.id) : null;
}

/** A couple seat whose other half is not in the set. */
function splitsPair(hall: Hall, set: number[]): boolean {
  const ids = new Set(set.map((i) => hall.seats[i]!.id));
  return set.some((i) => hall.seats[i]!.pair !== undefined && !ids.has(hall.seats[i]!.pair!));
}

function strands(hall: Hall, taken: (i: number) => boolean, chosen: Set<number>, set: number[]): boolean {
  return strandedBy(hall, taken, chosen, set).length > 0;
}

function strandedBy(hall: Hall, taken: (i: number) => boolean, chosen: Set<number>, set: readonly number[]): number[] {
  const occupied = (i: number | undefined) => i === undefined || chosen.has(i) || taken(i);
  const out = new Set<number>();
  for (const i of set) {
    const run = hall.runs[hall.runOf[i]!]!;
    const p = hall.posOf[i]!;
    for (const n of [run[p - 1], run[p + 1]]) {
      if (n === undefined || occupied(n)) continue;
      const q = hall.posOf[n]!;
      if (occupied(run[q - 1]) && occupied(run[q + 1])) out.add(n);
    }
  }
  return [...out];
}

function centreOf(hall: Hall, set: readonly number[]): [row: number, col: number] {
  const row = set.reduce((a, i) => a + hall.rowIndex[i]!, 0) / set.length;
  const col = set.reduce((a, i) => a + hall.seats[i]!.col, 0) / set.length;
  return [row, col];
}

function scoreOf(hall: Hall, set: number[]): number {
  const [row, col] = centreOf(hall, set);
  return Math.abs(row - hall.sweetRow) * 1.5 + Math.abs(col - hall.sweetCol);
}
