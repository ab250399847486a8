/**
 * Seat kinds in layouts: couple seats pair up within their block, companion seats are marked,
 * and each kind-related layout problem is found with its reason and params.
 */
import { describe, expect, it } from 'vitest';
import { Layout } from '../../protocol/index.js';
import { layoutProblems, seatsOf, withPartners } from '../../server/domain/layout.js';
import { hallLayout } from '../../server/seed/demo.js';

/** Row A standard [3,2]; row B couple [4,2]. */
const layout = (over: Partial<Layout> = {}): Layout =>
  Layout.parse({
    categories: [
      { id: 'std', label: 'Standard' },
      { id: 'duo', label: 'Couple', kind: 'couple' },
    ],
    rows: [
      { label: 'A', category: 'std', blocks: [3, 2] },
      { label: 'B', category: 'duo', blocks: [4, 2] },
    ],
    ...over,
  });

const pairs = (l: Layout) => Object.fromEntries(seatsOf(l).filter((s) => s.pair).map((s) => [s.id, s.pair]));
const reasons = (l: Layout) => layoutProblems(l).map((p) => [p.reason, p.params]);

describe('couple seats', () => {
  it('pair up left to right within each block, (1,2), (3,4), and never across an aisle', () => {
    expect(pairs(layout())).toEqual({ B1: 'B2', B2: 'B1', B3: 'B4', B4: 'B3', B5: 'B6', B6: 'B5' });
  });

  it('standard seats have no pair and no companion field at all (snapshots stay small)', () => {
    const a1 = seatsOf(layout()).find((s) => s.id === 'A1')!;
    expect(a1).toEqual({ id: 'A1', row: 'A', number: 1, col: 0, category: 'std', accessible: false });
  });

  it('a couple block with an odd number of seats is a problem naming its row, block and size', () => {
    const odd = layout({ rows: [{ label: 'B', category: 'duo', blocks: [4, 3] }] });
    expect(reasons(odd)).toEqual([['couple_block_odd', { row: 'B', block: 2, seats: 3 }]]);
    // The odd seat out is left unpaired rather than paired across the aisle.
    expect(pairs(odd).B7).toBeUndefined();
  });

  it('withPartners adds each couple partner once, right after its seat', () => {
    const pairOf = (id: string) => pairs(layout())[id];
    expect(withPartners(['B2', 'A1', 'B1', 'B5'], pairOf)).toEqual(['B2', 'B1', 'A1', 'B5', 'B6']);
    expect(withPartners(['A1', 'A2'], pairOf)).toEqual(['A1', 'A2']);
  });
});

describe('wheelchair spaces and companion seats', () => {
  it('a companion seat beside a wheelchair space in its block is marked and fine', () => {
    const l = layout({ accessible: ['A1'], companions: ['A2'] });
    expect(layoutProblems(l)).toEqual([]);
    const seats = seatsOf(l);
    expect(seats.find((s) => s.id === 'A2')).toMatchObject({ companion: true, accessible: false });
    expect(seats.find((s) => s.id === 'A1')).toMatchObject({ accessible: true });
    expect(seats.find((s) => s.id === 'A1')!.companion).toBeUndefined();
  });

  it('a companion seat across the aisle from the wheelchair space is a problem', () => {
    // A3 ends block 1, A4 starts block 2: next to each other in numbers, not beside each other.
    expect(reasons(layout({ accessible: ['A3'], companions: ['A4'] }))).toEqual([['companion_not_beside_wheelchair', { seat: 'A4' }]]);
  });

  it('a companion seat two seats away from the wheelchair space is a problem', () => {
    expect(reasons(layout({ accessible: ['A1'], companions: ['A3'] }))).toEqual([['companion_not_beside_wheelchair', { seat: 'A3' }]]);
  });

  it('a seat cannot be both a wheelchair space and a companion seat', () => {
    expect(reasons(layout({ accessible: ['A1', 'A2'], companions: ['A2'] }))).toEqual([['companion_is_wheelchair', { seat: 'A2' }]]);
  });

  it('a companion seat that is not in the layout is a problem', () => {
    expect(reasons(layout({ accessible: ['A1'], companions: ['C9'] }))).toEqual([['companion_not_in_layout', { seat: 'C9' }]]);
  });

  it('every finding carries an English message for the logs', () => {
    const all = layoutProblems(layout({ rows: [{ label: 'B', category: 'duo', blocks: [3] }], accessible: ['B1'], companions: ['B1', 'Z1'] }));
    expect(all.map((p) => p.reason).sort()).toEqual(['companion_is_wheelchair', 'companion_not_in_layout', 'couple_block_odd']);
    for (const p of all) expect(p.message.length).toBeGreaterThan(10);
  });
});

describe('demo halls', () => {
  it('halls above 150 seats have a VIP row and an even couple row; every wheelchair space has a companion beside it', () => {
    for (const size of [180, 250, 600, 2200]) {
      const l = Layout.parse(hallLayout(size));
      expect(layoutProblems(l)).toEqual([]);
      const kinds = new Set(l.categories.filter((c) => l.rows.some((r) => r.category === c.id)).map((c) => c.kind));
      expect([...kinds].sort()).toEqual(['couple', 'premium', 'recliner', 'standard', 'vip']);
      const seats = seatsOf(l);
      const couple = seats.filter((s) => s.category === 'couple');
      expect(couple.length).toBeGreaterThan(0);
      expect(couple.every((s) => s.pair)).toBe(true);
      expect(seats.filter((s) => s.companion)).toHaveLength(2);
      // The front and back rows stay single seats.
      expect(l.rows[0]!.category).toBe('classic');
      expect(l.rows.at(-1)!.category).toBe('recliner');
    }
  });

  it('the smallest halls keep classic, premium and recliner only', () => {
    const l = Layout.parse(hallLayout(110));
    expect(l.categories.map((c) => c.kind)).toEqual(['standard', 'premium', 'recliner']);
    expect(layoutProblems(l)).toEqual([]);
  });
});
