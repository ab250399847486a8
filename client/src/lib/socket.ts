/**
 * One typed Socket.IO connection for the whole app. It connects once the session is
 * restored, and follows the session without reconnecting: a refreshed token is swapped in
 * with `session:renew` (rooms and holds stay), a logout reconnects as a watcher.
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../../protocol/events.js';
import { t } from './i18n.svelte.js';
import { session } from './session.svelte.js';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: AppSocket | null = null;
const identityListeners = new Set<() => void>();

/** Called when the socket starts acting as another user (logged in, or out): views re-read what is "mine". */
export function onIdentityChange(fn: () => void): () => void {
  identityListeners.add(fn);
  return () => void identityListeners.delete(fn);
}
const identityChanged = () => identityListeners.forEach((fn) => fn());

export function getSocket(): AppSocket {
  if (socket) return socket;
  const s: AppSocket = io({
    // Read at every (re)connect, so a reconnect always carries the newest token.
    auth: (cb) => cb(session.token ? { token: session.token } : {}),
    transports: ['websocket'],
    autoConnect: false,
  });
  socket = s;

  s.on('connect_error', async (err) => {
    // A token that ran out while we were away: refresh and try again (as a watcher if the session is over).
    if (err.message === 'UNAUTHENTICATED' && session.token) {
      if (!(await session.refresh())) session.clear();
      s.connect();
    }
    if (err.message === 'RATE_LIMITED') session.flash = t('tooManyTabs');
  });
  // The server says our token ran out or the session was ended elsewhere: renew if we can.
  s.on('session:ended', () => void session.refresh());

  session.onChange(async ({ token, userChanged }) => {
    if (!s.connected) return; // the auth callback hands the new token over at connect
    if (!token) {
      s.disconnect().connect(); // logged out: carry on watching, as nobody
      return;
    }
    const r = await emit<{ expiresAt: string }>('session:renew', { token });
    if (!r.ok && r.error.code === 'UNAUTHENTICATED') return void session.clear();
    if (userChanged) identityChanged();
  });

  void session.ready.then(() => s.connect());
  return s;
}

/** Emits with an ack and a timeout; a timeout becomes an UNAVAILABLE error ack. */
export async function emit<T extends object>(event: keyof ClientToServerEvents, payload: unknown): Promise<Ack<T>> {
  const s = getSocket() as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<Ack<T>> } };
  try {
    return await s.timeout(15_000).emitWithAck(event, payload);
  } catch {
    return { ok: false, error: { code: 'UNAVAILABLE', message: 'No answer from the server. Please try again.' } };
  }
}
