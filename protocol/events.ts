/** The Socket.IO contract: event names, payloads and acks. */
import type { ApiError } from './errors.js';
import type {
  Booking,
  CartChanged,
  ConfirmRequest,
  HoldRequest,
  HoldResult,
  JoinRequest,
  LeaveRequest,
  ReleaseRequest,
  ReleaseResult,
  RenewSessionRequest,
  SeatsChanged,
  SessionEnded,
  Snapshot,
} from './schemas.js';

/** Every client event is acknowledged with success fields or a typed error. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ApiError };
export type AckCallback<T extends object = object> = (ack: Ack<T>) => void;

export const roomOf = (showId: string) => `show:${showId}`;

export interface ClientToServerEvents {
  'show:join': (req: JoinRequest, ack: AckCallback<{ snapshot: Snapshot }>) => void;
  'show:leave': (req: LeaveRequest, ack: AckCallback) => void;
  'seat:hold': (req: HoldRequest, ack: AckCallback<HoldResult>) => void;
  'seat:release': (req: ReleaseRequest, ack: AckCallback<ReleaseResult>) => void;
  'booking:confirm': (req: ConfirmRequest, ack: AckCallback<{ booking: Booking }>) => void;
  /** Swaps in a fresh access token (same user) on a live socket; rooms and holds stay. */
  'session:renew': (req: RenewSessionRequest, ack: AckCallback<{ expiresAt: string }>) => void;
}

export interface ServerToClientEvents {
  'seats:changed': (msg: SeatsChanged) => void;
  /** The user's holds on a show changed from another of their sockets: "my seats" in every tab. */
  'cart:changed': (msg: CartChanged) => void;
  /**
   * The socket's token expired or its session was ended (log out everywhere, password
   * change): it now acts as an anonymous watcher until `session:renew` succeeds.
   */
  'session:ended': (msg: SessionEnded) => void;
}
