import { describe, expect, it } from 'vitest';
import { ErrorCode, httpStatus, defaultMessage, Layout } from '../../protocol/index.js';
import { layoutProblems, seatsOf } from '../../server/domain/layout.js';
import { buildDemoCatalog, demoShows, hallLayout } from '../../server/seed/demo.js';

describe('error codes', () => {
  it('are unique, stable strings with a status and a message', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) {
      expect(httpStatus[c]).toBeGreaterThanOrEqual(400);
      expect(defaultMessage[c].length).toBeGreaterThan(5);
    }
    for (const required of ['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'SEAT_TAKEN', 'HOLD_EXPIRED', 'HOLD_LIMIT', 'NO_HOLDS', 'SHOW_CLOSED', 'RATE_LIMITED', 'INTERNAL']) {
      expect(codes).toContain(required);
    }
  });
});

describe('layouts', () => {
  it('number seats across aisles and leave an empty column per aisle', () => {
    const seats = seatsOf({ categories: [{ id: 'c', label: 'C', kind: 'standard' }], rows: [{ label: 'A', category: 'c', blocks: [2, 3] }], accessible: ['A1'], companions: [] });
    expect(seats.map((s) => [s.id, s.col])).toEqual([
      ['A1', 0],
      ['A2', 1],
      ['A3', 3],
      ['A4', 4],
      ['A5', 5],
    ]);
    expect(seats[0]!.accessible).toBe(true);
  });
  it('hall layouts are valid and near their size', () => {
    for (const size of [110, 180, 250, 340, 450, 600, 2200]) {
      const layout = Layout.parse(hallLayout(size));
      expect(layoutProblems(layout)).toEqual([]);
      const n = seatsOf(layout).length;
      expect(Math.abs(n - size) / size).toBeLessThan(0.1);
    }
  });
});

describe('demo catalogue', () => {
  const c = buildDemoCatalog();
  it('has the original cities with Hyderabad first, plus Dubai', () => {
    expect(c.cities.map((x) => x.name)).toEqual(['Hyderabad', 'Mumbai', 'Bangalore', 'Delhi', 'Dubai']);
    expect(c.cities.find((x) => x.name === 'Dubai')).toMatchObject({ timeZone: 'Asia/Dubai', currency: 'AED' });
    expect(c.theatres.length).toBeGreaterThanOrEqual(6);
  });
  it('has the original movies at their prices', () => {
    const shows = demoShows(c, Date.parse('2026-11-25T00:00:00Z'));
    const price = (title: string) => {
      const m = c.movies.find((x) => x.title === title)!;
      return shows.find((s) => s.movieId === m.id && s.currency === 'INR')!.prices.classic;
    };
    expect(price('Pushpa: The Rise')).toBe(18_000);
    expect(price('RRR')).toBe(20_000);
    expect(price('Baahubali 2: The Conclusion')).toBe(22_000);
    expect(price('Sita Ramam')).toBe(19_000);
    expect(price('Bimbisara')).toBe(17_000);
    expect(price('Karthikeya 2')).toBe(17_500);
    expect(new Set(c.movies.flatMap((m) => m.languages)).size).toBeGreaterThan(4);
  });
  it('has screens from ~100 to ~600 seats and one venue of 2,000+', () => {
    const sizes = c.screens.map((s) => seatsOf(s.layout).length);
    expect(Math.min(...sizes)).toBeLessThanOrEqual(120);
    expect(sizes.filter((n) => n >= 550 && n <= 650).length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(2000);
  });
  it('covers 7 days, with stable ids, and no two shows overlapping on a screen', () => {
    const now = Date.parse('2026-11-25T00:00:00Z');
    const shows = demoShows(c, now);
    expect(new Set(shows.map((s) => s.localDate)).size).toBe(7);
    expect(new Set(shows.map((s) => s.id)).size).toBe(shows.length);
    expect(demoShows(c, now).map((s) => s.id)).toEqual(shows.map((s) => s.id));
    const runtime = new Map(c.movies.map((m) => [m.id, m.runtimeMinutes * 60_000]));
    const byScreen = new Map<string, typeof shows>();
    for (const s of shows) byScreen.set(s.screenId, [...(byScreen.get(s.screenId) ?? []), s]);
    for (const list of byScreen.values()) {
      list.sort((a, b) => a.startsAt - b.startsAt);
      for (let i = 1; i < list.length; i++) {
        expect(list[i]!.startsAt).toBeGreaterThanOrEqual(list[i - 1]!.startsAt + runtime.get(list[i - 1]!.movieId)! + 15 * 60_000);
      }
    }
    const dubai = shows.find((s) => s.cityId === 'dubai')!;
    expect(dubai.currency).toBe('AED');
  });
});
