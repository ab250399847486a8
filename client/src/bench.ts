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

  (window as unknown as { __bench: unknown }).__bench = {
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
void run();
