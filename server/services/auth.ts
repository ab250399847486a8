/**
 * Sign-up, log-in and sessions: short-lived access JWTs plus rotating refresh tokens
 * (domain/sessions.ts). Every check that matters reads the user's sessionVersion, so
 * "log out everywhere" and password changes take effect at once, not at token expiry.
 */
import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import jwt from 'jsonwebtoken';
import type { Logger } from 'pino';
import { Role, type AuthResponse, type LoginRequest, type RegisterRequest, type User } from '../../protocol/index.js';
import { fail, ok, type Result } from '../domain/result.js';
import { judgeRefresh, readRefreshCode, refreshCode, type SessionPolicy } from '../domain/sessions.js';
import type { Clock, NewNotification, SessionStore, UserRecord, UserStore } from '../ports.js';

export interface AuthConfig {
  jwtSecret: string;
  bcryptCost: number;
  sessions: SessionPolicy;
  /** Unverified accounts may browse and hold, but not confirm. */
  requireVerifiedEmail: boolean;
  /** false: public sign-ups start verified, with no mail (load-test rigs only). */
  verifyEmailOnSignUp: boolean;
}

export interface Principal {
  id: string;
  name: string;
  email: string;
  role: User['role'];
  /** Theatres a staff member works at. */
  theatreIds: string[];
  emailVerified: boolean;
  /** The session family the token belongs to. */
  sessionId: string;
  sessionVersion: number;
  /** When the access token stops being valid (epoch ms); sockets are told then. */
  expiresAt: number;
}

/** A signed-in answer: the body for the client, and the refresh token for its cookie. */
export type SignedIn = AuthResponse & { refresh: { code: string; expiresAt: number } };

/** Which sessions just ended, for the sockets to act on (this process and, via Redis, the others). */
export type SessionsEnded = { userId: string; beforeVersion: number } | { userId: string; sessionId: string };

