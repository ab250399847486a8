import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Seat } from '../../../protocol/schemas.js';
import { arraySource } from '../lib/array-source.js';
import type { SeatView } from '../lib/seat-board.js';
import SeatGrid from './SeatGrid.svelte';

const categories = [
  { id: 'classic', label: 'Classic', price: 18_000 },
  { id: 'premium', label: 'Premium', price: 21_000 },
];
function seats(): Seat[] {
  const out: Seat[] = [];
  for (const [r, row] of ['F', 'G'].entries()) {
    for (let n = 1; n <= 8; n++) {
      const col = n <= 4 ? n - 1 : n; // an aisle after seat 4
      out.push({ id: `${row}${n}`, row, number: n, col, category: r === 0 ? 'classic' : 'premium', price: r === 0 ? 18_000 : 21_000, status: 'free', accessible: row === 'F' && n === 1 });
    }
  }
  return out;
}
const indexOf = (id: string) => seats().findIndex((s) => s.id === id);
const cell = (id: string) => document.querySelector(`[data-seat="${id}"]`) as HTMLElement;

afterEach(() => document.body.replaceChildren());

describe('SeatGrid', () => {
  it('renders every state differently, with screen-reader labels', () => {
    const views: SeatView[] = seats().map(() => 'free');
    views[indexOf('G7')] = 'mine';
    views[indexOf('G6')] = 'held';
    views[indexOf('G5')] = 'booked';
    render(SeatGrid, { seats: seats(), source: arraySource(views), categories, currency: 'INR' });
    expect(cell('G7').getAttribute('aria-label')).toBe('Row G seat 7, Premium ₹210, Your seat');
    expect(cell('G6').getAttribute('aria-label')).toBe('Row G seat 6, Premium ₹210, Held by someone');
    expect(cell('G5').getAttribute('aria-label')).toBe('Row G seat 5, Premium ₹210, Booked');
    expect(cell('G4').getAttribute('aria-label')).toBe('Row G seat 4, Premium ₹210, Available');
    expect(cell('F1').getAttribute('aria-label')).toBe('Row F seat 1, Classic ₹180, Available, Wheelchair accessible');
    expect(cell('G7').getAttribute('aria-selected')).toBe('true');
    expect(cell('G6').getAttribute('aria-disabled')).toBe('true');
    // Not by colour alone: each state has its own class (tick, stripes, cross).
    expect(['G7', 'G6', 'G5', 'G4'].map((id) => cell(id).dataset.state)).toEqual(['mine', 'held', 'booked', 'free']);
    expect(new Set(['G7', 'G6', 'G5', 'G4'].map((id) => cell(id).className.match(/s-\w+/)![0])).size).toBe(4);
    expect(screen.getByRole('grid').getAttribute('aria-label')).toBe('Seat map, 16 seats');
    expect(screen.getAllByRole('row')).toHaveLength(2);
  });

  it('leaves an empty column for the aisle', () => {
    render(SeatGrid, { seats: seats(), source: arraySource(seats().map(() => 'free')), categories, currency: 'INR' });
    expect([cell('F4').style.getPropertyValue('--x'), cell('F5').style.getPropertyValue('--x')]).toEqual(['3', '5']);
  });

  it('updates only the seats the source says changed', () => {
    const source = arraySource(seats().map(() => 'free'));
    render(SeatGrid, { seats: seats(), source, categories, currency: 'INR' });
    const before = cell('F2');
    source.set([[indexOf('F3'), 'held']]);
    expect(cell('F3').dataset.state).toBe('held');
    expect(cell('F3').getAttribute('aria-label')).toContain('Held by someone');
    expect(cell('F2')).toBe(before); // same element, not re-rendered
  });

  it('picks with a click on the one grid listener, and moves with arrow keys, Enter picks', async () => {
    const onpick = vi.fn();
    render(SeatGrid, { seats: seats(), source: arraySource(seats().map(() => 'free')), categories, currency: 'INR', onpick });
    await fireEvent.click(cell('G2'));
    expect(onpick).toHaveBeenLastCalledWith('G2');
    const grid = screen.getByRole('grid');
    await fireEvent.keyDown(grid, { key: 'ArrowRight' });
    await fireEvent.keyDown(grid, { key: 'ArrowRight' });
    await fireEvent.keyDown(grid, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(cell('F4'));
    await fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onpick).toHaveBeenLastCalledWith('F4');
    await fireEvent.keyDown(grid, { key: 'End' });
    await fireEvent.keyDown(grid, { key: ' ' });
    expect(onpick).toHaveBeenLastCalledWith('F8');
    expect(document.querySelectorAll('[role=gridcell][tabindex="0"]')).toHaveLength(1); // one tab stop
  });
});

