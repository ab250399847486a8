/**
 * The handshake: a draining server turns connections away, a foreign origin is refused, no
 * token means an anonymous watcher, a bad token is refused, and a signed-in user is admitted
 * within their socket cap (a slot taken before the socket connects).
 */
import type { Logger } from 'pino';
import { apiError, type ApiError } from '../../../protocol/index.js';
import { AppError } from '../../domain/result.js';
import type { Auth } from '../../services/auth.js';
import type { InFlight } from '../in-flight.js';
import type { Identities } from './identity.js';
import type { AppServer } from './types.js';

export interface HandshakeDeps {
  auth: Auth;
  identities: Identities;
  inFlight: InFlight;
  logger: Logger;
  /** Pages served from other origins that may open sockets (besides our own). */
  allowedOrigins: readonly string[];
  publicUrl: string;
}

export function useHandshake(io: AppServer, deps: HandshakeDeps) {
  const ownOrigin = new URL(deps.publicUrl).origin;
  const originAllowed = (origin: string | undefined, host: string | undefined) =>
    !origin || origin === ownOrigin || deps.allowedOrigins.includes(origin) || (!!host && (origin === `http://${host}` || origin === `https://${host}`));

  io.use(async (socket, next) => {
    const refuse = (error: ApiError) => next(Object.assign(new Error(error.code), { data: error }));
    try {
      if (deps.inFlight.draining) return refuse(apiError('UNAVAILABLE', { message: 'The server is restarting. Please try again in a moment.', reason: 'restarting' }));
      // Browsers send Origin on WebSocket upgrades but apply no CORS to them: check it here.
      if (!originAllowed(socket.handshake.headers.origin, socket.handshake.headers.host)) {
        return refuse(apiError('FORBIDDEN', { message: 'Connections from this site are not allowed.' }));
      }
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      socket.data.user = null;
      if (token === undefined || token === null || token === '') return next();
      const user = typeof token === 'string' ? await deps.auth.authenticate(token) : null;
      if (!user) return refuse(apiError('UNAUTHENTICATED'));
      const over = await deps.identities.admit(user.id, socket);
      if (over) return refuse(over);
      socket.data.user = user;
      // A client gone before its socket connects never gets a 'disconnect': its slot goes back when its connection closes.
      if (socket.conn.readyState !== 'open') return deps.identities.setUser(socket, null);
      socket.conn.once('close', () => deps.identities.setUser(socket, null));
      next();
    } catch (err) {
      deps.logger.error({ err }, 'socket handshake failed');
      refuse(err instanceof AppError ? err.error : apiError('INTERNAL'));
    }
  });
}
