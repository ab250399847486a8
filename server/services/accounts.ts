/**
 * Account upkeep: email verification, password reset by emailed one-time link, and
 * password change. Every mail goes through the notification outbox, written in the same
 * transaction as the change it belongs to; the links are signed codes (domain/sessions.ts)
 * rendered when the mail is sent.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { ChangePasswordRequest, ForgotPasswordRequest, ResetPasswordRequest, VerifyEmailRequest } from '../../protocol/index.js';
import type { PasswordRules } from '../domain/passwords.js';
import { fail, ok, type Result } from '../domain/result.js';
import { readResetPasswordCode, readVerifyEmailCode, type SessionPolicy } from '../domain/sessions.js';
import type { Clock, NewNotification, OutboxStore, UserStore } from '../ports.js';
import { verifyEmailNote, type Auth, type Principal, type SignedIn } from './auth.js';

const passwordChangedNote = (userId: string, version: number): NewNotification => ({
  id: `account.password-changed:${userId}:${version}`,
  kind: 'account.password-changed',
  userId,
});

/** VALIDATION naming the password field, from the rules in domain/passwords.ts; null when it is fine. */
export function weakPassword(rules: PasswordRules, password: string, email: string, field = 'password') {
  const problems = rules(password, email);
  if (!problems.length) return null;
  return fail('VALIDATION', { message: `Password ${problems.map((p) => p.message).join('; ')}.`, details: problems.map((p) => ({ path: field, ...p })) });
}

const badLink = (reason: 'link_invalid' | 'link_expired', message: string) => fail('VALIDATION', { message, details: [{ path: 'token', reason, message }] });

export function createAccounts(deps: {
  auth: Auth;
  users: UserStore;
  outbox: OutboxStore;
  clock: Clock;
  codeKey: string;
  sessions: SessionPolicy;
  bcryptCost: number;
  passwordRules: PasswordRules;
  /** A notice was queued: deliver it now rather than at the dispatcher's next round. */
  queued?: (id: string) => void;
}) {
  const { auth, users, outbox, clock } = deps;
  const queued = (id: string) => deps.queued?.(id);

  return {
    /** The password rules' verdict on a new password for `email` (sign-up uses it before an account exists). */
    weakPassword: (password: string, email: string, field?: string) => weakPassword(deps.passwordRules, password, email, field),

    async verifyEmail(req: VerifyEmailRequest): Promise<Result<{ verified: true }>> {
      const code = readVerifyEmailCode(req.token, deps.codeKey, clock.now());
      if (!code) return badLink('link_invalid', 'This verification link is not valid. Use the newest link we sent you.');
      if ('expired' in code) return badLink('link_expired', 'This verification link has expired. Log in and ask for a new one.');
      if (!(await users.markEmailVerified(code.userId))) return badLink('link_invalid', 'This verification link is not valid.');
      return ok({ verified: true });
    },

    async resendVerification(p: Principal): Promise<Result<{ sent: boolean }>> {
      const user = await users.get(p.id);
      if (!user) return fail('UNAUTHENTICATED');
      if (user.emailVerified) return ok({ sent: false });
      const note = verifyEmailNote(user.id, clock.now().toString(36));
      await outbox.add(note, clock.now());
      queued(note.id);
      return ok({ sent: true });
    },

    /** Always the same answer, so it cannot be used to find out who has an account. */
    async forgotPassword(req: ForgotPasswordRequest): Promise<Result<{ sent: true }>> {
      const user = await users.findByEmail(req.email);
      if (user) {
        const now = clock.now();
        const nonce = randomBytes(16).toString('base64url');
        const note: NewNotification = { id: `account.password-reset:${user.id}:${nonce}`, kind: 'account.password-reset', userId: user.id };
        await users.startPasswordReset(user.id, nonce, now + deps.sessions.resetPasswordMs, note, now);
        queued(note.id);
      }
      return ok({ sent: true });
    },

    /** Sets the new password, ends every other session, and signs this client in. */
    async resetPassword(req: ResetPasswordRequest): Promise<Result<SignedIn>> {
      const code = readResetPasswordCode(req.token, deps.codeKey);
      const user = code ? await users.get(code.userId) : null;
      const used = 'This reset link has expired or was already used. Ask for a new one.';
      if (!code || !user) return badLink('link_invalid', 'This reset link is not valid. Use the newest link we sent you.');
      if (user.resetNonce !== code.nonce || (user.resetExpiresAt ?? 0) <= clock.now()) return badLink('link_expired', used);
      const weak = weakPassword(deps.passwordRules, req.password, user.email);
      if (weak) return weak;
      const hash = await bcrypt.hash(req.password, deps.bcryptCost);
      const note = passwordChangedNote(user.id, user.sessionVersion + 1);
      const version = await users.setPassword(user, hash, { nonce: code.nonce, now: clock.now() }, note, clock.now());
      if (version === null) return badLink('link_expired', used);
      queued(note.id);
      auth.sessionsEnded({ userId: user.id, beforeVersion: version });
      return ok(await auth.startSession({ ...user, passwordHash: hash, sessionVersion: version, emailVerified: true }));
    },

    /** Needs the current password; ends every other session and starts a new one here. */
    async changePassword(p: Principal, req: ChangePasswordRequest): Promise<Result<SignedIn>> {
      const user = await users.get(p.id);
      if (!user) return fail('UNAUTHENTICATED');
      if (!(await bcrypt.compare(req.currentPassword, user.passwordHash))) {
        return fail('VALIDATION', { message: 'That is not your current password.', details: [{ path: 'currentPassword', reason: 'wrong_password', message: 'is not your current password' }] });
      }
      const weak = weakPassword(deps.passwordRules, req.newPassword, user.email, 'newPassword');
      if (weak) return weak;
      const hash = await bcrypt.hash(req.newPassword, deps.bcryptCost);
      const note = passwordChangedNote(user.id, user.sessionVersion + 1);
      const version = await users.setPassword(user, hash, { expected: user.passwordHash }, note, clock.now());
      if (version === null) return fail('VALIDATION', { message: 'Your password was changed meanwhile. Please try again.', reason: 'password_changed_meanwhile' });
      queued(note.id);
      auth.sessionsEnded({ userId: user.id, beforeVersion: version });
      return ok(await auth.startSession({ ...user, passwordHash: hash, sessionVersion: version }));
    },
  };
}
export type Accounts = ReturnType<typeof createAccounts>;
