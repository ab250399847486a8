import type { Layout } from '../../protocol/index.js';

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
export function layoutProblems(layout: Layout): string[] {
  const problems: string[] = [];
  const categories = new Set(layout.categories.map((c) => c.id));
  const rows = new Set<string>();
  for (const row of layout.rows) {
    if (rows.has(row.label)) problems.push(`row ${row.label} appears twice`);
    rows.add(row.label);
    if (!categories.has(row.category)) problems.push(`row ${row.label} has unknown category ${row.category}`);
    const seatsInRow = row.blocks.reduce((a, b) => a + b, 0);
    if (seatsInRow > 999) problems.push(`row ${row.label} has more than 999 seats`);
  }
  const ids = new Set(seatsOf(layout).map((s) => s.id));
  for (const id of layout.accessible) if (!ids.has(id)) problems.push(`accessible seat ${id} is not in the layout`);
  return problems;
}

/** Row labels A..Z, then AA..AZ, BA.. for big halls. */
export function rowLabel(index: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (index < 26) return letters[index]!;
  return letters[Math.floor(index / 26) - 1]! + letters[index % 26]!;
}
