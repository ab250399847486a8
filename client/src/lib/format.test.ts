import { describe, expect, it } from 'vitest';
import { clockTime } from './format.js';

describe('clockTime', () => {
  // 06:18 UTC; the test runs in the machine's zone, so only the shape is asserted.
  const at = Date.UTC(2026, 0, 15, 6, 18);
  it('never breaks between the time and its am/pm or words (no plain spaces)', () => {
    for (const l of ['en-IN', 'hi-IN', 'te-IN']) expect(clockTime(at, l)).not.toMatch(/[ \u202f]/);
  });
  it('says the time of day in words in Hindi and Telugu (not "AM"), as show times do; am/pm in English', () => {
    expect(clockTime(at, 'en-IN')).toMatch(/^\d{1,2}:\d\d\u00a0[ap]m$/);
    expect(clockTime(at, 'hi-IN')).toMatch(/^[\u0900-\u097F\u00a0]+\u00a0\d{1,2}:\d\d$/);
    expect(clockTime(at, 'te-IN')).toMatch(/^\d{1,2}:\d\d\u00a0[\u0C00-\u0C7F\u00a0]+$/);
    for (const l of ['hi-IN', 'te-IN']) expect(clockTime(at, l)).not.toMatch(/[AP]M/i);
  });
});
