/** One typed Socket.IO connection, re-created when the session's token changes. */
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../../protocol/events.js';
import { session } from './session.svelte.js';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: AppSocket | null = null;
let tokenOfSocket: string | null = null;

export function getSocket(): AppSocket {
  const token = session.token;
  if (socket && tokenOfSocket === token) return socket;
  socket?.disconnect();
  tokenOfSocket = token;
  const s: AppSocket = io({ auth: token ? { token } : {}, transports: ['websocket'] });
  s.on('connect_error', (err) => {
    // An expired or revoked token: carry on as a logged-out watcher.
    if (err.message === 'UNAUTHENTICATED' && session.token) session.logout();
  });
  socket = s;
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
