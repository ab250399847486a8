import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bestAvailable,
  missingCoupleHalves,
  nearestLike,
  prepareHall,
  seatsLike,
  strandFix,
  strandedSingles,
  type BestRequest,
  type PickSeat,
} from '../../server/domain/seat-pick.js';

// ---------------------------------------------------------------------------------------------
// Halls drawn as pictures, one string per row from the front: '.' seat, '#' taken seat,
// 'w' wheelchair space, 'k' companion seat, '<' '>' a couple ('{' '}' taken), ' ' an aisle.
// ---------------------------------------------------------------------------------------------
interface Drawn {
  seats: PickSeat[];
  taken: Set<number>;
}
function draw(rows: string[], categories: string[] = []): Drawn {
  const seats: PickSeat[] = [];
  const taken = new Set<number>();
  rows.forEach((line, r) => {
    const label = String.fromCharCode(65 + r);
    let number = 0;
    [...line].forEach((ch, col) => {
      if (ch === ' ') return;
      number += 1;
      const couple = '<>{}'.includes(ch);
      const seat: PickSeat = { id: `${label}${number}`, row: label, col, category: categories[r] ?? (couple ? 'couple' : 'std'), accessible: ch === 'w' };
      if (ch === 'k') seat.companion = true;
      if (ch === '<' || ch === '{') seat.pair = `${label}${number + 1}`;
      if (ch === '>' || ch === '}') seat.pair = `${label}${number - 1}`;
      if (ch === '#' || ch === '{' || ch === '}') taken.add(seats.length);
      seats.push(seat);
    });
  });
  return { seats, taken };
}
function best(rows: string[], req: BestRequest, opts: { categories?: string[]; limit?: number } = {}) {
  const { seats, taken } = draw(rows, opts.categories);
  return bestAvailable(prepareHall(seats), (i) => taken.has(i), req, opts.limit);
}
function stranded(rows: string[], selection: string[]) {
  const { seats, taken } = draw(rows);
  return strandedSingles(prepareHall(seats), (i) => taken.has(i), selection);
}
function fix(rows: string[], selection: string[]) {
  const { seats, taken } = draw(rows);
  return strandFix(prepareHall(seats), (i) => taken.has(i), selection);
}

