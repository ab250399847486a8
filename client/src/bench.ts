/**
 * Seat-grid benchmark page (bench/seat-grid.ts drives it in headless Chromium):
 * renders a synthetic layout and applies a burst of live changes, timing both.
 */
import { flushSync, mount } from 'svelte';
import type { Seat } from '../../protocol/schemas.js';
import { arraySource } from './lib/array-source.js';
import './app.css';
import SeatGrid from './components/SeatGrid.svelte';

const params = new URLSearchParams(location.search);
const total = Number(params.get('seats') ?? 10_000);
const burst = Number(params.get('burst') ?? 500);
const perRow = 100;
const rows = Math.ceil(total / perRow);
const label = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));

const seats: Seat[] = [];
for (let r = 0; r < rows; r++) {
  for (let n = 1; n <= perRow && seats.length < total; n++) {
    const col = n - 1 + (n > 20 ? 1 : 0) + (n > 80 ? 1 : 0);
    seats.push({ id: `${label(r)}${n}`, row: label(r), number: n, col, category: r < rows / 2 ? 'classic' : 'premium', price: 20_000, status: 'free', accessible: false });
  }
}
const source = arraySource(seats.map(() => 'free'));
const categories = [
  { id: 'classic', label: 'Classic', price: 20_000 },
  { id: 'premium', label: 'Premium', price: 26_000 },
];
const frame = () => new Promise<number>((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()))));

async function run() {
  await frame();
  const t0 = performance.now();
  mount(SeatGrid, {
    target: document.getElementById('app')!,
    props: { seats, source, categories, currency: 'INR', onpick: () => undefined },
  });
  flushSync();
  const built = performance.now() - t0;
  const painted = (await frame()) - t0;

  let seed = 42;
  const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const t1 = performance.now();
  source.set(Array.from({ length: burst }, (_, k) => [Math.floor(random() * seats.length), k % 3 === 0 ? 'booked' : 'held']));
  flushSync();
  const applied = performance.now() - t1;
  const burstPainted = (await frame()) - t1;

  // One seat changing, as a click does (optimistic update), to the next frame.
  const t2 = performance.now();
  source.set([[5, 'mine']]);
  flushSync();
  const clickPainted = (await frame()) - t2;

  const gestures = await gestureFrames();

  (window as unknown as { __bench: unknown }).__bench = {
    ...gestures,
    seats: seats.length,
    renderer: (document.querySelector('[data-renderer]') as HTMLElement).dataset.renderer,
    cells: document.querySelectorAll('[role=gridcell]').length,
    firstRenderMs: built,
    firstPaintMs: painted,
    burst,
    burstApplyMs: applied,
    burstPaintMs: burstPainted,
    oneSeatToFrameMs: clickPainted,
  };
}
/**
 * Gesture frames: synthetic touch pointers on the map's viewport, one move per frame. Two
 * figures per move: the frame's own work (handler, transform, then style and layout forced
 * at once: what must fit in 16 ms) and the time to the next frame (bound below by the
 * display's ~16.7 ms refresh). Then the re-layout when the fingers lift (the board redrawn
 * crisp at the new zoom).
 */
async function gestureFrames() {
  const el = document.querySelector<HTMLElement>('.viewport')!;
  const r = el.getBoundingClientRect();
  const cx = r.left + r.width / 2;
  const cy = r.top + Math.min(r.height, innerHeight - r.top) / 2;
  const send = (type: string, id: number, x: number, y: number) =>
    el.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch', isPrimary: id === 1, clientX: x, clientY: y, bubbles: true, cancelable: true, button: 0, buttons: type === 'pointerup' ? 0 : 1 }));
  const frames = 60;
  const board = document.querySelector<HTMLElement>('[data-renderer]')!;
  /** The move's synchronous work: the handler, then the style and layout it causes. */
  const work = (t: number) => {
    board.getBoundingClientRect();
    void board.offsetWidth;
    return performance.now() - t;
  };
  const pinch: number[] = [];
  const pinchWork: number[] = [];
  send('pointerdown', 1, cx - 20, cy);
  send('pointerdown', 2, cx + 20, cy);
  await frame();
  for (let k = 1; k <= frames; k++) {
    const d = 20 + k * 2;
    const t = performance.now();
    send('pointermove', 1, cx - d, cy);
    send('pointermove', 2, cx + d, cy);
    pinchWork.push(work(t));
    pinch.push((await frame()) - t);
  }
  const tUp = performance.now();
  send('pointerup', 1, cx - 20 - frames * 2, cy);
  send('pointerup', 2, cx + 20 + frames * 2, cy);
  await new Promise((res) => setTimeout(res, 5));
  const settleMs = (await frame()) - tUp;
  const pan: number[] = [];
  const panWork: number[] = [];
  send('pointerdown', 3, cx, cy);
  for (let k = 1; k <= frames; k++) {
    const t = performance.now();
    send('pointermove', 3, cx - k * 4, cy - k * 3);
    panWork.push(work(t));
    pan.push((await frame()) - t);
  }
  send('pointerup', 3, cx - frames * 4, cy - frames * 3);
  const q = (list: number[], p: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(list.length * p))]!;
  return {
    scale: Number(el.dataset.scale),
    pinchWorkP50: q(pinchWork, 0.5),
    pinchWorkP99: q(pinchWork, 0.99),
    panWorkP50: q(panWork, 0.5),
    panWorkP99: q(panWork, 0.99),
    pinchP50: q(pinch, 0.5),
    pinchP99: q(pinch, 0.99),
    panP50: q(pan, 0.5),
    panP99: q(pan, 0.99),
    pinchSettleMs: settleMs,
  };
}

void run();
