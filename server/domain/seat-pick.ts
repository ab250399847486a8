/**
 * Best available, and the rule everywhere: never strand a single free seat. Pure (no I/O, no
 * clock); shared by the server (`seat:hold-best`, manual holds) and the client (the strand
 * warning and its fix).
 *
 * Rules, including the details this module decides:
 * - Rows are in the order their first seat appears in the list given to `prepareHall`; row 0 is
 *   the front, nearest the screen. Within a row, seats whose `col` differ by more than 1 are
 *   separated by an aisle; an aisle and the row's ends (walls) bound a block. (Two seats on one
 *   col of a row are a broken layout; they are not treated as neighbours.)
 * - A free seat is *alone* when neither block neighbour is free (a taken or selected seat, an
 *   aisle or a wall on each side) and its couple partner, if any, is not free. A free couple unit
 *   is therefore never alone, and a wheelchair space is never counted as alone: it is sold on
 *   its own (its companion seat may be taken by the wheelchair user's party or not at all).
 * - A selection *strands* a free seat that is alone after it and was not alone before it.
 *   Filling an existing single is fine. Seats of the selection count as free "before" even when
 *   `taken` says taken (the caller may pass its own holds as taken).
 * - Couples: a seat with `pair` is picked with its partner or not at all. A seat whose partner is
 *   not its block neighbour is never picked by `bestAvailable` (a broken layout, not guessed at).
 * - Best available: `count` seats side by side in one block of one row, all free, all in
 *   `categoryId` when given. Score = squared distance of the set's centre (mean column, mean row)
 *   from the sweet spot: the hall's centre column (midway between its smallest and largest col)
 *   and row index 2/3 × (rows − 1); one row counts as two columns (rows are about twice as deep
 *   as a seat is wide). Ties: the row further back, then the leftmost, then the lowest seat indices.
 * - No row has them (count ≥ 2): two groups of ceil(n/2) and floor(n/2) side by side in
 *   consecutive rows (either group in front) whose column ranges overlap; scored the same way.
 * - Accessible request: count 1 → a wheelchair space; count ≥ 2 → the set (one of its groups when
 *   split) holds a wheelchair space and a companion seat next to it in the block; other seats of
 *   the set may be of any kind. Other requests never take wheelchair spaces, and take companion
 *   seats only after everything without them (see tiers).
 * - Candidates are ordered by tier, then score: one row, then split; for a request that is not
 *   accessible, sets using a companion seat come after both (one row, then split). Up to `limit`
 *   sets are returned, crossing tiers, so the server has a next set to try under contention.
 * - `sold_out`: fewer than `count` free seats in the category that the request could take at all
 *   (not wheelchair spaces, for a request that is not accessible), or, for an accessible request,
 *   no free wheelchair space in it. Otherwise nothing fits: `not_enough_together`. A count of 1
 *   can be `not_enough_together` too: when every free seat is one of two left side by side.
 * - Strand fix: a set of the same size (couple halves counted with their partners), side by
 *   side in one block, that strands nobody and keeps couples whole; seats of the selection count
 *   as free. Its seats are in the selection's
 *   categories; it takes a wheelchair space only if the selection had one (then it must hold one,
 *   and a wheelchair space + companion if the selection had that pair); companion seats come
 *   last unless the selection had one. Nearest first: the row holding most of the selection
 *   (same row preferred), then the least shift of the centre column, then most seats kept from
 *   the selection, then further back, then leftmost.
 * Unknown seat ids in a selection are ignored (the server validates ids at the boundary).
 */

/** A seat as these rules see it: the protocol `Seat` minus price and status. */
export interface PickSeat {
  id: string;
  row: string;
  col: number;
  category: string;
  accessible: boolean;
  companion?: boolean;
  pair?: string;
}

/** Where each pair partner sits, relative to its seat. */
const PAIR_NONE = 0;
const PAIR_LEFT = 1;
const PAIR_RIGHT = 2;
const PAIR_ELSEWHERE = 3;