describe('bestAvailable, examples', () => {
  it('takes the middle pair of an empty one-row block', () => {
    expect(best(['......'], { count: 2 })).toEqual({ ok: true, sets: [['A3', 'A4'], ['A1', 'A2'], ['A5', 'A6']] });
  });
  it('never leaves one seat between the set and a wall, taking the leftmost of two equal sets instead', () => {
    const r = best(['.....'], { count: 3 });
    expect(r).toEqual({ ok: true, sets: [['A1', 'A2', 'A3'], ['A3', 'A4', 'A5']] });
  });
  it('never leaves one seat between the set and an aisle or a taken seat', () => {
    expect(best(['... #..#'], { count: 2 })).toEqual({ ok: true, sets: [['A5', 'A6']] });
  });
  it('fills an existing single seat between taken seats (one seat)', () => {
    expect(best(['#.#'], { count: 1 })).toEqual({ ok: true, sets: [['A2']] });
  });
  it('answers not_enough_together for one seat when the only free seats are two side by side', () => {
    expect(best(['#..#'], { count: 1 })).toEqual({ ok: false, reason: 'not_enough_together' });
  });
  it('prefers the row about two thirds back (row index 4 of 0..6) in the centre', () => {
    const r = best(Array(7).fill('..........'), { count: 2 }, { limit: 1 });
    expect(r).toEqual({ ok: true, sets: [['E5', 'E6']] });
  });
  it('prefers the row further back when two rows are as near the sweet spot', () => {
    const r = best(['......', '......', '######', '......'], { count: 2 }, { limit: 2 });
    expect(r).toEqual({ ok: true, sets: [['D3', 'D4'], ['B3', 'B4']] });
  });
  it('keeps to the requested category', () => {
    const r = best(['......', '......', '......'], { count: 2, categoryId: 'front' }, { categories: ['front', 'back', 'back'], limit: 1 });
    expect(r).toEqual({ ok: true, sets: [['A3', 'A4']] });
  });
  it('offers two adjacent pairs in consecutive rows when no row has four together', () => {
    const r = best(['..#..#', '#..#..'], { count: 4 });
    expect(r).toEqual({ ok: true, sets: [['A1', 'A2', 'B2', 'B3'], ['A4', 'A5', 'B5', 'B6']] });
  });
  it('splits an odd count as ceil and floor with overlapping columns', () => {
    const r = best(['#...#.', '#..#..'], { count: 5 }, { limit: 1 });
    expect(r).toEqual({ ok: true, sets: [['A2', 'A3', 'A4', 'B2', 'B3']] });
  });
  it('answers sold_out when fewer seats than asked are free at all', () => {
    expect(best(['#.#.#'], { count: 3 })).toEqual({ ok: false, reason: 'sold_out' });
  });
  it('answers not_enough_together when enough seats are free but none side by side', () => {
    expect(best(['#.#.#.#'], { count: 3 })).toEqual({ ok: false, reason: 'not_enough_together' });
  });
  it('answers sold_out for a category without enough free seats even when others have plenty', () => {
    expect(best(['#.#', '....'], { count: 2, categoryId: 'vip' }, { categories: ['vip', 'std'] })).toEqual({ ok: false, reason: 'sold_out' });
  });
  it('never takes half a couple, nor leaves a free couple counted as a single', () => {
    expect(best(['<><><>'], { count: 1 })).toEqual({ ok: false, reason: 'not_enough_together' });
    expect(best(['{}<>{}'], { count: 2 })).toEqual({ ok: true, sets: [['A3', 'A4']] });
    expect(best(['<><><>'], { count: 2 })).toEqual({ ok: true, sets: [['A3', 'A4'], ['A1', 'A2'], ['A5', 'A6']] });
  });
  it('never picks a couple seat whose partner is not beside it (a broken layout)', () => {
    const { seats } = draw(['....']);
    seats[0]!.pair = 'A3';
    seats[2]!.pair = 'A1';
    expect(bestAvailable(prepareHall(seats), () => false, { count: 2 })).toEqual({ ok: false, reason: 'not_enough_together' });
    expect(bestAvailable(prepareHall(seats), () => false, { count: 1 })).toEqual({ ok: true, sets: [['A2'], ['A4']] });
  });
  it('gives an accessible request for two a wheelchair space with the companion seat beside it', () => {
    expect(best(['wk....kw'], { count: 2, accessible: true })).toEqual({ ok: true, sets: [['A1', 'A2'], ['A7', 'A8']] });
  });
  it('gives an accessible request for one a wheelchair space only', () => {
    expect(best(['w.....'], { count: 1, accessible: true })).toEqual({ ok: true, sets: [['A1']] });
  });
  it('answers sold_out to an accessible request when every wheelchair space is taken', () => {
    const { seats } = draw(['wk....']);
    expect(bestAvailable(prepareHall(seats), (i) => i === 0, { count: 2, accessible: true })).toEqual({ ok: false, reason: 'sold_out' });
  });
  it('never gives a wheelchair space to a request that is not accessible', () => {
    expect(best(['w.w'], { count: 1 })).toEqual({ ok: true, sets: [['A2']] });
    expect(best(['ww'], { count: 1 })).toEqual({ ok: false, reason: 'sold_out' });
  });
  it('gives companion seats to other requests only after every set without them', () => {
    expect(best(['wk.#....'], { count: 2 })).toEqual({ ok: true, sets: [['A5', 'A6'], ['A7', 'A8'], ['A2', 'A3']] });
  });
});

