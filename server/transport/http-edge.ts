/**
 * What every HTTP request passes first: a request id and an access log line, the
 * origin policy (CORS for configured origins; cross-site writes refused), and the
 * drain gate of a graceful shutdown.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { apiError, httpStatus, type ApiError } from '../../protocol/index.js';
import type { Result } from '../domain/result.js';
import type { InFlight } from './in-flight.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const sendError = (res: Response, error: ApiError) => res.status(httpStatus[error.code]).json({ error });

/** A result as the answer: its value with `status`, or its typed error. */
export function send<T>(res: Response, result: Result<T>, status = 200) {
  if (result.ok) res.status(status).json(result.value);
  else sendError(res, result.error);
}

/**
 * Takes a sane `x-request-id` from a proxy or makes one, echoes it, and logs one line per
 * request when it ends. Never logs headers, bodies or query strings (they can carry
 * credentials or emailed codes).
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    const reqId = given && REQUEST_ID.test(given) ? given : randomUUID();
    const started = process.hrtime.bigint();
    res.locals.reqId = reqId;
    res.locals.log = logger.child({ reqId });
    res.set('x-request-id', reqId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      // Probes and static files are many and dull; API calls and all failures are worth a line.
      const quiet = res.statusCode < 400 && !req.path.startsWith('/api/');
      (res.locals.log as Logger)[res.statusCode >= 500 ? 'error' : quiet ? 'debug' : 'info'](line, 'request');
    });
    next();
  };
}

/**
 * Same-origin always works. Origins in `allowed` get CORS headers (with credentials, for
 * the refresh cookie). Any other origin may read nothing and write nothing: a cross-site
 * POST is refused outright, which also guards the cookie-bearing routes against CSRF.
 */
export function originPolicy(allowed: readonly string[], publicOrigin: string) {
  const list = new Set(allowed);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (!origin) return next();
    const same = origin === publicOrigin || origin === `${req.protocol}://${req.get('host')}`;
    if (same) return next();
    if (!list.has(origin)) {
      if (SAFE_METHODS.has(req.method)) return next(); // no CORS headers: the browser shows the page nothing
      return sendError(res, apiError('FORBIDDEN', { message: 'Requests from this site are not allowed.' }));
    }
    res.vary('Origin');
    res.set({
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'retry-after, x-request-id',
    });
    if (req.method === 'OPTIONS') {
      res.set({
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
        'access-control-allow-headers': 'authorization, content-type, x-request-id',
        'access-control-max-age': '600',
      });
      return res.status(204).end();
    }
    next();
  };
}

/** While draining, new requests get 503 and `connection: close`; started ones are counted until they finish. */
export function drainGate(inFlight: InFlight) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (inFlight.draining) {
      res.set('connection', 'close');
      res.set('retry-after', '2');
      return sendError(res, apiError('UNAVAILABLE', { message: 'The server is restarting. Please try again in a moment.', reason: 'restarting' }));
    }
    const done = inFlight.enter();
    res.on('close', done);
    next();
  };
}