/** A layout prepared once for these rules: neighbours, blocks and rows as flat arrays. */
export interface Hall {
  readonly seats: readonly PickSeat[];
  readonly index: ReadonlyMap<string, number>;
  readonly rowCount: number;
  /** Smallest + largest col of the hall: twice the centre column. */
  readonly centreTwice: number;
  /** Seat indices by row, then col; row r spans order[rowStart[r]] .. order[rowStart[r + 1] - 1]. */
  readonly order: Int32Array;
  readonly rowStart: Int32Array;
  readonly rowOf: Int32Array;
  /** Block neighbours (-1: aisle or wall). */
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly pairOf: Int32Array;
  readonly pairSide: Uint8Array;
  readonly wheelchair: Uint8Array;
  readonly companion: Uint8Array;
  /** The seat and its left neighbour are a wheelchair space and a companion seat (either way round). */
  readonly accessPairWithLeft: Uint8Array;
  readonly category: Int32Array;
  readonly categoryIds: ReadonlyMap<string, number>;
}

export function prepareHall(seats: readonly PickSeat[]): Hall {
  const n = seats.length;
  const index = new Map<string, number>();
  const rowIds = new Map<string, number>();
  const categoryIds = new Map<string, number>();
  const rowOf = new Int32Array(n);
  const category = new Int32Array(n);
  const wheelchair = new Uint8Array(n);
  const companion = new Uint8Array(n);
  let minCol = Infinity;
  let maxCol = -Infinity;
  seats.forEach((s, i) => {
    index.set(s.id, i);
    if (!rowIds.has(s.row)) rowIds.set(s.row, rowIds.size);
    if (!categoryIds.has(s.category)) categoryIds.set(s.category, categoryIds.size);
    rowOf[i] = rowIds.get(s.row)!;
    category[i] = categoryIds.get(s.category)!;
    wheelchair[i] = s.accessible ? 1 : 0;
    companion[i] = s.companion ? 1 : 0;
    minCol = Math.min(minCol, s.col);
    maxCol = Math.max(maxCol, s.col);
  });
  const sorted = [...seats.keys()].sort((a, b) => rowOf[a]! - rowOf[b]! || seats[a]!.col - seats[b]!.col || a - b);
  const order = Int32Array.from(sorted);
  const rowStart = new Int32Array(rowIds.size + 1);
  for (const i of sorted) rowStart[rowOf[i]! + 1]! += 1;
  for (let r = 0; r < rowIds.size; r++) rowStart[r + 1]! += rowStart[r]!;
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  for (let p = 1; p < n; p++) {
    const a = order[p - 1]!;
    const b = order[p]!;
    if (rowOf[a] === rowOf[b] && seats[b]!.col - seats[a]!.col === 1) {
      left[b] = a;
      right[a] = b;
    }
  }
  const pairOf = new Int32Array(n).fill(-1);
  const pairSide = new Uint8Array(n);
  const accessPairWithLeft = new Uint8Array(n);
  seats.forEach((s, i) => {
    const p = s.pair === undefined ? -1 : (index.get(s.pair) ?? -1);
    pairOf[i] = p;
    pairSide[i] = p < 0 ? PAIR_NONE : p === left[i] ? PAIR_LEFT : p === right[i] ? PAIR_RIGHT : PAIR_ELSEWHERE;
    const l = left[i]!;
    if (l >= 0 && ((wheelchair[i] && companion[l]) || (companion[i] && wheelchair[l]))) accessPairWithLeft[i] = 1;
  });
  return {
    seats,
    index,
    rowCount: rowIds.size,
    centreTwice: n === 0 ? 0 : minCol + maxCol,
    order,
    rowStart,
    rowOf,
    left,
    right,
    pairOf,
    pairSide,
    wheelchair,
    companion,
    accessPairWithLeft,
    category,
    categoryIds,
  };
}

export interface BestRequest {
  count: number;
  categoryId?: string;
  accessible?: boolean;
}

export type BestResult = { ok: true; sets: string[][] } | { ok: false; reason: 'sold_out' | 'not_enough_together' };

/** What a window must hold besides free, eligible seats. */
interface Need {
  wheelchair: boolean;
  accessPair: boolean;
}

/** A window of `size` seats at order positions first..last of one row. */
type Visit = (first: number, last: number, usesCompanion: boolean) => void;

/** Is `x` (just outside a window) free, and would it be left alone once the window is taken? */
function leftAlone(h: Hall, free: Uint8Array, x: number, beyond: number): boolean {
  if (x < 0 || !free[x] || h.wheelchair[x]) return false;
  if (beyond >= 0 && free[beyond]) return false;
  return !(h.pairSide[x] === PAIR_ELSEWHERE && free[h.pairOf[x]!]);
}

/**
 * Every window of `size` eligible seats side by side in a block of row `r` that keeps couples
 * whole, holds what `need` asks and strands nobody (judged against `free`, the state before).
 */
