import { describe, expect, it } from 'vitest';
import type { Seat } from '../../../protocol/schemas.js';
import { PICK_PITCH, clamp, fitScale, maxScaleFor, toWorld, zoomAt, type Frame } from './camera.js';
import { EDGE, SeatLayout } from './seat-layout.js';

const frame = (over: Partial<Frame> = {}): Frame => ({ width: 360, height: 500, worldWidth: 56.6, worldHeight: 52, minScale: 6.2, maxScale: 40, top: 30, bottom: 8, ...over });

describe('camera', () => {
  it('zooming keeps the point under the fingers over the same spot of the hall', () => {
    const f = frame();
    const start = clamp({ scale: 12, x: -100, y: -50 }, f);
    const before = toWorld(start, 200, 300);
    const after = zoomAt(start, 1.7, 200, 300, f);
    const world = toWorld(after, 200, 300);
    expect(after.scale).toBeCloseTo(20.4);
    expect(world.x).toBeCloseTo(before.x, 6);
    expect(world.y).toBeCloseTo(before.y, 6);
  });

  it('never zooms out past Fit nor in past the maximum, and keeps the hall in view', () => {
    const f = frame();
    expect(zoomAt({ scale: 7, x: 0, y: 30 }, 0.1, 0, 0, f).scale).toBe(6.2);
    expect(zoomAt({ scale: 30, x: 0, y: 30 }, 10, 0, 0, f).scale).toBe(40);
    const c = clamp({ scale: 20, x: 500, y: 500 }, f);
    expect([c.x, c.y]).toEqual([0, 30]);
  });

  it('max zoom reaches a 24 px target for the 2,200-seat hall on a 360 px phone', () => {
    const fit = fitScale(344, 44 + 2 + 2 * EDGE);
    expect(fit).toBeLessThan(8);
    expect(maxScaleFor(fit)).toBeGreaterThanOrEqual(PICK_PITCH);
    expect(PICK_PITCH).toBeGreaterThanOrEqual(24);
  });
});

describe('seat layout hit test', () => {
  const seats: Seat[] = [0, 1, 3].map((col, n) => ({ id: `A${n + 1}`, row: 'A', number: n + 1, col, category: 'c', price: 1, status: 'free', accessible: false, ...(n < 2 ? { pair: n === 0 ? 'A2' : 'A1' } : {}) }));
  const layout = new SeatLayout(seats);
  it('a point in a seat, or in the gap beside it, is that seat; an aisle is none', () => {
    expect(layout.hit(EDGE + 0.5, 0.5)).toBe(0);
    expect(layout.hit(EDGE + 0.95, 0.5)).toBe(1); // the gap before seat 2 belongs to seat 2
    expect(layout.hit(EDGE + 2.5, 0.5)).toBeUndefined(); // aisle
    expect(layout.hit(EDGE + 3.2, 0.2)).toBe(2);
    expect(layout.hit(EDGE + 0.5, 1.5)).toBeUndefined(); // below the last row
  });
  it('knows couple halves and blocks', () => {
    expect([layout.pairSide(0), layout.pairSide(1), layout.pairSide(2)]).toEqual(['left', 'right', null]);
    expect(layout.blockOf(1).cols).toBe(2);
  });
});
