/**
 * The most common passwords, from @zxcvbn-ts/language-common (frequencies from
 * breached-password lists, most common first, lower-case; MIT licence, Dan Wheeler,
 * Dropbox and @zxcvbn-ts). Read once at start (~50 ms) and passed to the password rules.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

/** Shorter ones fail the 8-character length rule anyway. */
export const MIN_LENGTH = 8;
export const HOW_MANY = 10_000;

/** The `HOW_MANY` most common passwords of `MIN_LENGTH` characters or more, most common first. */
export function loadCommonPasswords(): string[] {
  const ranked = dictionary['passwords-common'] as readonly string[];
  return ranked.filter((p) => p.length >= MIN_LENGTH).slice(0, HOW_MANY);
}
