import { describe, expect, it } from 'vitest';
import { fullWhen, timeIn } from './format.js';

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