describe('strandedSingles, examples', () => {
  it('names the seat a pick leaves between itself and the wall', () => {
    expect(stranded(['....'], ['A2'])).toEqual(['A1']);
  });
  it('names seats left between the pick and a taken seat or an aisle', () => {
    expect(stranded(['.#.. ...'], ['A4', 'A6'])).toEqual(['A3', 'A5', 'A7']);
  });
  it('does not name a seat that was already single before the pick', () => {
    expect(stranded(['.#..'], ['A3', 'A4'])).toEqual([]);
  });
  it('does not name a free couple unit or a wheelchair space', () => {
    expect(stranded(['<>..'], ['A3', 'A4'])).toEqual([]);
    expect(stranded(['w..'], ['A2', 'A3'])).toEqual([]);
  });
  it('counts the caller’s own seats as free before the pick even when taken says taken', () => {
    expect(stranded(['...##'], ['A4', 'A5'])).toEqual([]);
    expect(stranded(['..##.'], ['A3', 'A4'])).toEqual(['A5']);
  });
  it('names the half of a couple left behind, and missingCoupleHalves names it too', () => {
    const { seats } = draw(['.<>']);
    expect(stranded(['#<>'], ['A2'])).toEqual(['A3']);
    expect(missingCoupleHalves(prepareHall(seats), ['A2'])).toEqual(['A3']);
  });
});

function like(rows: string[], selection: string[], categories?: string[]) {
  const { seats, taken } = draw(rows, categories);
  return nearestLike(prepareHall(seats), (i) => taken.has(i), selection);
}
function again(rows: string[], booked: { seatId: string; category: string }[], categories?: string[]) {
  const { seats, taken } = draw(rows, categories);
  return seatsLike(prepareHall(seats), (i) => taken.has(i), booked);
}

describe('nearestLike and seatsLike (Book again), examples', () => {
  it('gives the same seats back when all are free, even where they would leave a single (the user chose them before)', () => {
    expect(like(['......'], ['A2', 'A3'])).toEqual({ seatIds: ['A2', 'A3'], same: true });
  });
  it('when one of them is taken, moves the party along the same row, keeping the free one and stranding nobody', () => {
    expect(like(['..#....', '.......'], ['A3', 'A4'])).toEqual({ seatIds: ['A4', 'A5'], same: false });
    // A1-A2 would leave A3 alone, A2-A3 would leave A1: past the taken seat instead.
    expect(like(['...#..', '......'], ['A3', 'A4'])).toEqual({ seatIds: ['A5', 'A6'], same: false });
  });
  it('goes to the nearest row, near the same column (further back on a tie), when their row has no room', () => {
    expect(like(['......', '.##.#.', '......'], ['B2', 'B3'])).toEqual({ seatIds: ['C1', 'C2'], same: false });
    expect(like(['......', '.##.#.', '##.###'], ['B2', 'B3'])).toEqual({ seatIds: ['A1', 'A2'], same: false });
  });
  it('stays in their category: never moves a premium party into standard seats', () => {
    expect(like(['......', '##....', '......'], ['B1', 'B2'], ['std', 'premium', 'std'])).toEqual({ seatIds: ['B3', 'B4'], same: false });
    expect(like(['......', '####..', '......'], ['B1', 'B2'], ['std', 'premium', 'std'])).toEqual({ seatIds: ['B5', 'B6'], same: false });
    expect(like(['......', '###.##', '......'], ['B1', 'B2'], ['std', 'premium', 'std'])).toBeNull();
  });
  it('keeps a couple whole, and completes one named by half', () => {
    expect(like(['#<>..'], ['A2'])).toEqual({ seatIds: ['A2', 'A3'], same: false });
    expect(like(['{}..<>'], ['A1', 'A2'])).toEqual({ seatIds: ['A5', 'A6'], same: false });
    // The only free couple would leave A3 and A6 alone: nothing like them.
    expect(like(['{}.<>.'], ['A1', 'A2'])).toBeNull();
  });
  it('answers null for seats this hall does not have (another screen)', () => {
    expect(like(['....'], ['A2', 'Z9'])).toBeNull();
  });
  it('seatsLike says how it found them: the same, the nearest, or best available in their category when the hall is another one', () => {
    const cats = ['std', 'std', 'gold'];
    expect(again(['....', '....', '....'], [{ seatId: 'C2', category: 'gold' }, { seatId: 'C3', category: 'gold' }], cats)).toEqual({ ok: true, seatIds: ['C2', 'C3'], how: 'same' });
    expect(again(['....', '....', '.#..'], [{ seatId: 'C2', category: 'gold' }, { seatId: 'C3', category: 'gold' }], cats)).toEqual({ ok: true, seatIds: ['C3', 'C4'], how: 'nearest' });
    // Another screen: no seat C7 here, so the best pair in gold (C2-C3 would leave C1 and C4 alone).
    expect(again(['....', '....', '....'], [{ seatId: 'C7', category: 'gold' }, { seatId: 'C8', category: 'gold' }], cats)).toEqual({ ok: true, seatIds: ['C1', 'C2'], how: 'best' });
    // No gold here at all: the best pair of any category.
    expect(again(['......'], [{ seatId: 'Q1', category: 'gold' }, { seatId: 'Q2', category: 'gold' }])).toEqual({ ok: true, seatIds: ['A3', 'A4'], how: 'best' });
    expect(again(['##.#', '....', '#.##'], [{ seatId: 'C2', category: 'gold' }, { seatId: 'C3', category: 'gold' }], cats)).toEqual({ ok: false, reason: 'sold_out' });
  });
});