function scanRow(h: Hall, r: number, free: Uint8Array, eligible: Uint8Array, size: number, need: Need, visit: Visit) {
  const { order, left, right } = h;
  let run = 0;
  let lastCompanion = -1;
  let lastWheelchair = -1;
  let lastAccessPair = -1;
  for (let p = h.rowStart[r]!, end = h.rowStart[r + 1]!; p < end; p++) {
    const s = order[p]!;
    if (left[s]! < 0) run = 0;
    if (!eligible[s]) {
      run = 0;
      continue;
    }
    run += 1;
    if (h.companion[s]) lastCompanion = p;
    if (h.wheelchair[s]) lastWheelchair = p;
    if (run >= 2 && h.accessPairWithLeft[s]) lastAccessPair = p;
    if (run < size) continue;
    const first = p - size + 1;
    const a = order[first]!;
    if (h.pairSide[a] === PAIR_LEFT || h.pairSide[s] === PAIR_RIGHT) continue;
    if (need.wheelchair && lastWheelchair < first) continue;
    if (need.accessPair && lastAccessPair <= first) continue;
    const l = left[a]!;
    const rr = right[s]!;
    if (leftAlone(h, free, l, l < 0 ? -1 : left[l]!) || leftAlone(h, free, rr, rr < 0 ? -1 : right[rr]!)) continue;
    visit(first, p, lastCompanion >= first);
  }
}

/** A window found by `scanRow`, kept for pairing with the next row's. */
interface RowWindow {
  first: number;
  last: number;
  firstCol: number;
  lastCol: number;
  usesCompanion: boolean;
  accessPair: boolean;
}

function rowWindows(h: Hall, r: number, free: Uint8Array, eligible: Uint8Array, size: number): RowWindow[] {
  const out: RowWindow[] = [];
  const noNeed = { wheelchair: false, accessPair: false };
  scanRow(h, r, free, eligible, size, noNeed, (first, last, usesCompanion) => {
    let accessPair = false;
    for (let p = first + 1; p <= last; p++) if (h.accessPairWithLeft[h.order[p]!]) accessPair = true;
    const firstCol = h.seats[h.order[first]!]!.col;
    out.push({ first, last, firstCol, lastCol: firstCol + (last - first), usesCompanion, accessPair });
  });
  return out;
}

interface Candidate {
  tier: number;
  score: number;
  rowSum: number;
  minCol: number;
  seats: number[];
}