const ALGORITHM = 'HS256';
// Compared against when the email is unknown, so both paths cost one bcrypt check.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 4);
const newId = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 20)}`;

export const verifyEmailNote = (userId: string, n: string): NewNotification => ({
  id: `account.verify-email:${userId}:${n}`,
  kind: 'account.verify-email',
  userId,
});

/**
 * Creates an account (no session); unverified ones get the verification mail queued with
 * them. Null when the email is taken.
 */
export async function createAccount(
  deps: { users: UserStore; clock: Clock; bcryptCost: number },
  req: RegisterRequest,
  role: User['role'],
  theatreIds: string[],
  opts: { emailVerified?: boolean } = {},
): Promise<UserRecord | null> {
  const user: UserRecord = {
    id: newId('u'),
    name: req.name,
    email: req.email,
    role,
    ...(role === 'staff' ? { theatreIds } : {}),
    emailVerified: opts.emailVerified ?? false,
    sessionVersion: 0,
    passwordHash: await bcrypt.hash(req.password, deps.bcryptCost),
    createdAt: new Date(deps.clock.now()).toISOString(),
  };
  const notes = user.emailVerified ? [] : [verifyEmailNote(user.id, '1')];
  return (await deps.users.create(user, notes)) ? user : null;
}

export function createAuth(
  deps: {
    users: UserStore;
    sessions: SessionStore;
    clock: Clock;
    onSessionsEnded?: (ended: SessionsEnded) => void;
    /** A notice was queued (the verification mail): deliver it now. */
    queued?: (id: string) => void;
    /** Security events (a reused refresh token) are logged here. */
    logger?: Logger;
  },
  config: AuthConfig,
) {
  const { users, sessions, clock } = deps;
  const policy = config.sessions;
  // A KeyObject once: given a string, jsonwebtoken tries (and fails) to parse a PEM key on every call.
  const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  const ended = (e: SessionsEnded) => deps.onSessionsEnded?.(e);
  const publicUser = (u: UserRecord): User => ({ id: u.id, name: u.name, email: u.email, role: u.role, emailVerified: u.emailVerified });
  const theatresOf = (u: Pick<UserRecord, 'role' | 'theatreIds'>) => (u.role === 'staff' ? (u.theatreIds ?? []) : []);

  function accessToken(u: UserRecord, sessionId: string): { token: string; expiresAt: number } {
    const iat = Math.floor(clock.now() / 1000);
    const exp = iat + Math.floor(policy.accessMs / 1000);
    const claims = { name: u.name, email: u.email, role: u.role, theatres: theatresOf(u), ev: u.emailVerified, sid: sessionId, sv: u.sessionVersion, iat, exp };
    return { token: jwt.sign(claims, key, { algorithm: ALGORITHM, subject: u.id }), expiresAt: exp * 1000 };
  }

  function signedIn(u: UserRecord, sessionId: string, counter: number, refreshExpiresAt: number): SignedIn {
    const access = accessToken(u, sessionId);
    return {
      token: access.token,
      expiresAt: new Date(access.expiresAt).toISOString(),
      user: publicUser(u),
      refresh: { code: refreshCode(sessionId, counter, config.jwtSecret), expiresAt: refreshExpiresAt },
    };
  }

  /** The claims of a genuine, unexpired access token (no store read). */
  function verify(token: string): Principal | null {
    try {
      const c = jwt.verify(token, key, { algorithms: [ALGORITHM], clockTimestamp: Math.floor(clock.now() / 1000) });
      if (typeof c === 'string' || typeof c.sub !== 'string' || typeof c.sid !== 'string' || typeof c.sv !== 'number' || typeof c.exp !== 'number') {
        return null;
      }
      const role = Role.safeParse(c.role);
      if (!role.success) return null;
      const theatres = Array.isArray(c.theatres) ? c.theatres.filter((t): t is string => typeof t === 'string') : [];
      return {
        id: c.sub,
        name: String(c.name ?? ''),
        email: String(c.email ?? ''),
        role: role.data,
        theatreIds: role.data === 'staff' ? theatres : [],
        emailVerified: c.ev === true,
        sessionId: c.sid,
        sessionVersion: c.sv,
        expiresAt: c.exp * 1000,
      };
    } catch {
      return null;
    }
  }

  const service = {
    verify,

    /**
     * The principal of a valid access token whose session has not been ended (logged out,
     * revoked for reuse, or everywhere), with the user's current role, theatres and
     * verification; null otherwise.
     */
    async authenticate(token: string): Promise<Principal | null> {
      const p = verify(token);
      if (!p) return null;
      const [u, family] = await Promise.all([users.get(p.id), sessions.get(p.sessionId)]);
      if (!u || u.sessionVersion !== p.sessionVersion) return null;
      if (!family || family.userId !== p.id || family.revokedAt !== undefined) return null;
      return { ...p, name: u.name, email: u.email, role: u.role, theatreIds: theatresOf(u), emailVerified: u.emailVerified };
    },

    /** Begins a session family for `u`. */
    async startSession(u: UserRecord): Promise<SignedIn> {
      const now = clock.now();
      const family = {
        id: randomBytes(15).toString('base64url'),
        userId: u.id,
        sessionVersion: u.sessionVersion,
        counter: 0,
        createdAt: now,
        expiresAt: now + Math.min(policy.refreshIdleMs, policy.refreshMaxMs),
      };
      await sessions.create(family);
      return signedIn(u, family.id, 0, family.expiresAt);
    },

    /** Public sign-up is always `customer`; staff and admin accounts come from seeding or an admin. */
    async register(
      req: RegisterRequest,
      role: User['role'] = 'customer',
      theatreIds: string[] = [],
      opts: { emailVerified?: boolean } = {},
    ): Promise<Result<SignedIn>> {
      const verified = opts.emailVerified ?? !config.verifyEmailOnSignUp;
      const user = await createAccount({ users, clock, bcryptCost: config.bcryptCost }, req, role, theatreIds, { emailVerified: verified });
      if (!user) return fail('EMAIL_TAKEN');
      if (!user.emailVerified) deps.queued?.(verifyEmailNote(user.id, '1').id);
      return ok(await service.startSession(user));
    },

    async login(req: LoginRequest): Promise<Result<SignedIn>> {
      const user = await users.findByEmail(req.email);
      const matches = await bcrypt.compare(req.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !matches) return fail('UNAUTHENTICATED', { message: 'Email or password is wrong.', reason: 'wrong_credentials' });
      return ok(await service.startSession(user));
    },

    /**
     * Trades a refresh token for the next one and a new access token. A token that was
     * already traded ends its whole family (see domain/sessions.ts).
     */
    async refresh(code: string): Promise<Result<SignedIn>> {
      const presented = readRefreshCode(code, config.jwtSecret);
      if (!presented) return fail('UNAUTHENTICATED', { message: 'Please log in.' });
      for (let attempt = 0; attempt < 2; attempt++) {
        const now = clock.now();
        const family = await sessions.get(presented.familyId);
        const user = family ? await users.get(family.userId) : null;
        const verdict = judgeRefresh(family, presented.counter, user?.sessionVersion ?? null, now, policy);
        if (verdict.kind === 'rotate') {
          if (await sessions.rotate(family!.id, family!.counter, verdict.expiresAt, now)) {
            return ok(signedIn(user!, family!.id, family!.counter + 1, verdict.expiresAt));
          }
          continue; // lost a race with another refresh of the same token: judge again
        }
        if (verdict.kind === 'reuse') {
          deps.logger?.warn({ userId: family!.userId, session: family!.id }, 'a refresh token was used again: session family revoked');
          await sessions.revoke(family!.id, now, 'refresh token reused');
          ended({ userId: family!.userId, sessionId: family!.id });
          return fail('UNAUTHENTICATED', {
            message: 'For your safety this session was ended: an old sign-in token was used again. Please log in again.',
            reason: 'session_ended',
          });
        }
        return fail('UNAUTHENTICATED', verdict.why === 'expired' ? { message: 'Your session has expired. Please log in again.', reason: 'session_expired' } : { message: 'Please log in.' });
      }
      return fail('UNAVAILABLE', { message: 'Please try again.' });
    },

    /** Ends the session a refresh token or access token belongs to (idempotent). */
    async logout(from: { refreshCode?: string; principal?: Principal | null }): Promise<void> {
      const familyId = (from.refreshCode && readRefreshCode(from.refreshCode, config.jwtSecret)?.familyId) || from.principal?.sessionId;
      if (!familyId) return;
      const family = await sessions.get(familyId);
      if (!family) return;
      await sessions.revoke(familyId, clock.now(), 'logged out');
      ended({ userId: family.userId, sessionId: familyId });
    },

    /** Ends every session of the user, on every device. */
    async logoutEverywhere(p: Principal): Promise<void> {
      const version = await users.bumpSessionVersion(p.id);
      ended({ userId: p.id, beforeVersion: version });
    },

    /** Confirming needs a verified email when configured; the store is asked only if the token says no. */
    async mayConfirm(p: Principal): Promise<boolean> {
      if (!config.requireVerifiedEmail || p.emailVerified) return true;
      return (await users.get(p.id))?.emailVerified === true;
    },

    sessionsEnded: ended,
  };
  return service;
}
export type Auth = ReturnType<typeof createAuth>;
