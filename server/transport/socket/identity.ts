/**
 * Who each socket acts for: the signed-in user from the handshake or `session:renew`, the
 * per-user socket cap, token expiry, and sessions ended elsewhere (log out everywhere).
 */
import { apiError, type ApiError } from '../../../protocol/index.js';
import type { Clock, SocketSlots } from '../../ports.js';
import type { Principal, SessionsEnded } from '../../services/auth.js';
import { peersOf, userRoom, type AppServer, type AppSocket } from './types.js';

export function createIdentities(io: AppServer, deps: { clock: Clock; socketSlots: SocketSlots; maxSocketsPerUser: number; peers: boolean }) {
  /** This process's sockets per signed-in user, to end sessions at once. */
  const local = new Map<string, Set<AppSocket>>();
  const expiryTimers = new WeakMap<AppSocket, NodeJS.Timeout>();

  /**
   * Takes one of the user's slots for the socket, in one atomic step (across processes with
   * Redis), so a burst can neither slip past the cap nor be cut below it. Null when admitted,
   * else why not. The slot is the socket's until `setUser` moves it to someone else or nobody.
   */
  async function admit(userId: string, socket: AppSocket): Promise<ApiError | null> {
    if (await deps.socketSlots.take(userId, socket.id)) return null;
    return apiError('RATE_LIMITED', { message: `Too many open connections for this account (at most ${deps.maxSocketsPerUser}). Close a tab or device.`, reason: 'too_many_connections', params: { max: deps.maxSocketsPerUser } });
  }

  function setUser(socket: AppSocket, user: Principal | null) {
    const before = socket.data.user;
    if (before && before.id !== user?.id) {
      local.get(before.id)?.delete(socket);
      if (local.get(before.id)?.size === 0) local.delete(before.id);
      void socket.leave(userRoom(before.id));
      void deps.socketSlots.free(before.id, socket.id);
    }
    clearTimeout(expiryTimers.get(socket));
    socket.data.user = user;
    if (!user) return;
    // It closed while its slot was being taken (a renewal in flight): its 'disconnect' has come and gone.
    if (socket.disconnected) return setUser(socket, null);
    if (!local.has(user.id)) local.set(user.id, new Set());
    local.get(user.id)!.add(socket);
    void socket.join(userRoom(user.id));
    // Tell the client when its token runs out, so it renews before it next needs it.
    const timer = setTimeout(() => socket.data.user === user && endSession(socket, 'expired'), Math.max(0, user.expiresAt - deps.clock.now()));
    timer.unref();
    expiryTimers.set(socket, timer);
  }

  /** The socket goes on as an anonymous watcher (rooms kept) until `session:renew`. */
  function endSession(socket: AppSocket, reason: 'expired' | 'revoked') {
    setUser(socket, null);
    socket.emit('session:ended', { reason });
  }

  function onSessionsEnded(e: SessionsEnded) {
    for (const socket of [...(local.get(e.userId) ?? [])]) {
      const user = socket.data.user;
      if (!user) continue;
      const ends = 'sessionId' in e ? user.sessionId === e.sessionId : user.sessionVersion < e.beforeVersion;
      if (ends) endSession(socket, 'revoked');
    }
  }
  peersOf(io).on('sessions:ended', ((e: SessionsEnded) => onSessionsEnded(e)) as never);

  /** The socket's user, unless its token ran out since it was checked (the timer may not have fired yet). */
  function currentUser(socket: AppSocket): Principal | null {
    if (socket.data.user && socket.data.user.expiresAt <= deps.clock.now()) endSession(socket, 'expired');
    return socket.data.user;
  }

  return {
    admit,
    setUser,
    currentUser,
    /** This process's sockets of a user that are in `room`. */
    localIn: (userId: string, room: string) => [...(local.get(userId) ?? [])].filter((s) => s.rooms.has(room)),
    /** Ends matching sessions' sockets here and on the other processes. */
    sessionsEnded(e: SessionsEnded) {
      onSessionsEnded(e);
      if (deps.peers) peersOf(io).serverSideEmit('sessions:ended', e);
    },
  };
}
export type Identities = ReturnType<typeof createIdentities>;