/** Orders candidates best first: tier, score, further back, leftmost, lowest seat indices. */
function compareCandidates(a: Candidate, b: Candidate): number {
  return a.tier - b.tier || a.score - b.score || b.rowSum - a.rowSum || a.minCol - b.minCol || compareIndices(a.seats, b.seats);
}
function compareIndices(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The best `limit` candidates seen, best first. */
class TopCandidates {
  readonly items: Candidate[] = [];
  constructor(private readonly limit: number) {}
  /** Whether a candidate with these keys could enter (checked before building its seat list). */
  mayEnter(tier: number, score: number, rowSum: number, minCol: number): boolean {
    if (this.items.length < this.limit) return true;
    const w = this.items[this.items.length - 1]!;
    return (tier - w.tier || score - w.score || w.rowSum - rowSum || minCol - w.minCol || -1) <= 0;
  }
  offer(c: Candidate) {
    if (this.items.length >= this.limit && compareCandidates(c, this.items[this.items.length - 1]!) >= 0) return;
    let i = this.items.length;
    while (i > 0 && compareCandidates(c, this.items[i - 1]!) < 0) i--;
    this.items.splice(i, 0, c);
    if (this.items.length > this.limit) this.items.pop();
  }
}

/** 36·n² × squared distance from the sweet spot, in integers so ties are exact. */
function sweetSpotScore(h: Hall, n: number, colSum: number, rowSum: number): number {
  const x = 2 * colSum - n * h.centreTwice;
  const y = 3 * rowSum - 2 * n * (h.rowCount - 1);
  return 9 * x * x + 16 * y * y;
}

const freeMask = (h: Hall, taken: (i: number) => boolean) => {
  const free = new Uint8Array(h.seats.length);
  for (let i = 0; i < free.length; i++) free[i] = taken(i) ? 0 : 1;
  return free;
};

const seatsAt = (h: Hall, first: number, last: number, into: number[] = []) => {
  for (let p = first; p <= last; p++) into.push(h.order[p]!);
  return into;
};

/** Candidate sets best first (at most `limit`); `taken(i)` is true for a held or booked seat (index into the seats given to prepareHall). */
export function bestAvailable(hall: Hall, taken: (i: number) => boolean, req: BestRequest, limit = 5): BestResult {
  const n = req.count;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`count must be a positive integer, got ${n}`);
  const h = hall;
  const free = freeMask(h, taken);
  const wanted = req.categoryId === undefined ? -1 : (h.categoryIds.get(req.categoryId) ?? -2);
  const accessible = req.accessible === true;
  const eligible = new Uint8Array(free.length);
  let matching = 0;
  let freeWheelchairs = 0;
  for (let i = 0; i < free.length; i++) {
    if (!free[i] || (wanted !== -1 && h.category[i] !== wanted)) continue;
    if (h.wheelchair[i]) freeWheelchairs += 1;
    if (h.wheelchair[i] && !accessible) continue;
    matching += 1;
    if (h.pairSide[i] === PAIR_ELSEWHERE || (accessible && n === 1 && !h.wheelchair[i])) continue;
    eligible[i] = 1;
  }
  if (matching < n || (accessible && freeWheelchairs === 0)) return { ok: false, reason: 'sold_out' };

  const most = Math.max(1, Math.floor(limit));
  const top = new TopCandidates(most);
  const tierOf = (split: boolean, usesCompanion: boolean) => (split ? 1 : 0) + (usesCompanion && !accessible ? 2 : 0);
  const need: Need = { wheelchair: accessible && n === 1, accessPair: accessible && n >= 2 };
  let bestTierFound = 0;
  for (let r = 0; r < h.rowCount; r++) {
    scanRow(h, r, free, eligible, n, need, (first, last, usesCompanion) => {
      const tier = tierOf(false, usesCompanion);
      if (tier === 0) bestTierFound += 1;
      const firstCol = h.seats[h.order[first]!]!.col;
      const colSum = (n * (2 * firstCol + n - 1)) / 2;
      const score = sweetSpotScore(h, n, colSum, n * r);
      if (!top.mayEnter(tier, score, n * r, firstCol)) return;
      top.offer({ tier, score, rowSum: n * r, minCol: firstCol, seats: seatsAt(h, first, last).sort((a, b) => a - b) });
    });
  }
  // Splits rank below every one-row set without companions: skip them when those fill the list.
  if (n >= 2 && bestTierFound < most) {
    offerSplits(h, free, eligible, n, accessible, tierOf, top);
  }
  if (top.items.length === 0) return { ok: false, reason: 'not_enough_together' };
  return { ok: true, sets: top.items.map((c) => c.seats.map((i) => h.seats[i]!.id)) };
}

/** Two groups, ceil(n/2) and floor(n/2), in consecutive rows with overlapping columns. */
function offerSplits(
  h: Hall,
  free: Uint8Array,
  eligible: Uint8Array,
  n: number,
  accessible: boolean,
  tierOf: (split: boolean, usesCompanion: boolean) => number,
  top: TopCandidates,
) {
  const big = Math.ceil(n / 2);
  const small = Math.floor(n / 2);
  const windows = new Map<number, RowWindow[][]>();
  const of = (size: number, r: number) => {
    let rows = windows.get(size);
    if (!rows) windows.set(size, (rows = []));
    return (rows[r] ??= rowWindows(h, r, free, eligible, size));
  };
  const shapes = big === small ? [[big, small]] : [[big, small], [small, big]];
  for (let r = 0; r + 1 < h.rowCount; r++) {
    for (const [front, back] of shapes) {
      const fronts = of(front!, r);
      if (fronts.length === 0) continue;
      const backs = of(back!, r + 1);
      if (backs.length === 0) continue;
      const rowSum = front! * r + back! * (r + 1);
      for (const w1 of fronts) {
        // backs are ordered by column: skip those ending left of w1, stop at those starting right of it
        let lo = 0;
        let hi = backs.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (backs[mid]!.lastCol < w1.firstCol) lo = mid + 1;
          else hi = mid;
        }
        for (let j = lo; j < backs.length && backs[j]!.firstCol <= w1.lastCol; j++) {
          const w2 = backs[j]!;
          if (accessible && !w1.accessPair && !w2.accessPair) continue;
          const tier = tierOf(true, w1.usesCompanion || w2.usesCompanion);
          const colSum = (front! * (w1.firstCol + w1.lastCol) + back! * (w2.firstCol + w2.lastCol)) / 2;
          const score = sweetSpotScore(h, n, colSum, rowSum);
          const minCol = Math.min(w1.firstCol, w2.firstCol);
          if (!top.mayEnter(tier, score, rowSum, minCol)) continue;
          const seats = seatsAt(h, w2.first, w2.last, seatsAt(h, w1.first, w1.last)).sort((a, b) => a - b);
          top.offer({ tier, score, rowSum, minCol, seats });
        }
      }
    }
  }
}

