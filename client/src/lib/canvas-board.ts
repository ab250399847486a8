/**
 * Seat map for very large halls, painted on one canvas: no per-seat elements at all,
 * so 10,000 seats draw in milliseconds and a live change repaints one seat. Keyboard
 * users move a drawn focus ring; the current seat's label is announced through a
 * live region. Halls up to CANVAS_THRESHOLD seats use the DOM board instead, where
 * every seat is an element a screen reader can reach directly.
 */
import type { Seat } from '../../../protocol/schemas.js';
import { rowsOf, type RowSpan, type SeatSource, type SeatView } from './seat-board.js';

export const CANVAS_THRESHOLD = 1000;
const TONES = ['#2a9d8f', '#8e5cd9', '#d48a12', '#c2416b'];
/** Keeps the backing store under ~24 M pixels whatever the zoom and screen density. */
const MAX_PIXELS = 24_000_000;

export class CanvasBoard {
  readonly cols: number;
  readonly rows: RowSpan[];
  private readonly rowOfSeat: Int32Array;
  private readonly at = new Map<string, number>();
  private canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  private seat = 20;
  private pitch = 23;
  private scale = 1;
  private focusIndex = -1;

  constructor(
    private readonly root: HTMLElement,
    private readonly seats: Seat[],
    private readonly toneOf: (category: string) => number,
    private readonly labelOf: (index: number, view: SeatView) => string,
    private readonly announce: (text: string) => void,
  ) {
    this.cols = seats.reduce((m, s) => Math.max(m, s.col + 1), 0);
    this.rows = rowsOf(seats);
    this.rowOfSeat = new Int32Array(seats.length);
    this.rows.forEach((r, y) => {
      for (let i = r.first; i <= r.last; i++) {
        this.rowOfSeat[i] = y;
        this.at.set(`${y}:${seats[i]!.col}`, i);
      }
    });
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('aria-hidden', 'true');
    this.canvas.style.display = 'block';
    root.replaceChildren(this.canvas);
    this.ctx = this.canvas.getContext('2d')!;
  }

  /** True when the size changed (the caller then renders again). */
  setSize(seat: number, pitch: number): boolean {
    if (seat === this.seat && pitch === this.pitch) return false;
    this.seat = seat;
    this.pitch = pitch;
    return true;
  }

  private x(i: number) {
    return (this.seats[i]!.col + 1.3) * this.pitch;
  }
  private y(i: number) {
    return this.rowOfSeat[i]! * this.pitch;
  }

