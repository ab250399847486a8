import { describe, expect, it } from 'vitest';
import { announceDue, clearPass, firstAhead, queueProgress, readPass, savePass, waitWords } from './waiting-room.js';

/** A Storage stand-in: a Map behind getItem/setItem/removeItem. */
function memoryStore() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe('queue progress', () => {
  it('is the share of those ahead at the first join who have gone: 0 at the start, 1/2 halfway, 1 when nobody is left ahead', () => {
    expect(queueProgress(2, 2)).toBe(0);
    expect(queueProgress(2, 1)).toBe(0.5);
    expect(queueProgress(2, 0)).toBe(1);
    expect(queueProgress(0, 0)).toBe(1);
    expect(queueProgress(4, 9)).toBe(0); // never below 0
  });

  it('remembers the first number ahead per show, so a reload keeps the bar where it was; a longer line (a new queue) starts again', () => {
    const store = memoryStore();
    expect(firstAhead(store, 's1', 1233)).toBe(1233);
    expect(firstAhead(store, 's1', 600)).toBe(1233); // the reload: progress is (1233 - 600) / 1233
    expect(firstAhead(store, 's2', 5)).toBe(5);
    expect(firstAhead(store, 's1', 2000)).toBe(2000);
  });
});

describe('the wait in words', () => {
  it('rounds as people say it: under a minute, whole minutes, fives from 10 minutes, hours from an hour', () => {
    expect(waitWords(20)).toEqual({ key: 'queue.waitUnderMinute', n: 1 });
    expect(waitWords(180)).toEqual({ key: 'queue.waitMinutes', n: 3 });
    expect(waitWords(200)).toEqual({ key: 'queue.waitMinutes', n: 3 });
    expect(waitWords(23 * 60)).toEqual({ key: 'queue.waitMinutes', n: 25 });
    expect(waitWords(59 * 60)).toEqual({ key: 'queue.waitMinutes', n: 60 });
    expect(waitWords(130 * 60)).toEqual({ key: 'queue.waitHours', n: 2 });
  });
});

describe('announcing a new place', () => {
  const at = (tenth: number, seconds: number, position: number) => ({ tenth, at: seconds * 1000, position });
  it('speaks at the first place, then only when another tenth of the line has gone or 30 s have passed, never for the same place', () => {
    expect(announceDue(null, at(0, 0, 900))).toBe(true);
    expect(announceDue(at(0, 0, 900), at(0, 2, 880))).toBe(false);
    expect(announceDue(at(0, 0, 900), at(1, 4, 800))).toBe(true);
    expect(announceDue(at(1, 0, 800), at(1, 30, 790))).toBe(true);
    expect(announceDue(at(1, 0, 800), at(1, 60, 800))).toBe(false);
  });
});

describe('the pass', () => {
  it('is kept per show until it expires, then forgotten', () => {
    const store = memoryStore();
    savePass(store, 's1', { pass: 'qp.abc', expiresAt: new Date(10_000).toISOString() });
    expect(readPass(store, 's1', 9_999)).toEqual({ pass: 'qp.abc', expiresAt: 10_000 });
    expect(readPass(store, 's2', 9_999)).toBeNull();
    expect(readPass(store, 's1', 10_000)).toBeNull();
    expect(store.m.has('mm.pass.s1')).toBe(false);
  });

  it('ends the wait: the remembered first place goes, and a cleared or unreadable pass reads as none', () => {
    const store = memoryStore();
    firstAhead(store, 's1', 40);
    savePass(store, 's1', { pass: 'qp.abc', expiresAt: new Date(10_000).toISOString() });
    expect(store.m.has('mm.queue.s1')).toBe(false);
    clearPass(store, 's1');
    expect(readPass(store, 's1', 0)).toBeNull();
    store.setItem('mm.pass.s1', '{not json');
    expect(readPass(store, 's1', 0)).toBeNull();
  });
});