/** Known seat indices of a selection, without repeats. */
function indicesOf(h: Hall, selection: readonly string[]): number[] {
  const out = new Set<number>();
  for (const id of selection) {
    const i = h.index.get(id);
    if (i !== undefined) out.add(i);
  }
  return [...out];
}

function isAlone(h: Hall, x: number, free: (i: number) => boolean): boolean {
  if (!free(x) || h.wheelchair[x]) return false;
  const p = h.pairOf[x]!;
  return !free(h.left[x]!) && !free(h.right[x]!) && !(p >= 0 && free(p));
}

/** Free seats that taking `selection` (on top of `taken`) would leave as a lone single. */
export function strandedSingles(hall: Hall, taken: (i: number) => boolean, selection: readonly string[]): string[] {
  const chosen = new Set(indicesOf(hall, selection));
  const before = (i: number) => i >= 0 && (chosen.has(i) || !taken(i));
  const after = (i: number) => i >= 0 && !chosen.has(i) && !taken(i);
  const near = new Set<number>();
  for (const s of chosen) for (const x of [hall.left[s]!, hall.right[s]!, hall.pairOf[s]!]) if (x >= 0 && !chosen.has(x)) near.add(x);
  return [...near]
    .filter((x) => isAlone(hall, x, after) && !isAlone(hall, x, before))
    .sort((a, b) => a - b)
    .map((i) => hall.seats[i]!.id);
}

/** Couple partners missing from a selection (a selection with any is invalid). */
export function missingCoupleHalves(hall: Hall, selection: readonly string[]): string[] {
  const chosen = new Set(indicesOf(hall, selection));
  const missing = new Set<number>();
  for (const s of chosen) {
    const p = hall.pairOf[s]!;
    if (p >= 0 && !chosen.has(p)) missing.add(p);
  }
  return [...missing].sort((a, b) => a - b).map((i) => hall.seats[i]!.id);
}

/**
 * A selection of the same size near the given one that strands nobody, or null. The selection
 * itself when it strands nobody; a half-chosen couple counts with its partner (completed, if that
 * strands nobody).
 */
export function strandFix(hall: Hall, taken: (i: number) => boolean, selection: readonly string[]): string[] | null {
  const h = hall;
  const given = indicesOf(h, selection);
  if (given.length === 0) return [];
  const halves = missingCoupleHalves(h, selection);
  if (halves.length === 0 && strandedSingles(h, taken, selection).length === 0) return given.map((i) => h.seats[i]!.id);
  // A half-chosen couple is completed first: the fix has the size of the selection with its partners.
  const completed = [...selection, ...halves];
  const halvesFree = halves.every((id) => !taken(h.index.get(id)!));
  if (halves.length > 0 && halvesFree && strandedSingles(h, taken, completed).length === 0) {
    return indicesOf(h, completed).sort((a, b) => a - b).map((i) => h.seats[i]!.id);
  }
  const chosen = indicesOf(h, completed);
  const inSelection = new Uint8Array(h.seats.length);
  for (const i of given) inSelection[i] = 1;
  return nearestRun(h, freeMask(h, (i) => taken(i) && !inSelection[i]), chosen, inSelection);
}

/**
 * "The same seats, or the nearest like them" (Book again): the selection's seats (couples
 * completed) when every one is free in this hall, even if they strand a single (they were the
 * user's choice, and the seat page warns as for any manual pick); else the nearest set of the
 * same size by the strand fix's rules and order (its categories, wheelchair spaces only if the
 * selection had one, side by side in one block, stranding nobody), judged with the
 * selection's seats as they are now (taken ones are not counted as free). Null when the
 * selection names a seat this hall lacks (another screen), or no such set fits one row.
 */