describe('strandFix, examples', () => {
  it('keeps a selection that strands nobody', () => {
    expect(fix(['......'], ['A1', 'A2'])).toEqual(['A1', 'A2']);
  });
  it('shifts a pair by one seat within its row, towards the wall it would strand', () => {
    expect(fix(['......'], ['A2', 'A3'])).toEqual(['A1', 'A2']);
    expect(fix(['#.....'], ['A4', 'A5'])).toEqual(['A5', 'A6']);
  });
  it('prefers the same row, even a single seat further along it, over the row next to it', () => {
    expect(fix(['......', '#..#.#'], ['B2'])).toEqual(['B5']);
  });
  it('moves to the nearest row when the selected row has no place for the party, keeping the column', () => {
    expect(fix(['#........', '#..#####'], ['B2'])).toEqual(['A2']);
    expect(fix(['.........', '#...#####'], ['B2', 'B3'])).toEqual(['A1', 'A2']);
  });
  it('completes a half-selected couple', () => {
    expect(fix(['#<>#'], ['A2'])).toEqual(['A2', 'A3']);
  });
  it('answers null when no set of that size fits anywhere', () => {
    expect(fix(['#..#'], ['A2'])).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random halls, compared with a brute-force oracle written from the rules.
// ---------------------------------------------------------------------------------------------
const mulberry = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const arbRow = fc.record({
  couple: fc.boolean(),
  category: fc.constantFrom('a', 'b'),
  offset: fc.integer({ min: 0, max: 2 }),
  blocks: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 }),
  aisle: fc.integer({ min: 1, max: 2 }),
});
const arbScene = fc.record({
  rows: fc.array(arbRow, { minLength: 1, maxLength: 7 }),
  seed: fc.integer(),
  occupancy: fc.integer({ min: 0, max: 80 }),
  wholeCouples: fc.boolean(),
});
interface Scene {
  seats: PickSeat[];
  taken: boolean[];
}

/** Seats of the drawn rows; wheelchair spaces (15 %), companions beside them (70 %), then occupancy. */
function buildScene(s: typeof arbScene extends fc.Arbitrary<infer T> ? T : never): Scene {
  const rnd = mulberry(s.seed);
  const seats: PickSeat[] = [];
  s.rows.forEach((row, r) => {
    const label = `R${r}`;
    let col = row.offset;
    let number = 0;
    row.blocks.forEach((size, b) => {
      if (b > 0) col += row.aisle;
      const firstInBlock = seats.length;
      for (let k = 0; k < size; k++) {
        number += 1;
        const seat: PickSeat = { id: `${label}-${number}`, row: label, col: col++, category: row.couple ? 'c' : row.category, accessible: false };
        if (row.couple && k % 2 === 1) {
          seat.pair = seats[seats.length - 1]!.id;
          seats[seats.length - 1]!.pair = seat.id;
        }
        seats.push(seat);
      }
      if (row.couple) return;
      for (let k = firstInBlock; k < seats.length; k++) if (rnd() < 0.15) seats[k]!.accessible = true;
      for (let k = firstInBlock; k < seats.length; k++) {
        const nextToWheelchair = (k > firstInBlock && seats[k - 1]!.accessible) || (k + 1 < seats.length && seats[k + 1]!.accessible);
        if (!seats[k]!.accessible && nextToWheelchair && rnd() < 0.7) seats[k]!.companion = true;
      }
    });
  });
  const taken = seats.map(() => rnd() * 100 < s.occupancy);
  if (s.wholeCouples) {
    const at = new Map(seats.map((x, i) => [x.id, i]));
    seats.forEach((x, i) => {
      if (x.pair && i > at.get(x.pair)!) taken[i] = taken[at.get(x.pair)!]!;
    });
  }
  return { seats, taken };
}

/** The brute-force reading of the rules, from nothing but the seat list. */
function oracle(seats: PickSeat[]) {
  const at = new Map(seats.map((x, i) => [x.id, i]));
  const byPlace = new Map(seats.map((x, i) => [`${x.row}|${x.col}`, i]));
  const rows = [...new Set(seats.map((x) => x.row))];
  const rowIndex = (i: number) => rows.indexOf(seats[i]!.row);
  const neighbour = (i: number, d: number) => byPlace.get(`${seats[i]!.row}|${seats[i]!.col + d}`) ?? -1;
  const pairOf = (i: number) => (seats[i]!.pair === undefined ? -1 : (at.get(seats[i]!.pair!) ?? -1));
  const pairBeside = (i: number) => pairOf(i) < 0 || [neighbour(i, -1), neighbour(i, 1)].includes(pairOf(i));
  const alone = (i: number, free: (j: number) => boolean) =>
    free(i) && !seats[i]!.accessible && !free(neighbour(i, -1)) && !free(neighbour(i, 1)) && !(pairOf(i) >= 0 && free(pairOf(i)));
  const stranded = (taken: boolean[], sel: number[]) => {
    const before = (j: number) => j >= 0 && (sel.includes(j) || !taken[j]);
    const after = (j: number) => j >= 0 && !sel.includes(j) && !taken[j];
    return seats.map((_, i) => i).filter((i) => !sel.includes(i) && alone(i, after) && !alone(i, before));
  };
  /** Every block as seat indices left to right. */
  const blocks = rows.flatMap((row) => {
    const inRow = seats.map((_, i) => i).filter((i) => seats[i]!.row === row).sort((a, b) => seats[a]!.col - seats[b]!.col);
    const out: number[][] = [];
    for (const i of inRow) {
      const last = out[out.length - 1];
      if (last && seats[i]!.col - seats[last[last.length - 1]!]!.col === 1) last.push(i);
      else out.push([i]);
    }
    return out;
  });
  const windows = (size: number) => blocks.flatMap((b) => Array.from({ length: Math.max(0, b.length - size + 1) }, (_, k) => b.slice(k, k + size)));
  const hasAccessPair = (set: number[]) =>
    set.some((w) => seats[w]!.accessible && set.some((c) => seats[c]!.companion && Math.abs(seats[c]!.col - seats[w]!.col) === 1 && seats[c]!.row === seats[w]!.row));
  const couplesWhole = (set: number[]) => set.every((i) => pairOf(i) < 0 || set.includes(pairOf(i)));

  function valid(set: number[], taken: boolean[], req: BestRequest) {
    const acc = req.accessible === true;
    if (set.some((i) => taken[i] || !pairBeside(i))) return false;
    if (req.categoryId !== undefined && set.some((i) => seats[i]!.category !== req.categoryId)) return false;
    if (!acc && set.some((i) => seats[i]!.accessible)) return false;
    if (acc && req.count === 1 && !seats[set[0]!]!.accessible) return false;
    if (acc && req.count >= 2 && !hasAccessPair(set)) return false;
    return couplesWhole(set) && stranded(taken, set).length === 0;
  }
  function key(set: number[], split: boolean, req: BestRequest) {
    const n = set.length;
    const cols = seats.map((x) => x.col);
    const centreTwice = Math.min(...cols) + Math.max(...cols);
    const colSum = set.reduce((a, i) => a + seats[i]!.col, 0);
    const rowSum = set.reduce((a, i) => a + rowIndex(i), 0);
    // 36·n² × ((mean col − centre)² + (2 · (mean row − 2/3 · (rows − 1)))²)
    const x = 2 * colSum - n * centreTwice;
    const y = 3 * rowSum - 2 * n * (rows.length - 1);
    const companion = req.accessible !== true && set.some((i) => seats[i]!.companion);
    return { tier: (split ? 1 : 0) + (companion ? 2 : 0), score: 9 * x * x + 16 * y * y, rowSum, minCol: Math.min(...set.map((i) => seats[i]!.col)) };
  }
  function best(taken: boolean[], req: BestRequest, limit: number) {
    const n = req.count;
    const inCategory = (i: number) => !taken[i] && (req.categoryId === undefined || seats[i]!.category === req.categoryId);
    const usable = seats.filter((x, i) => inCategory(i) && (req.accessible || !x.accessible)).length;
    const wheelchairs = seats.filter((x, i) => inCategory(i) && x.accessible).length;
    if (usable < n || (req.accessible && wheelchairs === 0)) return { ok: false as const, reason: 'sold_out' as const };
    const all: { set: number[]; k: ReturnType<typeof key> }[] = [];
    for (const w of windows(n)) if (valid(w, taken, req)) all.push({ set: [...w].sort((a, b) => a - b), k: key(w, false, req) });
    if (n >= 2) {
      const shapes = n % 2 ? [[Math.ceil(n / 2), Math.floor(n / 2)], [Math.floor(n / 2), Math.ceil(n / 2)]] : [[n / 2, n / 2]];
      for (const [a, b] of shapes) {
        for (const w1 of windows(a!)) {
          for (const w2 of windows(b!)) {
            if (rowIndex(w2[0]!) !== rowIndex(w1[0]!) + 1) continue;
            const [c1, c2] = [w1.map((i) => seats[i]!.col), w2.map((i) => seats[i]!.col)];
            if (Math.max(...c2) < Math.min(...c1) || Math.min(...c2) > Math.max(...c1)) continue;
            const set = [...w1, ...w2].sort((p, q) => p - q);
            if (valid(set, taken, req)) all.push({ set, k: key(set, true, req) });
          }
        }
      }
    }
    if (all.length === 0) return { ok: false as const, reason: 'not_enough_together' as const };
    all.sort((p, q) => p.k.tier - q.k.tier || p.k.score - q.k.score || q.k.rowSum - p.k.rowSum || p.k.minCol - q.k.minCol || lexical(p.set, q.set));
    return { ok: true as const, sets: all.slice(0, limit).map((c) => c.set.map((i) => seats[i]!.id)) };
  }
  return { at, rowIndex, neighbour, pairOf, stranded, windows, hasAccessPair, couplesWhole, best, blocks };
}
const lexical = (a: number[], b: number[]) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
};

const arbRequest = fc.record({
  count: fc.integer({ min: 1, max: 6 }),
  categoryId: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
  accessible: fc.option(fc.boolean(), { nil: undefined }),
});
const arbLimit = fc.integer({ min: 1, max: 6 });
const RUNS = { numRuns: 400 };

describe('bestAvailable, properties over random halls and occupancy', () => {
  it('every set is side by side (one block, consecutive cols, or two overlapping groups in consecutive rows), free, in the category, keeps couples whole, honours accessibility and strands nobody', () => {
    fc.assert(
      fc.property(arbScene, arbRequest, arbLimit, (scene, req, limit) => {
        const { seats, taken } = buildScene(scene);
        const o = oracle(seats);
        const r = bestAvailable(prepareHall(seats), (i) => taken[i]!, req, limit);
        if (!r.ok) return;
        expect(r.sets.length).toBeGreaterThan(0);
        expect(r.sets.length).toBeLessThanOrEqual(limit);
        expect(new Set(r.sets.map((s) => s.join())).size).toBe(r.sets.length);
        for (const ids of r.sets) {
          const set = ids.map((id) => o.at.get(id)!);
          expect(set).toHaveLength(req.count);
          expect(set.filter((i) => taken[i])).toEqual([]);
          if (req.categoryId) expect(set.every((i) => seats[i]!.category === req.categoryId)).toBe(true);
          const groups = groupsOf(set, o.neighbour);
          expect(groups.length === 1 || (groups.length === 2 && twoRowSplit(groups, seats, o.rowIndex))).toBe(true);
          expect(o.couplesWhole(set)).toBe(true);
          if (req.accessible && req.count === 1) expect(seats[set[0]!]!.accessible).toBe(true);
          if (req.accessible && req.count >= 2) expect(o.hasAccessPair(set)).toBe(true);
          if (!req.accessible) expect(set.some((i) => seats[i]!.accessible)).toBe(false);
          expect(o.stranded(taken, set)).toEqual([]);
        }
      }),
      RUNS,
    );
  });
  it('returns exactly the best sets among all valid candidates of the brute-force oracle, and the same sold_out / not_enough_together', () => {
    fc.assert(
      fc.property(arbScene, arbRequest, arbLimit, (scene, req, limit) => {
        const { seats, taken } = buildScene(scene);
        expect(bestAvailable(prepareHall(seats), (i) => taken[i]!, req, limit)).toEqual(oracle(seats).best(taken, req, limit));
      }),
      RUNS,
    );
  });
});

/** Maximal runs of side-by-side seats of a set. */
function groupsOf(set: number[], neighbour: (i: number, d: number) => number): number[][] {
  const rest = new Set(set);
  const groups: number[][] = [];
  for (const start of set) {
    if (!rest.has(start) || rest.has(neighbour(start, -1))) continue;
    const g: number[] = [];
    for (let i = start; i >= 0 && rest.has(i); i = neighbour(i, 1)) g.push(i), rest.delete(i);
    groups.push(g);
  }
  return rest.size ? [...groups, [...rest]] : groups;
}
function twoRowSplit(groups: number[][], seats: PickSeat[], rowIndex: (i: number) => number) {
  const [g1, g2] = [...groups].sort((a, b) => rowIndex(a[0]!) - rowIndex(b[0]!)) as [number[], number[]];
  const n = g1.length + g2.length;
  const sizesOk = [g1.length, g2.length].sort().join() === [Math.floor(n / 2), Math.ceil(n / 2)].join();
  const cols = (g: number[]) => g.map((i) => seats[i]!.col);
  const overlap = Math.max(...cols(g2)) >= Math.min(...cols(g1)) && Math.min(...cols(g2)) <= Math.max(...cols(g1));
  return sizesOk && overlap && rowIndex(g2[0]!) === rowIndex(g1[0]!) + 1;
}

describe('strandedSingles and strandFix, properties', () => {
  const arbPick = fc.record({ scene: arbScene, pickSeed: fc.integer(), share: fc.integer({ min: 1, max: 60 }) });
  const pick = (seats: PickSeat[], seed: number, share: number) => {
    const rnd = mulberry(seed);
    return seats.filter(() => rnd() * 100 < share).map((x) => x.id);
  };
  it('strandedSingles equals the brute-force set: free seats alone after the pick that were not alone before', () => {
    fc.assert(
      fc.property(arbPick, ({ scene, pickSeed, share }) => {
        const { seats, taken } = buildScene(scene);
        const o = oracle(seats);
        const selection = pick(seats, pickSeed, share);
        const expected = o.stranded(taken, selection.map((id) => o.at.get(id)!)).map((i) => seats[i]!.id);
        expect(strandedSingles(prepareHall(seats), (i) => taken[i]!, selection)).toEqual(expected);
      }),
      RUNS,
    );
  });
  it('strandFix gives the same number of seats (couples completed), side by side, free (or the selection’s own), in its categories, couples whole, stranding nobody — or the selection itself (completed) when that strands nobody', () => {
    fc.assert(
      fc.property(arbPick, ({ scene, pickSeed, share }) => {
        const { seats, taken } = buildScene(scene);
        const o = oracle(seats);
        const selection = pick(seats, pickSeed, Math.min(share, 20)).slice(0, 5);
        const result = strandFix(prepareHall(seats), (i) => taken[i]!, selection);
        const chosen = selection.map((id) => o.at.get(id)!);
        const fine = o.stranded(taken, chosen).length === 0 && o.couplesWhole(chosen);
        if (fine) {
          expect(result).toEqual(selection);
          return;
        }
        const partners = [...new Set(chosen.map(o.pairOf).filter((p) => p >= 0 && !chosen.includes(p)))];
        const completed = [...chosen, ...partners].sort((p, q) => p - q);
        if (partners.length && partners.every((p) => !taken[p]) && o.stranded(taken, completed).length === 0) {
          expect(result).toEqual(completed.map((i) => seats[i]!.id));
          return;
        }
        if (result === null) return;
        const set = result.map((id) => o.at.get(id)!);
        expect(set).toHaveLength(completed.length);
        expect(set.filter((i) => taken[i] && !chosen.includes(i))).toEqual([]);
        expect(o.couplesWhole(set)).toBe(true);
        expect(groupsOf(set, o.neighbour)).toHaveLength(1);
        expect(set.every((i) => chosen.some((c) => seats[c]!.category === seats[i]!.category))).toBe(true);
        expect(o.couplesWhole(set)).toBe(true);
        const takenWithoutSelection = taken.map((t, i) => t && !chosen.includes(i));
        expect(o.stranded(takenWithoutSelection, set)).toEqual([]);
      }),
      RUNS,
    );
  });
  it('strandFix finds a set whenever a same-size window of plain seats in the selection’s row and category would strand nobody', () => {
    fc.assert(
      fc.property(arbPick, ({ scene, pickSeed, share }) => {
        const { seats, taken } = buildScene(scene);
        const o = oracle(seats);
        const selection = pick(seats, pickSeed, share).slice(0, 1);
        if (selection.length === 0) return;
        const [s] = selection.map((id) => o.at.get(id)!) as [number];
        if (seats[s]!.accessible || seats[s]!.pair) return;
        const free = taken.map((t, i) => t && i !== s);
        const plain = (i: number) => !seats[i]!.accessible && !seats[i]!.companion && seats[i]!.category === seats[s]!.category;
        const exists = o
          .windows(1)
          .some(([i]) => !free[i!] && plain(i!) && seats[i!]!.pair === undefined && o.stranded(free, [i!]).length === 0);
        if (exists) expect(strandFix(prepareHall(seats), (i) => taken[i]!, selection)).not.toBeNull();
      }),
      RUNS,
    );
  });
});
