/**
 * Password rules for sign-up, reset and change (pure). Length comes from the protocol
 * schema (8+); here: bcrypt's 72-byte limit, the most common passwords (the first ones any
 * guessing attack tries; the list is data, loaded once at start by
 * adapters/common-passwords.ts and passed in), plus local favourites, the email's name,
 * and variety.
 */
import type { Finding } from './layout.js';

/** Favourites of this product's audience that the global list does not rank. */
const LOCAL_FAVOURITES = [
  'india123', 'bollywood', 'cricket123', 'hyderabad', 'mumbai123', 'chennai123', 'bangalore', 'moviemagic', 'movietime', 'cinema123', 'letmeinnow',
];

export type PasswordRules = (password: string, email: string) => Finding[];

/** The rules with `common` (lower-case passwords) and the local favourites refused. */
export function passwordRules(common: Iterable<string>): PasswordRules {
  const refused = new Set([...common, ...LOCAL_FAVOURITES].map((p) => p.toLowerCase()));
  return (password, email) => {
    const problems: Finding[] = [];
    if (Buffer.byteLength(password, 'utf8') > 72) problems.push({ reason: 'password_too_long_bytes', params: { max: 72 }, message: 'must be at most 72 bytes' });
    const lower = password.toLowerCase();
    if (refused.has(lower)) problems.push({ reason: 'common_password', message: 'is one of the most common passwords; pick another' });
    const local = email.split('@')[0]?.toLowerCase() ?? '';
    if (local.length >= 4 && lower.includes(local)) problems.push({ reason: 'contains_email_name', message: 'must not contain your email name' });
    if (new Set(password).size < 4) problems.push({ reason: 'too_few_distinct', params: { min: 4 }, message: 'needs at least 4 different characters' });
    return problems;
  };
}
