import type { Layout, Problem } from '../../protocol/index.js';

/** A problem found by a rule, before the caller says which field it belongs to. */
export type Finding = Omit<Problem, 'path'>;

export interface LayoutSeat {
  id: string;
  row: string;
  number: number;
  col: number;
  category: string;
  accessible: boolean;
}

/** Columns a row spans: its seats plus one per aisle. */
const rowWidth = (blocks: number[]) => blocks.reduce((a, b) => a + b, 0) + blocks.length - 1;

/**
 * Expands a layout into its seats, numbering each row left to right across aisles.
 * Narrower rows (recliners at the back) are centred under the widest one.
 */
export function seatsOf(layout: Layout): LayoutSeat[] {
  const accessible = new Set(layout.accessible);
  const seats: LayoutSeat[] = [];
  const widest = Math.max(...layout.rows.map((r) => rowWidth(r.blocks)));
  for (const row of layout.rows) {
    let number = 0;
    let col = Math.floor((widest - rowWidth(row.blocks)) / 2);
    row.blocks.forEach((count, blockIndex) => {
      if (blockIndex > 0) col += 1; // the aisle
      for (let i = 0; i < count; i++) {
        number += 1;
        const id = `${row.label}${number}`;
        seats.push({ id, row: row.label, number, col, category: row.category, accessible: accessible.has(id) });
        col += 1;
      }
    });
  }
  return seats;
}

/** Problems that make a layout unusable; empty when it is fine. */
export function layoutProblems(layout: Layout): Finding[] {
  const problems: Finding[] = [];
  const categories = new Set(layout.categories.map((c) => c.id));
  const rows = new Set<string>();
  for (const row of layout.rows) {
    const params = { row: row.label };
    if (rows.has(row.label)) problems.push({ reason: 'row_repeated', params, message: `row ${row.label} appears twice` });
    rows.add(row.label);
    if (!categories.has(row.category)) {
      problems.push({ reason: 'unknown_category', params: { ...params, category: row.category }, message: `row ${row.label} has unknown category ${row.category}` });
    }
    const seatsInRow = row.blocks.reduce((a, b) => a + b, 0);
    if (seatsInRow > 999) problems.push({ reason: 'row_too_long', params: { ...params, max: 999 }, message: `row ${row.label} has more than 999 seats` });
  }
  const ids = new Set(seatsOf(layout).map((s) => s.id));
  for (const id of layout.accessible) {
    if (!ids.has(id)) problems.push({ reason: 'accessible_not_in_layout', params: { seat: id }, message: `accessible seat ${id} is not in the layout` });
  }
  return problems;
}

/** Row labels A..Z, then AA..AZ, BA.. for big halls. */
export function rowLabel(index: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (index < 26) return letters[index]!;
  return letters[Math.floor(index / 26) - 1]! + letters[index % 26]!;
}