describe('SeatGrid kinds, highlight and list mode', () => {
  const kindsSeats = (): Seat[] =>
    seats().map((s) =>
      s.id === 'G1' ? { ...s, pair: 'G2' } : s.id === 'G2' ? { ...s, pair: 'G1' } : s.id === 'F2' ? { ...s, companion: true } : s,
    );
  const kinds = [
    { id: 'classic', label: 'Classic', price: 18_000, kind: 'standard' as const },
    { id: 'premium', label: 'Recliner', price: 21_000, kind: 'recliner' as const },
  ];

  it('draws couple halves, companions, wheelchair spaces and recliners by shape, and says so', () => {
    render(SeatGrid, { seats: kindsSeats(), source: arraySource(seats().map(() => 'free')), categories: kinds, currency: 'INR' });
    expect(cell('G1').className).toMatch(/\bpl\b/);
    expect(cell('G2').className).toMatch(/\bpr\b/);
    expect(cell('F2').className).toMatch(/\bcmp\b/);
    expect(cell('F1').className).toMatch(/\bacc\b/);
    expect(cell('F1').textContent).toBe('♿');
    expect(cell('G3').className).toMatch(/\bk-rec\b/);
    expect(cell('F3').className).not.toMatch(/\b(pl|pr|cmp|acc|k-rec)\b/);
    expect(cell('G1').getAttribute('aria-label')).toContain('couple seat, sold together with G2');
    expect(cell('F2').getAttribute('aria-label')).toContain('companion seat');
  });

  it('fades seats the highlight leaves out, and they stay pickable', async () => {
    const onpick = vi.fn();
    render(SeatGrid, { seats: seats(), source: arraySource(seats().map(() => 'free')), categories, currency: 'INR', onpick, highlight: (s: Seat) => s.row === 'G' });
    expect(cell('F3').className).toMatch(/\bfd\b/);
    expect(cell('G3').className).not.toMatch(/\bfd\b/);
    await fireEvent.click(cell('F3'));
    expect(onpick).toHaveBeenLastCalledWith('F3');
  });

  it('list mode: choose a row, then its free seats are buttons that pick', async () => {
    const onpick = vi.fn();
    const views: SeatView[] = seats().map(() => 'free');
    views[indexOf('G2')] = 'booked';
    views[indexOf('G3')] = 'mine';
    render(SeatGrid, { seats: seats(), source: arraySource(views), categories, currency: 'INR', onpick });
    await fireEvent.click(screen.getByRole('button', { name: 'Seat list' }));
    const select = screen.getByRole('combobox', { name: 'Row' }) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Row F: 8 free', 'Row G: 6 free']);
    await fireEvent.change(select, { target: { value: '1' } });
    const list = screen.getByRole('list', { name: 'Available seats in row G' });
    const buttons = [...list.querySelectorAll('button')];
    expect(buttons.map((b) => b.dataset.seat)).toEqual(['G1', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8']);
    expect(list.querySelector('[data-seat=G3]')!.getAttribute('aria-pressed')).toBe('true');
    await fireEvent.click(list.querySelector('[data-seat=G4]')!);
    expect(onpick).toHaveBeenLastCalledWith('G4');
  });
});
