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
