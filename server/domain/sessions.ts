/**
 * Session rules (pure). A login starts a *family*: a chain of refresh tokens of which
 * only the newest is good. Each refresh trades it for the next one (rotation). A token
 * that was already traded is evidence of theft (the thief or the owner is replaying an
 * old copy), so presenting one ends the whole family: both parties must log in again.
 *
 * Refresh tokens are signed codes `MMR1.<familyId>.<counter>.<sig>`: the store keeps the
 * family's current counter, never a token, so a copy of the database mints nothing.
 */
import { readCode, signCode, type CodeKind } from './signed-codes.js';

export const REFRESH_CODE: CodeKind = { prefix: 'MMR1', purpose: 'refresh', fields: 2 };
/** Emailed: `MMV1.<userId>.<expires epoch s>.<sig>`. */
export const VERIFY_EMAIL_CODE: CodeKind = { prefix: 'MMV1', purpose: 'verify-email', fields: 2 };
/** Emailed: `MMP1.<userId>.<nonce>.<sig>`; the user item holds the one live nonce and its expiry. */
export const RESET_PASSWORD_CODE: CodeKind = { prefix: 'MMP1', purpose: 'password-reset', fields: 2 };

export interface SessionPolicy {
  /** Access token (JWT) lifetime. */
  accessMs: number;
  /** A refresh token unused this long expires (sliding); each rotation extends it. */
  refreshIdleMs: number;
  /** No family lives longer than this, however active (then: log in again). */
  refreshMaxMs: number;
  verifyEmailMs: number;
  resetPasswordMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  accessMs: 15 * 60_000,
  refreshIdleMs: 30 * 24 * 3600_000,
  refreshMaxMs: 90 * 24 * 3600_000,
  verifyEmailMs: 3 * 24 * 3600_000,
  resetPasswordMs: 60 * 60_000,
};

export interface SessionFamily {
  id: string;
  userId: string;
  /** The user's sessionVersion when the family began; bumping it ends every family. */
  sessionVersion: number;
  /** The counter of the one refresh token that is good now. */
  counter: number;
  createdAt: number;
  /** Epoch ms: idle expiry, moved forward by each rotation, never past createdAt + refreshMaxMs. */
  expiresAt: number;
  revokedAt?: number;
  revokedReason?: string;
}

export type RefreshVerdict =
  | { kind: 'rotate'; expiresAt: number }
  | { kind: 'reuse' }
  | { kind: 'ended'; why: 'unknown' | 'revoked' | 'expired' | 'signed-out' };

export function judgeRefresh(
  family: SessionFamily | null,
  presentedCounter: number,
  userSessionVersion: number | null,
  now: number,
  policy: SessionPolicy,
): RefreshVerdict {
  if (!family) return { kind: 'ended', why: 'unknown' };
  if (family.revokedAt !== undefined) return { kind: 'ended', why: 'revoked' };
  if (family.expiresAt <= now) return { kind: 'ended', why: 'expired' };
  if (userSessionVersion === null || userSessionVersion !== family.sessionVersion) return { kind: 'ended', why: 'signed-out' };
  // A higher counter than the store's cannot come from us; treat it like a replay.
  if (presentedCounter !== family.counter) return { kind: 'reuse' };
  return { kind: 'rotate', expiresAt: Math.min(now + policy.refreshIdleMs, family.createdAt + policy.refreshMaxMs) };
}

export const refreshCode = (familyId: string, counter: number, key: string) => signCode(REFRESH_CODE, [familyId, String(counter)], key);

export function readRefreshCode(code: string, key: string): { familyId: string; counter: number } | null {
  const fields = readCode(REFRESH_CODE, code, key);
  if (!fields || !/^\d{1,9}$/.test(fields[1]!)) return null;
  return { familyId: fields[0]!, counter: Number(fields[1]) };
}

export const verifyEmailCode = (userId: string, expiresAt: number, key: string) =>
  signCode(VERIFY_EMAIL_CODE, [userId, String(Math.floor(expiresAt / 1000))], key);

/** The user id of a genuine, unexpired verification code. */
export function readVerifyEmailCode(code: string, key: string, now: number): { userId: string } | { expired: true } | null {
  const fields = readCode(VERIFY_EMAIL_CODE, code, key);
  if (!fields || !/^\d{1,12}$/.test(fields[1]!)) return null;
  return Number(fields[1]) * 1000 <= now ? { expired: true } : { userId: fields[0]! };
}

export const resetPasswordCode = (userId: string, nonce: string, key: string) => signCode(RESET_PASSWORD_CODE, [userId, nonce], key);

export function readResetPasswordCode(code: string, key: string): { userId: string; nonce: string } | null {
  const fields = readCode(RESET_PASSWORD_CODE, code, key);
  return fields ? { userId: fields[0]!, nonce: fields[1]! } : null;
}
