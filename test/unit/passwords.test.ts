import { describe, expect, it } from 'vitest';
import { loadCommonPasswords } from '../../server/adapters/common-passwords.js';
import { passwordRules } from '../../server/domain/passwords.js';

/** The rules' findings as their reasons (the stable part; messages are for logs). */
const reasons = (rules: ReturnType<typeof passwordRules>, password: string, email: string) => rules(password, email).map((f) => f.reason);

describe('the common-password list (data from @zxcvbn-ts/language-common)', () => {
  const list = loadCommonPasswords();

  it('is the 10,000 most common passwords of 8+ characters, most common first, as shipped before', () => {
    expect(list).toHaveLength(10_000);
    expect(list.every((p) => p.length >= 8 && p === p.toLowerCase())).toBe(true);
    expect(list.slice(0, 5)).toEqual(['password', '12345678', '123456789', 'baseball', 'football']);
    expect(list.at(-1)).toBe('dalmatio');
  });

  it('refuses a known common password (in any case), and the 10,001st is not on the list', () => {
    const rules = passwordRules(list);
    for (const p of ['password', 'sunshine', 'Football', 'dalmatio']) expect(reasons(rules, p, 'x@y.example'), p).toContain('common_password');
    expect(rules('ranger12', 'x@y.example')).toEqual([]);
  });
});

describe('password rules (pure: the list is passed in)', () => {
  const rules = passwordRules(['hunter22']);

  it('refuse what they are given, the local favourites, the email name, too few characters and over 72 bytes', () => {
    expect(rules('hunter22', 'a@b.example').map((f) => f.message)).toEqual(['is one of the most common passwords; pick another']);
    expect(reasons(rules, 'MovieMagic', 'a@b.example')).toEqual(['common_password']);
    expect(reasons(rules, 'priya-rules-1', 'priya@b.example')).toEqual(['contains_email_name']);
    expect(rules('abababab', 'a@b.example')).toEqual([{ reason: 'too_few_distinct', params: { min: 4 }, message: 'needs at least 4 different characters' }]);
    expect(rules('ü'.repeat(37), 'a@b.example')).toContainEqual({ reason: 'password_too_long_bytes', params: { max: 72 }, message: 'must be at most 72 bytes' });
    expect(rules('tamarind-rain-42', 'a@b.example')).toEqual([]);
  });
});
