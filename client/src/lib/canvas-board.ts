/**
 * Seat map for very large halls, painted on one canvas: no per-seat elements at all,
 * so 10,000 seats draw in milliseconds and a live change repaints one seat. Keyboard
 * users move a drawn focus ring; the current seat's label is announced through a
 * live region. Halls up to CANVAS_THRESHOLD seats use the DOM board instead, where
 * every seat is an element a screen reader can reach directly. Both boards share the
 * geometry (SeatLayout) and the camera, so they look and hit-test the same.
 */
import type { Seat } from '../../../protocol/schemas.js';
import type { RowSpan, SeatLook, SeatSource, SeatView } from './seat-board.js';
import { EDGE, type SeatLayout } from './seat-layout.js';
import { FALLBACK, readSeatTheme, type SeatTheme } from './seat-theme.js';

export const CANVAS_THRESHOLD = 1000;
/** Keeps the backing store under ~24 M pixels whatever the zoom and screen density. */
const MAX_PIXELS = 24_000_000;

export class CanvasBoard {
  readonly cols: number;
  readonly rows: RowSpan[];
  private readonly seats: readonly Seat[];
  private canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  private seat = 20;
  private pitch = 23;
  private scale = 1;
  private focusIndex = -1;
  private theme: SeatTheme = { ...FALLBACK, tones: [...FALLBACK.tones], ink: '#1d1d1f', muted: '#5c5f66', focus: '#1864ab' };

  constructor(
    private readonly root: HTMLElement,
    private readonly layout: SeatLayout,
    private readonly look: SeatLook,
    private readonly announce: (text: string) => void,
  ) {
    this.seats = layout.seats;
    this.cols = layout.cols;
    this.rows = layout.rows;
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
    return this.layout.x(i) * this.pitch;
  }
  private y(i: number) {
    return this.layout.y(i) * this.pitch;
  }

