import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bookingPoints,
  maxRedeemable,
  onCancelled,
  onConfirmed,
  onExpired,
  onPaid,
  onPending,
  onRebooked,
  opensFor,
  pointsEarned,
  tierOf,
  type BookingPoints,
  type LedgerEntry,
  type PointsWrite,
} from '../../server/domain/loyalty.js';

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 1, 12, 0);

describe('points earned and redeemed', () => {
  it('earns one point per ₹10 of tickets paid, rounded down', () => {
    expect(pointsEarned(0)).toBe(0);
    expect(pointsEarned(999)).toBe(0);
    expect(pointsEarned(1_000)).toBe(1);
    expect(pointsEarned(53_099)).toBe(53);
  });
  it('redeems at most 20 % of the tickets (₹1 a point) and never more than the balance', () => {
    expect(maxRedeemable(50_000, 1_000)).toBe(100); // 20 % of ₹500 = ₹100 = 100 points
    expect(maxRedeemable(50_000, 40)).toBe(40);
    expect(maxRedeemable(50_099, 1_000)).toBe(100);
    expect(maxRedeemable(50_000, 0)).toBe(0);
  });
  it('prices the discount from the points asked for, clamps the ask, and earns on what is paid', () => {
    expect(bookingPoints(50_000, 30, 200)).toEqual({ redeem: 30, discount: 3_000, earn: 47 });
    expect(bookingPoints(50_000, 10_000, 200)).toEqual({ redeem: 100, discount: 10_000, earn: 40 });
    expect(bookingPoints(50_000, 0, 200)).toEqual({ redeem: 0, discount: 0, earn: 50 });
    expect(bookingPoints(50_000, 50, 20)).toEqual({ redeem: 20, discount: 2_000, earn: 48 });
  });
});

