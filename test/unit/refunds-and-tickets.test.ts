import { describe, expect, it } from 'vitest';
import { DEFAULT_REFUND_POLICY, parseRefundPolicy, refundFor } from '../../server/domain/refunds.js';
import { readTicketCode, ticketCode } from '../../server/domain/tickets.js';
import { retryDelay, DEFAULT_NOTIFICATION_POLICY } from '../../server/services/notifications.js';

const H = 3_600_000;
const startsAt = Date.UTC(2026, 11, 1, 12, 0);

describe('refund policy (boundaries inclusive)', () => {
  const at = (msBefore: number) => refundFor({ total: 50_001, startsAt, now: startsAt - msBefore, policy: DEFAULT_REFUND_POLICY });
  it('100 % up to exactly 24 h before', () => {
    expect(at(48 * H)).toEqual({ percent: 100, amount: 50_001 });
    expect(at(24 * H)).toEqual({ percent: 100, amount: 50_001 });
  });
  it('50 % from just under 24 h to exactly 2 h before, rounded half up in minor units', () => {
    expect(at(24 * H - 1)).toEqual({ percent: 50, amount: 25_001 });
    expect(at(2 * H)).toEqual({ percent: 50, amount: 25_001 });
  });
  it('nothing after that', () => {
    expect(at(2 * H - 1)).toEqual({ percent: 0, amount: 0 });
    expect(at(0)).toEqual({ percent: 0, amount: 0 });
  });
  it('is configurable as HOURS:PERCENT tiers and rejects nonsense', () => {
    const policy = parseRefundPolicy('2:50, 48:90');
    expect(policy).toEqual([{ hoursBefore: 48, percent: 90 }, { hoursBefore: 2, percent: 50 }]);
    expect(refundFor({ total: 1000, startsAt, now: startsAt - 48 * H, policy })).toEqual({ percent: 90, amount: 900 });
    expect(() => parseRefundPolicy('24=100')).toThrow(/HOURS:PERCENT/);
    expect(() => parseRefundPolicy('24:150')).toThrow(/above 100/);
  });
});

describe('ticket codes', () => {
  const key = 'secret-key-for-tests';
  it('round-trip to the booking id', () => {
    const code = ticketCode('bk_abc123', key);
    expect(code).toMatch(/^MM1\.bk_abc123\.[A-Za-z0-9_-]{22}$/);
    expect(readTicketCode(code, key)).toBe('bk_abc123');
  });
  it('reject any change: another id, another signature, another key, junk', () => {
    const code = ticketCode('bk_abc123', key);
    expect(readTicketCode(code.replace('bk_abc123', 'bk_abc124'), key)).toBeNull();
    expect(readTicketCode(code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A'), key)).toBeNull();
    expect(readTicketCode(code, 'another-key')).toBeNull();
    for (const junk of ['', 'MM1', 'MM1..', 'MM2.bk_abc123.x', 'MM1.bk abc.x', `${code}.extra`]) expect(readTicketCode(junk, key)).toBeNull();
  });
});

describe('notification retry delays', () => {
  it('double from 2 s and stop at 5 min', () => {
    const d = (n: number) => retryDelay(n, DEFAULT_NOTIFICATION_POLICY);
    expect([1, 2, 3, 4].map(d)).toEqual([2000, 4000, 8000, 16_000]);
    expect(d(20)).toBe(300_000);
  });
});

import { droppedBookedSeats, scheduleProblems } from '../../server/domain/schedule.js';

describe('schedule rules', () => {
  const now = Date.UTC(2026, 11, 1, 6, 0);
  const at = (h: number, m = 0) => Date.UTC(2026, 11, 1, h, m);
  const existing = { id: 'a', screenId: 's1', startsAt: at(10), runtimeMinutes: 150 }; // busy 10:00-12:50 with cleaning
  it('accepts a show starting exactly when the previous one and its cleaning end', () => {
    expect(scheduleProblems({ id: 'b', screenId: 's1', startsAt: at(12, 50), runtimeMinutes: 120 }, [existing], now)).toEqual([]);
  });
  it('rejects one starting a minute earlier, or ending into the next one', () => {
    expect(scheduleProblems({ id: 'b', screenId: 's1', startsAt: at(12, 49), runtimeMinutes: 120 }, [existing], now)[0]).toMatchObject({ reason: 'overlaps_show', params: { show: 'a', startsAt: new Date(at(10)).toISOString(), gapMinutes: 20 }, message: expect.stringMatching(/Overlaps show a/) });
    expect(scheduleProblems({ id: 'b', screenId: 's1', startsAt: at(7, 51), runtimeMinutes: 110 }, [existing], now)[0]).toMatchObject({ reason: 'overlaps_show' });
    expect(scheduleProblems({ id: 'b', screenId: 's1', startsAt: at(7, 50), runtimeMinutes: 110 }, [existing], now)).toEqual([]);
  });
  it('ignores other screens and the show itself; rejects the past', () => {
    expect(scheduleProblems({ id: 'b', screenId: 's2', startsAt: at(10), runtimeMinutes: 150 }, [existing], now)).toEqual([]);
    expect(scheduleProblems({ ...existing }, [existing], now)).toEqual([]);
    expect(scheduleProblems({ id: 'c', screenId: 's2', startsAt: now, runtimeMinutes: 100 }, [], now)).toEqual([{ reason: 'starts_in_past', message: 'The start time is in the past.' }]);
  });
  it('lists booked seats a layout would drop', () => {
    expect(droppedBookedSeats(['A1', 'C3', 'A1', 'B2'], new Set(['A1', 'B2']))).toEqual(['C3']);
  });
});
