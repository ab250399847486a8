import { describe, expect, it } from 'vitest';
import { isLive, planConfirm, planHold, planRelease, type Cart } from '../../server/domain/holds.js';
import { statusOfEntry } from '../../server/domain/seat-state.js';

const policy = { holdMs: 480_000, maxSeatsPerUser: 4 };
const show = { startsAt: 10_000_000, seatIds: new Set(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']) };
const cart = (seatIds: string[], expiresAt: number): Cart => ({ seatIds, expiresAt });

describe('planHold', () => {
  it('starts a new timer when there is no live cart', () => {
    expect(planHold({ show, cart: null, requested: ['A1'], now: 1000, policy })).toEqual({
      ok: true,
      value: { newSeats: ['A1'], cart: { seatIds: ['A1'], expiresAt: 481_000 } },
    });
  });
  it('adds seats to a live cart under its expiry, skipping seats already held', () => {
    const r = planHold({ show, cart: cart(['A1'], 5000), requested: ['A1', 'A2'], now: 4999, policy });
    expect(r).toEqual({ ok: true, value: { newSeats: ['A2'], cart: { seatIds: ['A1', 'A2'], expiresAt: 5000 } } });
  });
  it('treats a cart expiring exactly now as expired (expiresAt <= now is free)', () => {
    const r = planHold({ show, cart: cart(['A1'], 5000), requested: ['A2'], now: 5000, policy });
    expect(r).toEqual({ ok: true, value: { newSeats: ['A2'], cart: { seatIds: ['A2'], expiresAt: 485_000 } } });
  });
  it('starts a fresh full timer once every seat was released (an empty cart has no timer)', () => {
    const r = planHold({ show, cart: cart([], 5000), requested: ['A2'], now: 4000, policy });
    expect(r).toEqual({ ok: true, value: { newSeats: ['A2'], cart: { seatIds: ['A2'], expiresAt: 484_000 } } });
  });
  it('limits seats per user across requests', () => {
    const r = planHold({ show, cart: cart(['A1', 'A2', 'A3'], 9000), requested: ['A4', 'A5'], now: 1, policy });
    expect(r).toMatchObject({ ok: false, error: { code: 'HOLD_LIMIT' } });
    expect(planHold({ show, cart: cart(['A1', 'A2', 'A3'], 9000), requested: ['A4'], now: 1, policy }).ok).toBe(true);
  });
  it('rejects unknown seats with VALIDATION naming them', () => {
    const r = planHold({ show, cart: null, requested: ['A1', 'Z9'], now: 1, policy });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: [{ path: 'seatIds' }] } });
    expect(!r.ok && r.error.message).toContain('Z9');
  });
  it('closes at the show start, inclusive', () => {
    expect(planHold({ show, cart: null, requested: ['A1'], now: show.startsAt - 1, policy }).ok).toBe(true);
    expect(planHold({ show, cart: null, requested: ['A1'], now: show.startsAt, policy })).toMatchObject({
      ok: false,
      error: { code: 'SHOW_CLOSED' },
    });
  });
});

describe('planRelease', () => {
  it('releases only seats in the live cart', () => {
    expect(planRelease({ cart: cart(['A1', 'A2'], 5000), requested: ['A2', 'A3'], now: 1 })).toEqual({
      released: ['A2'],
      cart: { seatIds: ['A1'], expiresAt: 5000 },
    });
  });
  it('is a no-op for expired carts and foreign seats', () => {
    expect(planRelease({ cart: cart(['A1'], 5000), requested: ['A1'], now: 5000 })).toBeNull();
    expect(planRelease({ cart: cart(['A1'], 5000), requested: ['A3'], now: 1 })).toBeNull();
    expect(planRelease({ cart: null, requested: ['A1'], now: 1 })).toBeNull();
  });
});

describe('planConfirm', () => {
  it('needs holds', () => {
    expect(planConfirm({ show, cart: null, now: 1 })).toMatchObject({ ok: false, error: { code: 'NO_HOLDS' } });
    expect(planConfirm({ show, cart: cart([], 5000), now: 1 })).toMatchObject({ ok: false, error: { code: 'NO_HOLDS' } });
  });
  it('names the expired seats', () => {
    expect(planConfirm({ show, cart: cart(['A1', 'A2'], 5000), now: 5000 })).toMatchObject({
      ok: false,
      error: { code: 'HOLD_EXPIRED', seatIds: ['A1', 'A2'] },
    });
  });
  it('books every live seat', () => {
    expect(planConfirm({ show, cart: cart(['A1', 'A2'], 5000), now: 4999 })).toEqual({ ok: true, value: { seatIds: ['A1', 'A2'] } });
  });
});

describe('statusOf', () => {
  it('judges holds with the clock', () => {
    const held = { status: 'held' as const, userId: 'u', expiresAt: 100, at: 1 };
    expect(statusOfEntry(undefined, 0)).toBe('free');
    expect(statusOfEntry(held, 99)).toBe('held');
    expect(statusOfEntry(held, 100)).toBe('free');
    expect(statusOfEntry({ ...held, status: 'booked', expiresAt: undefined }, 1e12)).toBe('booked');
    expect(statusOfEntry({ status: 'free', at: 5 }, 0)).toBe('free');
    expect(isLive(cart(['A1'], 100), 100)).toBe(false);
  });
});