  render(source: SeatSource, focusIndex: number) {
    this.theme = readSeatTheme(this.root);
    this.focusIndex = focusIndex;
    const w = this.layout.width * this.pitch;
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
    ctx.fillStyle = this.theme.muted;
    ctx.font = `${Math.max(7, Math.min(12, this.seat * 0.55))}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    this.rows.forEach((r, y) => {
      ctx.fillText(r.label, this.pitch * 0.6, y * this.pitch + this.seat / 2);
      ctx.fillText(r.label, (this.cols + EDGE + 0.6) * this.pitch, y * this.pitch + this.seat / 2);
    });
    this.paintAll(source);
  }

  private plain(i: number) {
    const s = this.seats[i]!;
    return !s.accessible && !s.companion && !s.pair && this.look.kind(s.category) !== 'recliner';
  }

  /** First paint: one path per (state, tone, faded) instead of one per seat. */
  private paintAll(source: SeatSource) {
    const ctx = this.ctx;
    const size = this.seat;
    const th = this.theme;
    const bw = Math.max(1, Math.round(size * 0.08));
    const radii = [size * 0.22, size * 0.22, size * 0.12, size * 0.12];
    const groups = new Map<string, number[]>();
    const singles: number[] = [];
    for (let i = 0; i < this.seats.length; i++) {
      const v = source.viewOf(i);
      if (source.isPending(i) || i === this.focusIndex || size >= 17 || !this.plain(i)) {
        singles.push(i); // details (numbers, rings, symbols, kinds) are drawn seat by seat
        continue;
      }
      const tone = v === 'free' ? this.look.tone(this.seats[i]!.category) % 4 : 0;
      const key = `${v}:${tone}:${this.look.highlighted(i) ? 1 : 0}`;
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(i);
    }
    ctx.lineWidth = bw;
    for (const [key, list] of groups) {
      const [view, tone, lit] = key.split(':') as [SeatView, string, string];
      ctx.globalAlpha = lit === '1' ? 1 : th.faded;
      ctx.beginPath();
      // Below ~12 px the rounded corners are invisible; plain rectangles raster much faster.
      if (size < 12) for (const i of list) ctx.rect(this.x(i) + bw / 2, this.y(i) + bw / 2, size - bw, size - bw);
      else for (const i of list) ctx.roundRect(this.x(i) + bw / 2, this.y(i) + bw / 2, size - bw, size - bw, radii);
      const [fill, stroke] = this.colours(view, Number(tone));
      ctx.fillStyle = fill;
      ctx.strokeStyle = stroke;
      ctx.fill();
      ctx.stroke();
      if (view !== 'free') for (const i of list) this.mark(i, view);
    }
    ctx.globalAlpha = 1;
    for (const i of singles) this.draw(i, source.viewOf(i), source.isPending(i));
  }

  private colours(view: SeatView, tone: number): [string, string] {
    const th = this.theme;
    if (view === 'free') return [th.free, th.tones[tone % th.tones.length]!];
    if (view === 'held') return [th.held, th.heldStripe];
    if (view === 'booked') return [th.booked, th.booked];
    return [th.mine, th.mineEdge];
  }

  /** The symbol that tells states apart without colour: a stripe, a cross, a tick. */
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
      ctx.strokeStyle = this.theme.heldStripe;
      ctx.stroke();
    } else if (view !== 'free' && size >= 8) {
      ctx.fillStyle = this.theme.mark;
      ctx.font = `700 ${Math.round(size * 0.65)}px system-ui, sans-serif`;
      ctx.fillText(view === 'booked' ? '×' : '✓', x + size / 2, y + size / 2 + 0.5);
    }
  }

  /** The seat's outline: a couple half reaches across the gap to its other half, so the two read as one sofa. */
  private shape(i: number, bw: number) {
    const x = this.x(i);
    const y = this.y(i);
    const size = this.seat;
    const side = this.layout.pairSide(i);
    const r = [size * 0.22, size * 0.22, size * 0.12, size * 0.12];
    this.ctx.beginPath();
    if (side === 'left') this.ctx.roundRect(x + bw / 2, y + bw / 2, this.pitch - bw / 2, size - bw, [r[0]!, 0, 0, r[3]!]);
    else if (side === 'right') this.ctx.roundRect(x, y + bw / 2, size - bw / 2, size - bw, [0, r[1]!, r[2]!, 0]);
    else this.ctx.roundRect(x + bw / 2, y + bw / 2, size - bw, size - bw, r);
  }

  private draw(i: number, view: SeatView, pending: boolean) {
    const ctx = this.ctx;
    const th = this.theme;
    const s = this.seats[i]!;
    const x = this.x(i);
    const y = this.y(i);
    const size = this.seat;
    const gap = this.pitch - size;
    const side = this.layout.pairSide(i);
    const clearX = side === 'right' ? x : x - gap / 2;
    ctx.clearRect(clearX, y - gap / 2, side === 'left' ? this.pitch + gap / 2 : side === 'right' ? size + gap / 2 : this.pitch, this.pitch);
    const bw = Math.max(1, Math.round(size * 0.08));
    const [fill, stroke] = this.colours(view, this.look.tone(s.category));
    ctx.globalAlpha = (pending ? 0.7 : 1) * (this.look.highlighted(i) ? 1 : th.faded);
    this.shape(i, bw);
    ctx.lineWidth = bw;
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.strokeStyle = stroke;
    ctx.stroke();
    const w = side === 'left' ? this.pitch : size;
    // Kinds by shape: a sofa back across a couple, a footrest on a recliner, a dot on a companion seat.
    if (side) ctx.fillRect(x + (side === 'right' ? 0 : bw / 2), y + bw / 2, w - bw / 2, Math.max(bw, size * 0.16));
    if (this.look.kind(s.category) === 'recliner') ctx.fillRect(x + bw / 2, y + size * 0.8, size - bw, size * 0.2 - bw / 2);
    if (view === 'free') ctx.fillStyle = stroke;
    else ctx.fillStyle = view === 'held' ? th.heldStripe : th.mark;
    if (s.companion) {
      ctx.beginPath();
      ctx.arc(x + size * 0.78, y + size * 0.72, Math.max(1.2, size * 0.12), 0, Math.PI * 2);
      ctx.fill();
    }
    if (view !== 'free') this.mark(i, view);
    if (view === 'free' && (size >= 17 || (s.accessible && size >= 7))) {
      ctx.fillStyle = th.ink;
      ctx.font = `${Math.round(size * (s.accessible ? 0.7 : 0.42))}px system-ui, sans-serif`;
      ctx.fillText(s.accessible ? '♿' : String(s.number), x + size / 2, y + size / 2 + 0.5);
    } else if (view === 'free' && s.accessible) {
      ctx.strokeRect(x + bw * 2, y + bw * 2, size - bw * 4, size - bw * 4);
    }
    ctx.globalAlpha = 1;
    if (i === this.focusIndex && this.ringShown()) {
      ctx.lineWidth = Math.max(2, gap / 2);
      ctx.strokeStyle = th.focus;
      ctx.strokeRect(x - gap / 4, y - gap / 4, size + gap / 2, size + gap / 2);
    }
  }

  /** The ring is for keyboard users: a tap or click focuses the canvas too, and should not draw it. */
  private ringShown() {
    if (document.activeElement !== this.root) return false;
    try {
      return this.root.matches(':focus-visible');
    } catch {
      return true;
    }
  }

  /** Focus came or went: draw or clear the ring. */
  redrawFocus(source: SeatSource) {
    const i = this.focusIndex;
    if (i >= 0 && i < this.seats.length) this.draw(i, source.viewOf(i), source.isPending(i));
  }

  update(source: SeatSource, changed: Iterable<number>) {
    const list = [...changed];
    // A couple half's neighbour shares its outline: redraw both.
    for (const i of list) {
      this.draw(i, source.viewOf(i), source.isPending(i));
      const j = this.seats[i]!.pair ? this.layout.indexOf(this.seats[i]!.pair!) : undefined;
      if (j !== undefined && !list.includes(j)) this.draw(j, source.viewOf(j), source.isPending(j));
    }
    if (list.includes(this.focusIndex)) this.announce(this.look.label(this.focusIndex, source.viewOf(this.focusIndex)));
  }

  restyle(source: SeatSource) {
    this.render(source, this.focusIndex);
  }

  relabel(_source: SeatSource) {}

  focus(from: number, to: number, source: SeatSource) {
    this.focusIndex = to;
    if (from >= 0 && from < this.seats.length) this.draw(from, source.viewOf(from), source.isPending(from));
    this.draw(to, source.viewOf(to), source.isPending(to));
    this.announce(this.look.label(to, source.viewOf(to)));
  }

  cell(): HTMLElement | undefined {
    return undefined;
  }

  destroy() {
    this.root.replaceChildren();
  }
}