  render(source: SeatSource, focusIndex: number) {
    this.focusIndex = focusIndex;
    const w = (this.cols + 2.6) * this.pitch;
    const h = this.rows.length * this.pitch;
    const dpr = typeof devicePixelRatio === 'number' ? devicePixelRatio : 1;
    this.scale = Math.min(dpr, Math.sqrt(MAX_PIXELS / Math.max(1, w * h)));
    this.canvas.width = Math.ceil(w * this.scale);
    this.canvas.height = Math.ceil(h * this.scale);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    const ctx = this.ctx;
    ctx.setTransform(this.scale, 0, 0, this.scale, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = '#5c5f66';
    ctx.font = `${Math.max(7, Math.min(12, this.seat * 0.55))}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    this.rows.forEach((r, y) => {
      ctx.fillText(r.label, this.pitch * 0.6, y * this.pitch + this.seat / 2);
      ctx.fillText(r.label, (this.cols + 1.9) * this.pitch, y * this.pitch + this.seat / 2);
    });
    this.paintAll(source);
  }

  /** First paint: one path per (state, tone) instead of one per seat. */
  private paintAll(source: SeatSource) {
    const ctx = this.ctx;
    const size = this.seat;
    const bw = Math.max(1, Math.round(size * 0.08));
    const radii = [size * 0.22, size * 0.22, size * 0.12, size * 0.12];
    const groups = new Map<string, number[]>();
    const singles: number[] = [];
    for (let i = 0; i < this.seats.length; i++) {
      const v = source.viewOf(i);
      if (source.isPending(i) || i === this.focusIndex || this.seats[i]!.accessible || size >= 17) {
        singles.push(i); // details (numbers, rings, symbols) are drawn seat by seat
        continue;
      }
      const key = v === 'free' ? `free:${this.toneOf(this.seats[i]!.category) % TONES.length}` : v;
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(i);
    }
    ctx.lineWidth = bw;
    for (const [key, list] of groups) {
      ctx.beginPath();
      // Below ~12 px the rounded corners are invisible; plain rectangles raster much faster.
      if (size < 12) for (const i of list) ctx.rect(this.x(i) + bw / 2, this.y(i) + bw / 2, size - bw, size - bw);
      else for (const i of list) ctx.roundRect(this.x(i) + bw / 2, this.y(i) + bw / 2, size - bw, size - bw, radii);
      const [view, tone] = key.split(':');
      ctx.fillStyle = view === 'free' ? '#fff' : view === 'held' ? '#e3e5e8' : view === 'booked' ? '#5f6368' : '#d6336c';
      ctx.strokeStyle = view === 'free' ? TONES[Number(tone)]! : view === 'held' ? '#9aa0a6' : view === 'booked' ? '#5f6368' : '#a61e4d';
      ctx.fill();
      ctx.stroke();
      if (view !== 'free') for (const i of list) this.mark(i, view as SeatView);
    }
    for (const i of singles) this.draw(i, source.viewOf(i), source.isPending(i));
  }

  /** The symbol that tells states apart without colour: stripes, a cross, a tick. */
  private mark(i: number, view: SeatView) {
    const ctx = this.ctx;
    const x = this.x(i);
    const y = this.y(i);
    const size = this.seat;
    if (view === 'held') {
      ctx.beginPath();
      ctx.moveTo(x + size * 0.2, y + size * 0.8);
      ctx.lineTo(x + size * 0.8, y + size * 0.2);
      ctx.lineWidth = Math.max(1, size * 0.1);
      ctx.strokeStyle = '#8a9096';
      ctx.stroke();
    } else if (size >= 8) {
      ctx.fillStyle = '#fff';
      ctx.font = `700 ${Math.round(size * 0.65)}px system-ui, sans-serif`;
      ctx.fillText(view === 'booked' ? '×' : '✓', x + size / 2, y + size / 2 + 0.5);
    }
  }

  private draw(i: number, view: SeatView, pending: boolean) {
    const ctx = this.ctx;
    const s = this.seats[i]!;
    const x = this.x(i);
    const y = this.y(i);
    const size = this.seat;
    const gap = this.pitch - size;
    ctx.clearRect(x - gap / 2, y - gap / 2, this.pitch, this.pitch);
    const bw = Math.max(1, Math.round(size * 0.08));
    const tone = TONES[this.toneOf(s.category) % TONES.length]!;
    ctx.globalAlpha = pending ? 0.7 : 1;
    ctx.beginPath();
    ctx.roundRect(x + bw / 2, y + bw / 2, size - bw, size - bw, [size * 0.22, size * 0.22, size * 0.12, size * 0.12]);
    ctx.lineWidth = bw;
    if (view === 'free') {
      ctx.fillStyle = '#fff';
      ctx.fill();
      ctx.strokeStyle = tone;
      ctx.stroke();
      if (s.accessible) {
        ctx.beginPath();
        ctx.rect(x + bw * 2.5, y + bw * 2.5, size - bw * 5, size - bw * 5);
        ctx.stroke();
      }
    } else if (view === 'held') {
      ctx.fillStyle = '#e3e5e8';
      ctx.fill();
      ctx.strokeStyle = '#9aa0a6';
      ctx.stroke();
      this.mark(i, view);
    } else {
      ctx.fillStyle = view === 'booked' ? '#5f6368' : '#d6336c';
      ctx.fill();
      ctx.strokeStyle = view === 'booked' ? '#5f6368' : '#a61e4d';
      ctx.stroke();
      this.mark(i, view);
    }
    if (view === 'free' && size >= 17) {
      ctx.fillStyle = '#1d1d1f';
      ctx.font = `${Math.round(size * 0.42)}px system-ui, sans-serif`;
      ctx.fillText(s.accessible ? '♿' : String(s.number), x + size / 2, y + size / 2 + 0.5);
    }
    ctx.globalAlpha = 1;
    if (i === this.focusIndex) {
      ctx.lineWidth = Math.max(2, gap / 2);
      ctx.strokeStyle = '#1864ab';
      ctx.strokeRect(x - gap / 4, y - gap / 4, size + gap / 2, size + gap / 2);
    }
  }

  update(source: SeatSource, changed: number[]) {
    for (const i of changed) this.draw(i, source.viewOf(i), source.isPending(i));
    if (changed.includes(this.focusIndex)) this.announce(this.labelOf(this.focusIndex, source.viewOf(this.focusIndex)));
  }

  relabel(_source: SeatSource) {}

  /** The seat under a point in CSS pixels relative to the board, if any. */
  hit(px: number, py: number): number | undefined {
    const col = Math.floor(px / this.pitch - 1.3);
    const row = Math.floor(py / this.pitch);
    const i = this.at.get(`${row}:${col}`);
    if (i === undefined) return undefined;
    const dx = px - this.x(i);
    const dy = py - this.y(i);
    return dx >= 0 && dy >= 0 && dx <= this.seat && dy <= this.seat ? i : undefined;
  }

  focus(from: number, to: number, source: SeatSource) {
    this.focusIndex = to;
    if (from >= 0 && from < this.seats.length) this.draw(from, source.viewOf(from), source.isPending(from));
    this.draw(to, source.viewOf(to), source.isPending(to));
    this.announce(this.labelOf(to, source.viewOf(to)));
    // Keep the ring in view when the hall is zoomed and scrolled.
    const viewport = this.root.closest('.viewport');
    if (viewport) {
      const x = this.x(to) + this.root.offsetLeft;
      const y = this.y(to) + this.root.offsetTop;
      const { scrollLeft, scrollTop, clientWidth, clientHeight } = viewport;
      if (x < scrollLeft || x + this.seat > scrollLeft + clientWidth || y < scrollTop || y + this.seat > scrollTop + clientHeight) {
        viewport.scrollTo({ left: Math.max(0, x - clientWidth / 2), top: Math.max(0, y - clientHeight / 2) });
      }
    }
  }

  cell(): HTMLElement | undefined {
    return undefined;
  }

  destroy() {
    this.root.replaceChildren();
  }
}
