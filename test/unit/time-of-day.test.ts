/** The home page's time-of-day filter rule, by the theatre's own clock (never the machine's). */
import { describe, expect, it } from 'vitest';
import { timeOfDay, zonedToUtc } from '../../server/domain/show-time.js';

const at = (time: string, timeZone: string, date = '2026-12-03') => timeOfDay(zonedToUtc(date, time, timeZone), timeZone);

describe('timeOfDay', () => {
  it.each(['Asia/Kolkata', 'Asia/Dubai'])('in %s: morning to 11:59, afternoon 12:00–16:59, evening 17:00–20:59, night from 21:00', (zone) => {
    expect([at('00:00', zone), at('09:30', zone), at('11:59', zone)]).toEqual(['morning', 'morning', 'morning']);
    expect([at('12:00', zone), at('16:59', zone)]).toEqual(['afternoon', 'afternoon']);
    expect([at('17:00', zone), at('20:59', zone)]).toEqual(['evening', 'evening']);
    expect([at('21:00', zone), at('23:59', zone)]).toEqual(['night', 'night']);
  });

  it('reads the theatre-local hour: 21:00 in Hyderabad is 19:30 in Dubai (night there, evening here)', () => {
    const instant = zonedToUtc('2026-12-03', '21:00', 'Asia/Kolkata');
    expect(timeOfDay(instant, 'Asia/Kolkata')).toBe('night');
    expect(timeOfDay(instant, 'Asia/Dubai')).toBe('evening');
    // 11:59 in Dubai is 13:29 in India: morning in the Dubai theatre, whatever zone the machine is in.
    expect(timeOfDay(zonedToUtc('2026-12-03', '11:59', 'Asia/Dubai'), 'Asia/Dubai')).toBe('morning');
    expect(timeOfDay(zonedToUtc('2026-12-03', '11:59', 'Asia/Dubai'), 'Asia/Kolkata')).toBe('afternoon');
  });

  it('classifies the listing’s ISO start time with its offset as the client does (Date.parse + the show’s zone)', () => {
    expect(timeOfDay(Date.parse('2026-12-03T11:59:00+05:30'), 'Asia/Kolkata')).toBe('morning');
    expect(timeOfDay(Date.parse('2026-12-03T12:00:00+05:30'), 'Asia/Kolkata')).toBe('afternoon');
    expect(timeOfDay(Date.parse('2026-12-03T16:59:00+04:00'), 'Asia/Dubai')).toBe('afternoon');
    expect(timeOfDay(Date.parse('2026-12-03T17:00:00+04:00'), 'Asia/Dubai')).toBe('evening');
    expect(timeOfDay(Date.parse('2026-12-03T20:59:00+04:00'), 'Asia/Dubai')).toBe('evening');
    expect(timeOfDay(Date.parse('2026-12-03T21:00:00+04:00'), 'Asia/Dubai')).toBe('night');
  });

  it('follows the wall clock across a daylight-saving change (London, clocks go forward on 29 March 2026)', () => {
    expect(at('11:59', 'Europe/London', '2026-03-29')).toBe('morning');
    expect(at('12:00', 'Europe/London', '2026-03-29')).toBe('afternoon');
    expect(at('20:59', 'Europe/London', '2026-03-28')).toBe('evening');
    expect(at('21:00', 'Europe/London', '2026-03-28')).toBe('night');
  });
});
