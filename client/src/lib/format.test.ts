import { describe, expect, it } from 'vitest';
import { clockTime, fullWhen, timeIn } from './format.js';

const at = '2026-12-03T07:37:00Z'; // 1:07 in the afternoon in India

describe('times in the reader\'s language', () => {
  it.each(['hi', 'te'])('timeIn in %s has no Latin "AM"/"PM": the day period is a word of the language', (lang) => {
    const text = timeIn(at, 'Asia/Kolkata', `${lang}-IN`);
    expect(text).toContain('1:07');
    expect(text).not.toMatch(/[A-Za-z]/);
  });
  it('timeIn in English keeps its short am/pm', () => {
    expect(timeIn(at, 'Asia/Kolkata', 'en-IN')).toMatch(/^1:07\s?pm$/i);
  });
  it.each(['hi', 'te'])('a show\'s start and end (fullWhen, timeIn) read alike in %s', (lang) => {
    expect(fullWhen(at, 'Asia/Kolkata', `${lang}-IN`, 'Asia/Kolkata')).not.toMatch(/\b(AM|PM|am|pm)\b/);
  });
});

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
