import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../protocol/index.js';
import type { Principal } from '../../services/auth.js';

export interface SocketData {
  user: Principal | null;
  /** Waiting-room passes this socket has shown or been given, per show. */
  passes?: Map<string, string>;
}
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const userRoom = (userId: string) => `user:${userId}`;

/** Socket.IO's server-to-server messages (through the Redis adapter), which its types leave out. */
export interface ServerPeers {
  serverSideEmit(event: string, ...args: unknown[]): void;
  on(event: string, fn: (...args: never[]) => void): void;
}
export const peersOf = (io: AppServer) => io as unknown as ServerPeers;
