import type { Layout, Problem } from '../../protocol/index.js';

/** A problem found by a rule, before the caller says which field it belongs to. */
export type Finding = Omit<Problem, 'path'>;

export interface LayoutSeat {
  id: string;
  row: string;
  number: number;
  col: number;
  category: string;
  /** A wheelchair space. */
  accessible: boolean;
  /** A companion seat beside a wheelchair space (absent when not). */
  companion?: boolean;
  /** The other half of a couple seat (absent when not a couple seat). */
  pair?: string;
}

/** One block of a row: the seats between two aisles (or an aisle and a wall), left to right. */
interface Block {
  row: string;
  /** 1-based, left to right. */
  index: number;
  couple: boolean;
  seats: LayoutSeat[];
}

/** Columns a row spans: its seats plus one per aisle. */
const rowWidth = (blocks: number[]) => blocks.reduce((a, b) => a + b, 0) + blocks.length - 1;

/** Ids of the categories whose seats come in two-seat units. */
const coupleCategories = (layout: Layout) => new Set(layout.categories.filter((c) => c.kind === 'couple').map((c) => c.id));

/**
 * The layout's blocks with their seats, numbering each row left to right across aisles.
 * Narrower rows (recliners at the back) are centred under the widest one. Couple seats pair
 * up left to right within their block, (1,2), (3,4)...; an odd last seat stays unpaired
 * (layoutProblems refuses such a layout).
 */
function blocksOf(layout: Layout): Block[] {
  const accessible = new Set(layout.accessible);
  // Layouts stored before seat kinds have no companions.
  const companions = new Set(layout.companions ?? []);
  const couples = coupleCategories(layout);
  const widest = Math.max(...layout.rows.map((r) => rowWidth(r.blocks)));
  const blocks: Block[] = [];
  for (const row of layout.rows) {
    let number = 0;
    let col = Math.floor((widest - rowWidth(row.blocks)) / 2);
    row.blocks.forEach((count, blockIndex) => {
      if (blockIndex > 0) col += 1; // the aisle
      const block: Block = { row: row.label, index: blockIndex + 1, couple: couples.has(row.category), seats: [] };
      for (let i = 0; i < count; i++) {
        number += 1;
        const id = `${row.label}${number}`;
        const seat: LayoutSeat = { id, row: row.label, number, col, category: row.category, accessible: accessible.has(id) };
        if (companions.has(id)) seat.companion = true;
        block.seats.push(seat);
        col += 1;
      }
      if (block.couple) pairUp(block.seats);
      blocks.push(block);
    });
  }
  return blocks;
}

function pairUp(seats: LayoutSeat[]) {
  for (let i = 0; i + 1 < seats.length; i += 2) {
    seats[i]!.pair = seats[i + 1]!.id;
    seats[i + 1]!.pair = seats[i]!.id;
  }
}

/** Expands a layout into its seats, numbering each row left to right across aisles. */
export function seatsOf(layout: Layout): LayoutSeat[] {
  return blocksOf(layout).flatMap((b) => b.seats);
}

/**
 * The seats with their couple partners added (each partner right after its seat, no repeats):
 * the two halves of a couple seat are held, released and sold as one unit.
 */
export function withPartners(seatIds: readonly string[], pairOf: (seatId: string) => string | undefined): string[] {
  const out = new Set<string>();
  for (const id of seatIds) {
    out.add(id);
    const partner = pairOf(id);
    if (partner) out.add(partner);
  }
  return [...out];
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
  const blocks = blocksOf(layout);
  const ids = new Set(blocks.flatMap((b) => b.seats.map((s) => s.id)));
  for (const id of layout.accessible) {
    if (!ids.has(id)) problems.push({ reason: 'accessible_not_in_layout', params: { seat: id }, message: `accessible seat ${id} is not in the layout` });
  }
  problems.push(...coupleProblems(blocks), ...companionProblems(layout, blocks, ids));
  return problems;
}

function coupleProblems(blocks: Block[]): Finding[] {
  return blocks
    .filter((b) => b.couple && b.seats.length % 2 === 1)
    .map((b) => ({
      reason: 'couple_block_odd' as const,
      params: { row: b.row, block: b.index, seats: b.seats.length },
      message: `row ${b.row} block ${b.index} has ${b.seats.length} couple seats; couple seats come in pairs`,
    }));
}

/** Each companion seat must be a seat of the layout, not a wheelchair space itself, and beside one in its block. */
function companionProblems(layout: Layout, blocks: Block[], ids: Set<string>): Finding[] {
  const problems: Finding[] = [];
  const besideWheelchair = new Set<string>();
  for (const { seats } of blocks) {
    seats.forEach((s, i) => {
      if (seats[i - 1]?.accessible || seats[i + 1]?.accessible) besideWheelchair.add(s.id);
    });
  }
  const wheelchair = new Set(layout.accessible);
  for (const id of new Set(layout.companions ?? [])) {
    const params = { seat: id };
    if (!ids.has(id)) problems.push({ reason: 'companion_not_in_layout', params, message: `companion seat ${id} is not in the layout` });
    else if (wheelchair.has(id)) problems.push({ reason: 'companion_is_wheelchair', params, message: `seat ${id} is both a wheelchair space and a companion seat` });
    else if (!besideWheelchair.has(id)) problems.push({ reason: 'companion_not_beside_wheelchair', params, message: `companion seat ${id} is not beside a wheelchair space in its block` });
  }
  return problems;
}

/** Row labels A..Z, then AA..AZ, BA.. for big halls. */
export function rowLabel(index: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (index < 26) return letters[index]!;
  return letters[Math.floor(index / 26) - 1]! + letters[index % 26]!;
}
