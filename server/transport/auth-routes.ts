/**
 * `/api/auth/...` and `/api/me`: sign-up, log-in, refresh, log-out (here or everywhere),
 * email verification, password reset and change. The refresh token lives only in an
 * httpOnly, Secure, SameSite=Strict cookie scoped to /api/auth; scripts never see it.
 */
import type { Request, Response, Router } from 'express';
import {
  apiError,
  ChangePasswordRequest,
  ForgotPasswordRequest,
  LoginRequest,
  RegisterRequest,
  ResetPasswordRequest,
  VerifyEmailRequest,
} from '../../protocol/index.js';
import type { Limiter } from '../ports.js';
import type { Result } from '../domain/result.js';
import type { Accounts } from '../services/accounts.js';
import type { Auth, Principal, SignedIn } from '../services/auth.js';
import { send, sendError } from './http-edge.js';
import { parse } from './validate.js';

export const REFRESH_COOKIE = 'mm_refresh';
const COOKIE_PATH = '/api/auth';

type Route = (h: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: (e: unknown) => void) => void;

export interface AuthLimits {
  /** Sign-up, log-in, reset: per client address; null on a load-test rig. */
  authPerIp: Limiter | null;
  /** Password guesses against one account (log-in, password change). */
  loginPerAccount: Limiter;
  /** Mails one account can cause (reset, verification). */
  mailPerAccount: Limiter;
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function authRoutes(
  app: Router,
  deps: {
    auth: Auth;
    accounts: Accounts;
    limits: AuthLimits;
    route: Route;
    requireUser: (req: Request, res: Response) => Principal | null;
    /** Answers 429 with Retry-After (true) when `limiter` refuses `key` for now. */
    limited: (res: Response, limiter: Limiter | null, key: string) => Promise<boolean>;
    now: () => number;
  },
) {
  const { auth, accounts, limits, route, requireUser, limited } = deps;

  const setRefreshCookie = (res: Response, refresh: SignedIn['refresh']) =>
    res.cookie(REFRESH_COOKIE, refresh.code, {
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      path: COOKIE_PATH,
      maxAge: Math.max(0, refresh.expiresAt - deps.now()),
    });
  const clearRefreshCookie = (res: Response) => res.clearCookie(REFRESH_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: COOKIE_PATH });

  /** Sends a signed-in answer: the access token in the body, the refresh token in the cookie. */
  function signIn(res: Response, result: Result<SignedIn>, status = 200) {
    if (!result.ok) return sendError(res, result.error);
    const { refresh, ...body } = result.value;
    setRefreshCookie(res, refresh);
    res.set('cache-control', 'no-store').status(status).json(body);
  }

  app.post(
    '/api/auth/register',
    route(async (req, res) => {
      if (await limited(res, limits.authPerIp, `ip:${req.ip}`)) return;
      const body = parse(RegisterRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      const weak = accounts.weakPassword(body.value.password, body.value.email);
      if (weak) return sendError(res, weak.error);
      // Per address too: each sign-up mails it, and repeated tries would probe who has an account.
      if (await limited(res, limits.mailPerAccount, `signup:${body.value.email}`)) return;
      signIn(res, await auth.register(body.value), 201);
    }),
  );

  app.post(
    '/api/auth/login',
    route(async (req, res) => {
      if (await limited(res, limits.authPerIp, `ip:${req.ip}`)) return;
      const body = parse(LoginRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      // Per account too, so a botnet spread over many addresses still cannot guess one password fast.
      if (await limited(res, limits.loginPerAccount, `login:${body.value.email}`)) return;
      signIn(res, await auth.login(body.value));
    }),
  );

  app.post(
    '/api/auth/refresh',
    route(async (req, res) => {
      const code = readCookie(req, REFRESH_COOKIE);
      const result = code ? await auth.refresh(code) : null;
      if (!result?.ok) {
        clearRefreshCookie(res);
        return sendError(res, result?.error ?? apiError('UNAUTHENTICATED', { message: 'Please log in.' }));
      }
      signIn(res, result);
    }),
  );

  app.post(
    '/api/auth/logout',
    route(async (req, res) => {
      await auth.logout({ refreshCode: readCookie(req, REFRESH_COOKIE), principal: res.locals.principal as Principal | null });
      clearRefreshCookie(res);
      res.status(204).end();
    }),
  );

  app.post(
    '/api/auth/logout-all',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (!p) return;
      await auth.logoutEverywhere(p);
      clearRefreshCookie(res);
      res.status(204).end();
    }),
  );

  app.post(
    '/api/auth/verify-email',
    route(async (req, res) => {
      if (await limited(res, limits.authPerIp, `ip:${req.ip}`)) return;
      const body = parse(VerifyEmailRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      send(res, await accounts.verifyEmail(body.value));
    }),
  );

  app.post(
    '/api/auth/resend-verification',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (!p || (await limited(res, limits.mailPerAccount, `mail:${p.id}`))) return;
      send(res, await accounts.resendVerification(p), 202);
    }),
  );

  app.post(
    '/api/auth/forgot-password',
    route(async (req, res) => {
      if (await limited(res, limits.authPerIp, `ip:${req.ip}`)) return;
      const body = parse(ForgotPasswordRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      // Keyed by the address asked for, whether or not it has an account: the limit reveals nothing.
      if (await limited(res, limits.mailPerAccount, `mail:${body.value.email}`)) return;
      send(res, await accounts.forgotPassword(body.value), 202);
    }),
  );

  app.post(
    '/api/auth/reset-password',
    route(async (req, res) => {
      if (await limited(res, limits.authPerIp, `ip:${req.ip}`)) return;
      const body = parse(ResetPasswordRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      signIn(res, await accounts.resetPassword(body.value));
    }),
  );

  app.post(
    '/api/auth/change-password',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (!p) return;
      const body = parse(ChangePasswordRequest, req.body);
      if (!body.ok) return sendError(res, body.error);
      if (await limited(res, limits.loginPerAccount, `password:${p.id}`)) return;
      signIn(res, await accounts.changePassword(p, body.value));
    }),
  );

  app.get(
    '/api/me',
    route(async (req, res) => {
      const p = requireUser(req, res);
      if (!p) return;
      res.json({ user: { id: p.id, name: p.name, email: p.email, role: p.role, emailVerified: p.emailVerified } });
    }),
  );
}