export function nearestLike(hall: Hall, taken: (i: number) => boolean, selection: readonly string[]): { seatIds: string[]; same: boolean } | null {
  const h = hall;
  const given = indicesOf(h, selection);
  if (given.length === 0 || given.length !== new Set(selection).size) return null;
  const halves = missingCoupleHalves(h, selection);
  const chosen = indicesOf(h, [...selection, ...halves]);
  const ids = (xs: number[]) => [...xs].sort((a, b) => a - b).map((i) => h.seats[i]!.id);
  if (chosen.every((i) => !taken(i))) return { seatIds: ids(chosen), same: halves.length === 0 };
  const inSelection = new Uint8Array(h.seats.length);
  for (const i of given) inSelection[i] = 1;
  const found = nearestRun(h, freeMask(h, taken), chosen, inSelection);
  return found ? { seatIds: found, same: false } : null;
}

/** The strand fix's search: the nearest run of `chosen.length` eligible seats, by the order in the module's doc. */
function nearestRun(h: Hall, free: Uint8Array, chosen: number[], inSelection: Uint8Array): string[] | null {
  const n = chosen.length;
  const { eligible, need, companionsFine } = fixRules(h, chosen, free, inSelection);
  const rowCounts = new Map<number, number>();
  for (const i of chosen) rowCounts.set(h.rowOf[i]!, (rowCounts.get(h.rowOf[i]!) ?? 0) + 1);
  const homeRow = [...rowCounts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  const colSumTwice = 2 * chosen.reduce((sum, i) => sum + h.seats[i]!.col, 0);

  let best: { key: number[]; first: number; last: number } | null = null;
  for (let r = 0; r < h.rowCount; r++) {
    scanRow(h, r, free, eligible, n, need, (first, last, usesCompanion) => {
      const firstCol = h.seats[h.order[first]!]!.col;
      let kept = 0;
      for (let p = first; p <= last; p++) kept += inSelection[h.order[p]!]!;
      const key = [
        usesCompanion && !companionsFine ? 1 : 0,
        Math.abs(r - homeRow),
        Math.abs(n * (2 * firstCol + n - 1) - colSumTwice),
        -kept,
        -r,
        firstCol,
      ];
      if (!best || compareIndices(key, best.key) < 0) best = { key, first, last };
    });
  }
  const found = best as { first: number; last: number } | null;
  if (!found) return null;
  return seatsAt(h, found.first, found.last)
    .sort((a, b) => a - b)
    .map((i) => h.seats[i]!.id);
}

/** Which seats a fix may use and what it must hold, from the (completed) selection. */
function fixRules(h: Hall, chosen: number[], free: Uint8Array, inSelection: Uint8Array) {
  const categories = new Set(chosen.map((i) => h.category[i]!));
  const hadWheelchair = chosen.some((i) => h.wheelchair[i]);
  const hadAccessPair = chosen.some((i) => h.accessPairWithLeft[i] && inSelection[h.left[i]!]);
  const eligible = new Uint8Array(free.length);
  for (let i = 0; i < free.length; i++) {
    const allowed = categories.has(h.category[i]!) && h.pairSide[i] !== PAIR_ELSEWHERE && (hadWheelchair || !h.wheelchair[i]);
    eligible[i] = free[i] && allowed ? 1 : 0;
  }
  const need: Need = { wheelchair: hadWheelchair, accessPair: hadAccessPair };
  return { eligible, need, companionsFine: hadWheelchair || chosen.some((i) => h.companion[i]) };
}

/** A booked seat to find again: its id and category in the booking's own hall. */
export interface SeatLike {
  seatId: string;
  category: string;
}

export type LikeResult = { ok: true; seatIds: string[]; how: 'same' | 'nearest' | 'best' } | { ok: false; reason: 'sold_out' | 'not_enough_together' };

/**
 * Book again: the same seats if free, else the nearest like them (`nearestLike`); when those
 * do not fit one row, or this hall lacks the seats (another screen), best available of the same
 * number in the category most of them had (any category when this hall has none of theirs).
 */
export function seatsLike(hall: Hall, taken: (i: number) => boolean, booked: readonly SeatLike[]): LikeResult {
  if (booked.length === 0) throw new RangeError('seatsLike needs at least one seat');
  const near = nearestLike(hall, taken, booked.map((s) => s.seatId));
  if (near) return { ok: true, seatIds: near.seatIds, how: near.same ? 'same' : 'nearest' };
  const counts = new Map<string, number>();
  for (const s of booked) if (hall.categoryIds.has(s.category)) counts.set(s.category, (counts.get(s.category) ?? 0) + 1);
  const categoryId = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const best = bestAvailable(hall, taken, { count: booked.length, ...(categoryId ? { categoryId } : {}) }, 1);
  return best.ok ? { ok: true, seatIds: best.sets[0]!, how: 'best' } : best;
}
