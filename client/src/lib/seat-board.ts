/**
 * Draws a seat map as plain DOM, one element per seat, built from one HTML string and
 * updated cell by cell. A Svelte effect per seat costs too much at 10,000 seats; this
 * renders them in a few tens of milliseconds and applies a live change in microseconds.
 * Positions use CSS variables, so zooming changes one variable, not 10,000 styles.
 */
import type { Seat, SeatKind } from '../../../protocol/schemas.js';
import type { SeatLayout } from './seat-layout.js';

export type SeatView = 'free' | 'held' | 'booked' | 'mine';

/** Where the board reads seat states and learns which ones changed. */
export interface SeatSource {
  viewOf(index: number): SeatView;
  isPending(index: number): boolean;
  /** Calls back with changed seat indices, or 'all'; returns an unsubscribe. */
  subscribe(listener: (changed: number[] | 'all') => void): () => void;
}

/** What a board needs to know about a seat besides its state. */
export interface SeatLook {
  tone(category: string): number;
  kind(category: string): SeatKind;
  label(index: number, view: SeatView): string;
  /** False draws the seat faded (it stays tappable). */
  highlighted(index: number): boolean;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export interface RowSpan {
  label: string;
  first: number;
  last: number;
}

export function rowsOf(seats: Seat[]): RowSpan[] {
  const out: RowSpan[] = [];
  seats.forEach((s, i) => {
    const last = out[out.length - 1];
    if (last && last.label === s.row) last.last = i;
    else out.push({ label: s.row, first: i, last: i });
  });
  return out;
}

export class SeatBoard {
  readonly cols: number;
  readonly rows: RowSpan[];
  private readonly seats: readonly Seat[];
  private cells: HTMLElement[] = [];
  private labelled = 0;
  private labelTimer: number | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly layout: SeatLayout,
    private readonly look: SeatLook,
  ) {
    this.seats = layout.seats;
    this.cols = layout.cols;
    this.rows = layout.rows;
  }

  render(source: SeatSource, focusIndex: number) {
    const parts: string[] = [];
    this.rows.forEach((row, y) => {
      parts.push(`<div role="row" class="r"><span class="rl" aria-hidden="true" style="--y:${y}">${escape(row.label)}</span>`);
      for (let i = row.first; i <= row.last; i++) {
        const s = this.seats[i]!;
        const v = source.viewOf(i);
        parts.push(
          `<div role="gridcell" class="${this.classOf(i, v, source.isPending(i))}" data-i="${i}" data-seat="${s.id}" data-state="${v}" ` +
            `aria-selected="${v === 'mine'}" aria-disabled="${v === 'held' || v === 'booked'}" tabindex="${i === focusIndex ? 0 : -1}" ` +
            `style="--x:${s.col};--y:${y}">${s.accessible ? '♿' : s.number}</div>`,
        );
      }
      parts.push(`<span class="rl end" aria-hidden="true" style="--y:${y};--x:${this.cols}">${escape(row.label)}</span></div>`);
    });
    this.root.innerHTML = parts.join('');
    this.cells = Array.from(this.root.querySelectorAll<HTMLElement>('[data-i]'));
    this.labelled = 0;
    this.labelAll(source);
  }

  /** Screen-reader labels: at once for small halls, in idle slices for big ones. */
  private labelAll(source: SeatSource) {
    if (this.labelTimer !== null) clearTimeout(this.labelTimer);
    const step = () => {
      const end = Math.min(this.cells.length, this.labelled + 2000);
      for (let i = this.labelled; i < end; i++) this.cells[i]!.setAttribute('aria-label', this.look.label(i, source.viewOf(i)));
      this.labelled = end;
      this.labelTimer = this.labelled < this.cells.length ? (setTimeout(step, 0) as unknown as number) : null;
    };
    if (this.cells.length <= 3000) step();
    else this.labelTimer = setTimeout(step, 0) as unknown as number;
  }

  private classOf(i: number, v: SeatView, pending: boolean) {
    const s = this.seats[i]!;
    const side = this.layout.pairSide(i);
    const kind = this.look.kind(s.category);
    return (
      `seat s-${v} t${this.look.tone(s.category) % 4}${s.accessible ? ' acc' : ''}${s.companion ? ' cmp' : ''}` +
      `${side === 'left' ? ' pl' : side === 'right' ? ' pr' : ''}${kind === 'recliner' ? ' k-rec' : ''}` +
      `${this.look.highlighted(i) ? '' : ' fd'}${pending ? ' busy' : ''}`
    );
  }

  update(source: SeatSource, changed: Iterable<number>) {
    for (const i of changed) {
      const cell = this.cells[i];
      if (!cell) continue;
      const v = source.viewOf(i);
      cell.className = this.classOf(i, v, source.isPending(i));
      cell.dataset.state = v;
      cell.setAttribute('aria-selected', String(v === 'mine'));
      cell.setAttribute('aria-disabled', String(v === 'held' || v === 'booked'));
      if (i < this.labelled) cell.setAttribute('aria-label', this.look.label(i, v));
    }
  }

  /** The highlight changed: restyle every seat (classes only, no rebuild). */
  restyle(source: SeatSource) {
    for (let i = 0; i < this.cells.length; i++) this.cells[i]!.className = this.classOf(i, source.viewOf(i), source.isPending(i));
  }

  relabel(source: SeatSource) {
    this.labelled = 0;
    this.labelAll(source);
  }

  /** The DOM board follows its CSS variables by itself. */
  setSize(_seat: number, _pitch: number): boolean {
    return false;
  }

  cell(i: number): HTMLElement | undefined {
    return this.cells[i];
  }

  /** Moves the single tab stop (roving tabindex) and focuses the seat; the map brings it into view itself. */
  focus(from: number, to: number, source: SeatSource) {
    const a = this.cells[from];
    const b = this.cells[to];
    if (!b) return;
    if (a) a.tabIndex = -1;
    b.tabIndex = 0;
    if (!b.hasAttribute('aria-label')) b.setAttribute('aria-label', this.look.label(to, source.viewOf(to)));
    b.focus({ preventScroll: true });
  }

  destroy() {
    if (this.labelTimer !== null) clearTimeout(this.labelTimer);
    this.root.innerHTML = '';
  }
}
