/**
 * The Socket.IO contract as one table: each client event with the schema its payload is
 * validated with and the shape of its success ack. The server registers its handlers from
 * this table and the client is typed by it.
 */
import { z } from 'zod';
import type { ApiError } from './errors.js';
import {
  Booking,
  ConfirmRequest,
  HoldBestRequest,
  HoldBestResult,
  HoldRequest,
  HoldResult,
  JoinRequest,
  LeaveRequest,
  QueueJoinRequest,
  QueueJoinResult,
  QueueAdmitted,
  QueueWaiting,
  ReleaseRequest,
  ReleaseResult,
  RenewSessionRequest,
  Snapshot,
  BookingChanged,
  CartChanged,
  SeatsChanged,
  SessionEnded,
} from './schemas.js';

/** Every client event is acknowledged with success fields or a typed error. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ApiError };
export type AckCallback<T extends object = object> = (ack: Ack<T>) => void;

export const roomOf = (showId: string) => `show:${showId}`;

export const clientEvents = {
  'show:join': { request: JoinRequest, ack: z.object({ snapshot: Snapshot }) },
  'show:leave': { request: LeaveRequest, ack: z.object({}) },
  'seat:hold': { request: HoldRequest, ack: HoldResult },
  'seat:hold-best': { request: HoldBestRequest, ack: HoldBestResult },
  'seat:release': { request: ReleaseRequest, ack: ReleaseResult },
  'booking:confirm': { request: ConfirmRequest, ack: z.object({ booking: Booking }) },
  /** Take or find again the caller's place in the show's waiting room: admitted (a pass) or waiting (a position). */
  'queue:join': { request: QueueJoinRequest, ack: QueueJoinResult },
  /** Swaps in a fresh access token (same user) on a live socket; rooms and holds stay. */
  'session:renew': { request: RenewSessionRequest, ack: z.object({ expiresAt: z.string() }) },
} as const;

export type ClientEvent = keyof typeof clientEvents;
export type RequestOf<E extends ClientEvent> = z.input<(typeof clientEvents)[E]['request']>;
export type AckOf<E extends ClientEvent> = z.infer<(typeof clientEvents)[E]['ack']>;
export const isClientEvent = (name: string): name is ClientEvent => Object.hasOwn(clientEvents, name);

export type ClientToServerEvents = {
  [E in ClientEvent]: (req: RequestOf<E>, ack: AckCallback<AckOf<E>>) => void;
};

/** The server's pushes, each with the schema of its one argument. */
export const serverEvents = {
  /** To the show's room after every write: +1 `version` per message. */
  'seats:changed': { message: SeatsChanged },
  /** The user's holds on a show changed from another of their sockets: "my seats" in every tab. */
  'cart:changed': { message: CartChanged },
  /**
   * The socket's token expired or its session was ended (log out everywhere, password
   * change): it now acts as an anonymous watcher until `session:renew` succeeds.
   */
  'session:ended': { message: SessionEnded },
  /** One of the user's bookings changed (paid, declined, expired, refunded): every tab of theirs. */
  'booking:changed': { message: BookingChanged },
  /** To a waiting user's sockets that joined the queue here, at least every 5 s. */
  'queue:update': { message: QueueWaiting },
  /** To every socket of the user: their turn came; the pass opens the seat map. */
  'queue:admitted': { message: QueueAdmitted },
} as const;
export type ServerEvent = keyof typeof serverEvents;

export type ServerToClientEvents = {
  [E in ServerEvent]: (msg: z.infer<(typeof serverEvents)[E]['message']>) => void;
};
