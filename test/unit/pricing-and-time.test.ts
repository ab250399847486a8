import { describe, expect, it } from 'vitest';
import { priceBooking } from '../../server/domain/pricing.js';
import { addDays, formatInZone, localDate, offsetMinutes, zonedToUtc } from '../../server/domain/show-time.js';

describe('priceBooking', () => {
  it('sums category prices and adds fee and tax in integer minor units', () => {
    const r = priceBooking(
      [
        { seatId: 'A1', category: 'classic' },
        { seatId: 'A2', category: 'classic' },
        { seatId: 'K1', category: 'recliner' },
      ],
      { classic: 17_500, recliner: 35_000 },
      'INR',
    );
    expect(r.breakdown).toEqual({ tickets: 70_000, convenienceFee: 4_200, tax: 756 });
    expect(r.total).toBe(74_956);
    expect(Number.isInteger(r.total)).toBe(true);
  });
  it('rounds half up per component', () => {
    const r = priceBooking([{ seatId: 'A1', category: 'c' }], { c: 17_525 }, 'INR');
    expect(r.breakdown).toEqual({ tickets: 17_525, convenienceFee: 1_052, tax: 189 });
  });
  it('refuses a seat whose category has no price', () => {
    expect(() => priceBooking([{ seatId: 'A1', category: 'gold' }], { classic: 1 }, 'INR')).toThrow('no price');
  });
});

describe('show times', () => {
  it('converts theatre-local times to UTC and back with the offset', () => {
    const ist = zonedToUtc('2026-11-25', '18:30', 'Asia/Kolkata');
    expect(new Date(ist).toISOString()).toBe('2026-11-25T13:00:00.000Z');
    expect(formatInZone(ist, 'Asia/Kolkata')).toBe('2026-11-25T18:30:00+05:30');
    const dubai = zonedToUtc('2026-11-25', '18:30', 'Asia/Dubai');
    expect(formatInZone(dubai, 'Asia/Dubai')).toBe('2026-11-25T18:30:00+04:00');
    expect(dubai - ist).toBe(90 * 60_000);
  });
  it('handles zones with daylight saving and negative offsets', () => {
    const ny = zonedToUtc('2026-07-01', '09:00', 'America/New_York');
    expect(formatInZone(ny, 'America/New_York')).toBe('2026-07-01T09:00:00-04:00');
    expect(offsetMinutes(zonedToUtc('2026-12-01', '09:00', 'America/New_York'), 'America/New_York')).toBe(-300);
  });
  it('knows the local date', () => {
    const lateUtc = Date.parse('2026-11-25T20:00:00Z');
    expect(localDate(lateUtc, 'Asia/Kolkata')).toBe('2026-11-26');
    expect(localDate(lateUtc, 'UTC')).toBe('2026-11-25');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
