/**
 * Password rules for sign-up, reset and change (pure). Length comes from the protocol
 * schema (8+); here: bcrypt's 72-byte limit, the 10,000 most common passwords from
 * breached-password lists (common-passwords.ts), which are the first ones any guessing
 * attack tries, plus local favourites, the email's name, and variety.
 */
import type { Finding } from './layout.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** Favourites of this product's audience that the global list does not rank. */
const LOCAL = `
india123 bollywood cricket123 hyderabad mumbai123 chennai123 bangalore moviemagic movietime cinema123 letmeinnow
`;

const COMMON = new Set([...COMMON_PASSWORDS.split('\n'), ...LOCAL.split(/\s+/)].filter(Boolean));

export function passwordProblems(password: string, email: string): Finding[] {
  const problems: Finding[] = [];
  if (Buffer.byteLength(password, 'utf8') > 72) problems.push({ reason: 'password_too_long_bytes', params: { max: 72 }, message: 'must be at most 72 bytes' });
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) problems.push({ reason: 'common_password', message: 'is one of the most common passwords; pick another' });
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && lower.includes(local)) problems.push({ reason: 'contains_email_name', message: 'must not contain your email name' });
  if (new Set(password).size < 4) problems.push({ reason: 'too_few_distinct', params: { min: 4 }, message: 'needs at least 4 different characters' });
  return problems;
}
