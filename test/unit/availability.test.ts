import { describe, expect, it } from 'vitest';
import { ALMOST_FULL_PERCENT, FILLING_PERCENT, availabilityLevel } from '../../server/domain/availability.js';

describe('availability at a glance', () => {
  it('uses 40 % and 10 % free as the boundaries', () => {
    expect([FILLING_PERCENT, ALMOST_FULL_PERCENT]).toEqual([40, 10]);
  });
  it('is plenty above 40 % free, filling fast at exactly 40 %', () => {
    expect(availabilityLevel(41, 100)).toBe('plenty');
    expect(availabilityLevel(100, 100)).toBe('plenty');
    expect(availabilityLevel(40, 100)).toBe('filling');
  });
  it('is filling fast above 10 % free, almost full at exactly 10 %', () => {
    expect(availabilityLevel(11, 100)).toBe('filling');
    expect(availabilityLevel(10, 100)).toBe('almost_full');
  });
  it('is almost full with one seat left and sold out with none', () => {
    expect(availabilityLevel(1, 100)).toBe('almost_full');
    expect(availabilityLevel(0, 100)).toBe('sold_out');
  });
  it('judges shares exactly in halls whose boundaries fall between seats', () => {
    // 2,200 seats: 880 free is exactly 40 %, 220 exactly 10 %.
    expect(availabilityLevel(881, 2200)).toBe('plenty');
    expect(availabilityLevel(880, 2200)).toBe('filling');
    expect(availabilityLevel(221, 2200)).toBe('filling');
    expect(availabilityLevel(220, 2200)).toBe('almost_full');
    // 7 seats: 2 free is 28.6 % (filling), 1 free is 14.3 % (still filling), none sold out.
    expect(availabilityLevel(3, 7)).toBe('plenty');
    expect(availabilityLevel(2, 7)).toBe('filling');
    expect(availabilityLevel(1, 7)).toBe('filling');
    expect(availabilityLevel(1, 10)).toBe('almost_full');
  });
  it('calls a hall without seats, or with more taken than it has, sold out', () => {
    expect(availabilityLevel(0, 0)).toBe('sold_out');
    expect(availabilityLevel(-3, 50)).toBe('sold_out');
  });
});