describe('ledger writes per event', () => {
  const p: BookingPoints = { earn: 47, redeem: 30, discount: 3_000 };
  it('confirm at once pays the points used and credits the points earned, needing the points used', () => {
    expect(onConfirmed(p)).toEqual({ entries: [{ kind: 'redeem', points: -30 }, { kind: 'earn', points: 47 }], delta: 17, need: 30 });
  });
  it('with a gateway: reserve on confirm, earn on capture, return on expiry, pay again on a late rebooking', () => {
    expect(onPending(p)).toEqual({ entries: [{ kind: 'redeem', points: -30 }], delta: -30, need: 30 });
    expect(onPaid(p)).toEqual({ entries: [{ kind: 'earn', points: 47 }], delta: 47, need: 0 });
    expect(onExpired(p)).toEqual({ entries: [{ kind: 'return', points: 30 }], delta: 30, need: 0 });
    expect(onRebooked(p)).toEqual({ entries: [{ kind: 'rebook', points: -30 }, { kind: 'earn', points: 47 }], delta: 17, need: 30 });
  });
  it('writes nothing for a booking without points', () => {
    const none = { earn: 0, redeem: 0, discount: 0 };
    expect([onConfirmed(none), onPending(none), onPaid(none), onExpired(none), onCancelled(none, 100, 0)]).toEqual([null, null, null, null, null]);
  });
  it('cancelling returns the points used by the refund percent and takes back the points earned', () => {
    expect(onCancelled(p, 100, 47)).toEqual({ entries: [{ kind: 'refund', points: 30 }, { kind: 'reverse', points: -47 }], delta: -17, need: 17 });
    expect(onCancelled(p, 50, 47)).toEqual({ entries: [{ kind: 'refund', points: 15 }, { kind: 'reverse', points: -47 }], delta: -32, need: 32 });
    expect(onCancelled(p, 0, 47)).toEqual({ entries: [{ kind: 'reverse', points: -47 }], delta: -47, need: 47 });
  });
  it('takes back only what is left when the points earned were spent meanwhile', () => {
    expect(onCancelled({ earn: 50, redeem: 0, discount: 0 }, 100, 10)).toEqual({ entries: [{ kind: 'reverse', points: -10 }], delta: -10, need: 10 });
    expect(onCancelled({ earn: 50, redeem: 0, discount: 0 }, 100, 0)).toBeNull();
  });

  const points = fc.record({ earn: fc.nat(2_000), redeem: fc.nat(2_000) }).map((r) => ({ ...r, discount: r.redeem * 100 }));
  const applies = (balance: number, w: PointsWrite | null) => (w === null ? balance : balance >= w.need ? balance + w.delta : null);

  it('property: any write that finds its need leaves the balance at zero or more, and its delta is the sum of its entries', () => {
    fc.assert(
      fc.property(points, fc.nat(5_000), fc.integer({ min: 0, max: 100 }), (bp, balance, percent) => {
        for (const w of [onConfirmed(bp), onPending(bp), onPaid(bp), onExpired(bp), onRebooked(bp), onCancelled(bp, percent, balance)]) {
          if (!w) continue;
          expect(w.delta).toBe(w.entries.reduce((s, e) => s + e.points, 0));
          const after = applies(balance, w);
          if (after !== null) expect(after).toBeGreaterThanOrEqual(0);
        }
        // A cancellation computed from the balance it finds always applies.
        expect(applies(balance, onCancelled(bp, percent, balance))).not.toBeNull();
      }),
    );
  });
  it('property: confirm then cancel in full gives back exactly the points used and takes back the points earned', () => {
    fc.assert(
      fc.property(points, fc.nat(5_000), (bp, start) => {
        const balance = start + bp.redeem; // enough to use them
        const afterConfirm = applies(balance, onConfirmed(bp))!;
        const afterCancel = applies(afterConfirm, onCancelled(bp, 100, afterConfirm))!;
        expect(afterCancel).toBe(balance);
      }),
    );
  });
  it('property: a pending booking that expires, or is paid and cancelled in full, ends where it began', () => {
    fc.assert(
      fc.property(points, fc.nat(5_000), (bp, start) => {
        const balance = start + bp.redeem;
        expect(applies(applies(balance, onPending(bp))!, onExpired(bp))).toBe(balance);
        const paid = applies(applies(balance, onPending(bp))!, onPaid(bp))!;
        expect(applies(paid, onCancelled(bp, 100, paid))).toBe(balance);
      }),
    );
  });
});

describe('tiers and early access', () => {
  const earn = (points: number, daysAgo: number): LedgerEntry => ({ kind: 'earn', bookingId: `bk_${daysAgo}`, points, at: now - daysAgo * DAY });
  it('counts the points earned in the last 12 months, less reversals', () => {
    expect(tierOf([], now)).toBe('member');
    expect(tierOf([earn(99, 1)], now)).toBe('member');
    expect(tierOf([earn(100, 1)], now)).toBe('silver');
    expect(tierOf([earn(300, 10), earn(200, 364)], now)).toBe('gold');
    expect(tierOf([earn(300, 10), earn(200, 366)], now)).toBe('silver');
    expect(tierOf([earn(500, 10), { kind: 'reverse', bookingId: 'bk_10', points: -500, at: now - DAY }], now)).toBe('member');
  });
  it('spending points does not lower the tier', () => {
    expect(tierOf([earn(500, 10), { kind: 'redeem', bookingId: 'bk_x', points: -400, at: now - DAY }], now)).toBe('gold');
  });
  it('opens a show to Gold members from its early-access time, to everyone else from opensAt', () => {
    const times = { opensAt: now + DAY, earlyAccessAt: now };
    expect(opensFor('gold', times)).toBe(now);
    expect(opensFor('silver', times)).toBe(now + DAY);
    expect(opensFor('member', times)).toBe(now + DAY);
    expect(opensFor('gold', { opensAt: now + DAY })).toBe(now + DAY);
    expect(opensFor('gold', { opensAt: now, earlyAccessAt: now + DAY })).toBe(now);
  });
});
