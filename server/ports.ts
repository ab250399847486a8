/**
 * The ports the services depend on. Adapters (DynamoDB, Socket.IO, mail) implement
 * them; tests can pass a clock and real adapters.
 */
import type { Booking, FavouriteKind, Layout, Movie, Preferences, SeatsChanged, Theatre, User } from '../protocol/index.js';
import type { BucketPolicy } from './domain/rate-limit.js';
import type { SeatChangeRecord, SeatEntry } from './domain/seat-state.js';
import type { BookingRecord, Clock, MailMessage, NotificationKind, RefundRecord } from './domain/types.js';

export type { BookingRecord, Clock, MailAttachment, MailMessage, NotificationKind, PaymentRecord, RefundRecord } from './domain/types.js';
import type { SessionFamily } from './domain/sessions.js';
import type { LedgerEntry, PointsWrite } from './domain/loyalty.js';
export type { LedgerEntry, PointsWrite } from './domain/loyalty.js';

export const systemClock: Clock = { now: () => Date.now() };

export interface CityRecord {
  id: string;
  name: string;
  timeZone: string;
  currency: 'INR' | 'AED';
  order: number;
}
export type TheatreRecord = Theatre;
/** A stored movie: the listing facts and its optional details; the poster URLs are the API's to add. */
export type MovieRecord = Omit<Movie, 'posterUrl' | 'posterImages'>;
export interface ScreenRecord {
  id: string;
  theatreId: string;
  name: string;
  layout: Layout;
}
export interface ShowRecord {
  id: string;
  movieId: string;
  screenId: string;
  theatreId: string;
  cityId: string;
  language: string;
  /** Epoch ms, UTC. */
  startsAt: number;
  /** The theatre-local calendar date of startsAt. */
  localDate: string;
  currency: 'INR' | 'AED';
  /** Price per layout category, minor units. */
  prices: Record<string, number>;
  status: 'scheduled' | 'cancelled';
}

export interface CatalogStore {
  cities(): Promise<CityRecord[]>;
  theatres(): Promise<TheatreRecord[]>;
  movies(): Promise<MovieRecord[]>;
  screens(): Promise<ScreenRecord[]>;
  getScreen(id: string): Promise<ScreenRecord | null>;
  getShow(id: string): Promise<ShowRecord | null>;
  /** The show's status read consistently (no cache anywhere): what money is judged by. */
  showStatus(id: string): Promise<ShowRecord['status'] | null>;
  showsOn(cityId: string, localDate: string): Promise<ShowRecord[]>;
  /** Idempotent upserts used by seeding and tests. */
  putCities(items: CityRecord[]): Promise<void>;
  putTheatres(items: TheatreRecord[]): Promise<void>;
  putMovies(items: MovieRecord[]): Promise<void>;
  putScreens(items: ScreenRecord[]): Promise<void>;
  putShows(items: ShowRecord[]): Promise<void>;
  /** Records (or, with null, removes) a movie's uploaded poster; false when there is no such movie. */
  setMoviePoster(movieId: string, poster: MovieRecord['uploadedPoster'] | null): Promise<boolean>;
  /** Ids among `ids` that exist. */
  existingShowIds(ids: string[]): Promise<Set<string>>;
  schemaVersion(): Promise<number | null>;
  setSchemaVersion(v: number): Promise<void>;
}

export interface UserRecord extends User {
  passwordHash: string;
  /** Staff only: the theatres they work at. */
  theatreIds?: string[];
  createdAt: string;
  /** Bumped by "log out everywhere" and password changes: ends every session family begun before. */
  sessionVersion: number;
  /** The one live password-reset nonce (a newer request replaces it; use removes it). */
  resetNonce?: string;
  resetExpiresAt?: number;
  /** Favourite movie and theatre ids, sorted (absent: none). */
  favouriteMovies?: string[];
  favouriteTheatres?: string[];
  /** Account preferences (absent: none chosen). */
  preferences?: Preferences;
  /** Bumped by every preferences save (absent: 0): a save is made against the one it read. */
  preferencesRevision?: number;
}
/** A notification to write in the same transaction as the change it announces. */
export type NewNotification = Pick<OutboxRecord, 'id' | 'kind' | 'userId' | 'bookingId'>;

export interface UserStore {
  /** Atomically claims the email and queues `notes` with the account; false when the email is taken. */
  create(user: UserRecord, notes?: NewNotification[]): Promise<boolean>;
  findByEmail(email: string): Promise<UserRecord | null>;
  /** Gives the user a role (and, for staff, their theatres); false when there is no such user. */
  setRole(userId: string, role: UserRecord['role'], theatreIds: string[]): Promise<boolean>;
  /** Staff and admins (a scan: for the admin CLI, not for requests). */
  listStaff(): Promise<UserRecord[]>;
  get(id: string): Promise<UserRecord | null>;
  /** Idempotent; false when there is no such user. */
  markEmailVerified(userId: string): Promise<boolean>;
  /** Stores the live reset nonce and queues the mail, together. */
  startPasswordReset(userId: string, nonce: string, expiresAt: number, note: NewNotification, now: number): Promise<void>;
  /**
   * Sets a new password hash if the user's password is still `expected` (change) or the
   * reset nonce is still `nonce` and unexpired (reset, which also proves the email); ends
   * every session (sessionVersion + 1, if it is still `user.sessionVersion`) and queues
   * `note`. Returns the new sessionVersion, or null when a condition failed (a used or
   * replaced link, a concurrent change).
   */
  setPassword(
    user: Pick<UserRecord, 'id' | 'sessionVersion'>,
    passwordHash: string,
    guard: { expected: string } | { nonce: string; now: number },
    note: NewNotification,
    now: number,
  ): Promise<number | null>;
  /** Ends every session of the user; returns the new sessionVersion. */
  bumpSessionVersion(userId: string): Promise<number>;
  /** Adds a favourite (idempotent); false when the user already has `max` others of that kind. */
  addFavourite(userId: string, kind: FavouriteKind, id: string, max: number): Promise<boolean>;
  /** Removes a favourite (idempotent). */
  removeFavourite(userId: string, kind: FavouriteKind, id: string): Promise<void>;
  /** Stores the preferences if they are still at `revision` (what the caller read); false when another save came first (or no such user). */
  setPreferences(userId: string, preferences: Preferences, revision: number): Promise<boolean>;
}

/** Refresh-token families (see domain/sessions.ts). */
export interface SessionStore {
  create(family: SessionFamily): Promise<void>;
  get(id: string): Promise<SessionFamily | null>;
  /** Moves the family from `counter` to `counter + 1` if it is still at `counter`, live and unrevoked. */
  rotate(id: string, counter: number, expiresAt: number, now: number): Promise<boolean>;
  /** Ends a family (idempotent). */
  revoke(id: string, now: number, reason: string): Promise<void>;
}


/**
 * A seat item in the store: held, booked, or free (a released seat keeps its item, so the
 * time of its last change stays; a seat never touched has none). Absent = free.
 */
export type SeatRecord = { showId: string; seatId: string } & SeatEntry;

export type ConfirmWrite =
  | { ok: true; at: number }
  | { ok: false; reason: 'duplicate-key' }
  | { ok: false; reason: 'expired'; seatIds: string[] }
  /** The points the booking uses are not in the balance any more (spent meanwhile). */
  | { ok: false; reason: 'points' };

/**
 * Seat state: every write here is a conditional write; the condition is the lock. Each write
 * stamps the seat with the time it was made (`at`), and only a later time may follow an
 * earlier one (the store refuses otherwise, and the write is retried just after the seat's
 * time): the order of a seat's times is the order of its writes in the store, so every
 * process applying changes by time agrees with the store. Writes answer the time they used.
 */
export interface SeatStore {
  /** Holds one seat if it is free, expired, or already this user's (a retried write); null when taken. */
  hold(args: { showId: string; seatId: string; userId: string; expiresAt: number; now: number; at: number }): Promise<number | null>;
  /** Frees exactly this hold (user and expiry); null when it is not there any more. */
  release(args: { showId: string; seatId: string; userId: string; expiresAt: number; at: number }): Promise<number | null>;
  /** Frees several holds of one user in one write (all or nothing); null when any is not there any more. */
  releaseAll(args: { showId: string; userId: string; holds: { seatId: string; expiresAt: number }[]; at: number }): Promise<number | null>;
  /** Turns the user's live holds on `booking.seats` into the booking, atomically, with its confirmation notice. */
  confirm(args: { booking: BookingRecord; now: number; at: number; points?: PointsWrite | null }): Promise<ConfirmWrite>;
  /**
   * Cancels a confirmed booking: frees its seats and queues the notice, atomically. With
   * `unusedOnly`, only while its ticket is unused (a condition of the write itself).
   */
  cancel(args: {
    booking: BookingRecord;
    refund: { percent: number; amount: number };
    now: number;
    at: number;
    unusedOnly: boolean;
    /** A paid booking: the gateway refund promised with the cancellation, and its job. */
    payment?: { refund: RefundRecord; job: RefundJob };
    /** The loyalty points returned and taken back, in the same write; 'points' when the balance moved under it. */
    points?: PointsWrite | null;
  }): Promise<{ ok: true; cancelledAt: string; at: number } | { ok: false; reason: 'not-cancellable' | 'points' }>;
  /** Every seat item of a show (expired holds and freed seats included; callers judge with the clock). */
  seats(showId: string): Promise<SeatRecord[]>;
  /** One seat item, read consistently (null: never touched). */
  seat(showId: string, seatId: string): Promise<SeatRecord | null>;
  /** Frees an expired hold if it is still exactly that hold; the time used, or null when this call did not free it. */
  releaseExpired(record: SeatRecord, now: number, at: number): Promise<number | null>;
}

/**
 * Loyalty points: per user, a balance and one ledger entry per event (written by the seat and
 * payment stores in the same transaction as the booking change, see `PointsWrite`).
 */
export interface LoyaltyStore {
  /** The balance, read consistently (0 for a user without points). */
  balance(userId: string): Promise<number>;
  /** The balance and every ledger entry, read consistently. */
  account(userId: string): Promise<{ points: number; entries: LedgerEntry[] }>;
}

export interface BookingStore {
  /** Marks a confirmed, unused booking's ticket used; false when it is not (any more). */
  markUsed(id: string, at: string): Promise<boolean>;
  get(id: string): Promise<BookingRecord | null>;
  /** Several bookings, each read consistently; unknown ids are left out. */
  getMany(ids: string[]): Promise<BookingRecord[]>;
  /**
   * A user's bookings as they are now. Found through a secondary index, which on AWS may not
   * list a booking made in the last second yet (docs/data-model.md, "Consistency").
   */
  listByUser(userId: string): Promise<BookingRecord[]>;
  /** A show's bookings from a secondary index, which may lag a second behind writes (reports, recommendations). */
  listByShow(showId: string): Promise<BookingRecord[]>;
}

/** One show's changes as one message, with the version the feed gave it. */
export interface FeedMessage {
  showId: string;
  version: number;
  changes: SeatChangeRecord[];
}

/**
 * The ordered change stream of every show, shared by every process (Redis) or kept in one
 * (memory). Versions come from it alone: +1 per message per show.
 */
export interface ChangeFeed {
  /** Appends one message; resolves with its version. */
  append(showId: string, changes: SeatChangeRecord[]): Promise<number>;
  /** The last version given for the show (0: none yet). */
  current(showId: string): Promise<number>;
  /** Messages from..to (inclusive) that are still kept, in order; missing ones are left out. */
  replay(showId: string, from: number, to: number): Promise<FeedMessage[]>;
  /** Every message, this process's own included. */
  subscribe(handler: (m: FeedMessage) => void): void;
  /** Versions were lost or moved (Redis back after an outage): every room reloads. */
  onReset(handler: () => void): void;
}

/** Where a room's messages go: the show's watchers connected to this process (transport implements it). */
export interface RoomPublisher {
  /** `committedAt`: performance.now() when the change was committed in this process (absent for other processes' changes). */
  seatsChanged(msg: SeatsChanged, committedAt?: number): void;
  hasWatchers(showId: string): boolean;
  /** How many watchers of the show are connected here (sizes the batching window). */
  watchers?(showId: string): number;
}

/**
 * One rate limit, counted per key (an address, an account, a socket): by every process
 * together when they share Redis, else in this one.
 */
export interface Limiter {
  /** Counts one request for `key`: 0 when it is allowed, else the milliseconds until the next one is. */
  take(key: string): Promise<number>;
  /** Drops the key's count (a socket that closed). */
  forget(key: string): Promise<void>;
}

/**
 * The per-user socket cap, exact across processes: a slot is taken atomically, so two
 * handshakes at the same instant on two processes cannot both get the last one.
 */
export interface SocketSlots {
  /** Takes a slot of `userId` for `socketId` (true), unless the user already has the maximum (false); taking one it holds is true. */
  take(userId: string, socketId: string): Promise<boolean>;
  /** Gives the slot back (the socket closed, or acts for someone else now); idempotent. */
  free(userId: string, socketId: string): Promise<void>;
}

/** Where limits are counted (Redis, or this process's memory). */
export interface LimitStore {
  /**
   * A limiter of its own `name` (keys apart from every other limiter's) enforcing `policy`.
   * `local`: counted in this process even with Redis, for keys no other process ever sees (a socket id).
   */
  limiter(name: string, policy: BucketPolicy, opts?: { local?: boolean }): Limiter;
  socketSlots(maxPerUser: number): SocketSlots;
  /** Stops background work (lease refreshes); counts already taken stay until they lapse. */
  close(): void;
}

export interface OutboxRecord {
  /** `<kind>:<bookingId>` or `<kind>:<userId>:<n>`: also the deduplication id every channel receives. */
  id: string;
  kind: NotificationKind;
  /** Booking notices only. */
  bookingId?: string;
  userId: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  leaseUntil?: number;
  lastError?: string;
  createdAt: string;
  sentAt?: string;
  failedAt?: string;
}

/** Notifications written with the change they announce; delivered at least once by the dispatcher. */
export interface OutboxStore {
  /** Pending notifications whose next attempt is due, oldest first. */
  due(now: number, limit: number): Promise<OutboxRecord[]>;
  failed(): Promise<OutboxRecord[]>;
  forBooking(bookingId: string): Promise<OutboxRecord[]>;
  get(id: string): Promise<OutboxRecord | null>;
  /** Takes a lease on a due notification (attempts + 1); null when another worker has it or it is not due. */
  claim(id: string, now: number, leaseMs: number): Promise<OutboxRecord | null>;
  markSent(id: string, now: number): Promise<void>;
  markRetry(id: string, nextAttemptAt: number, error: string): Promise<void>;
  markFailed(id: string, now: number, error: string): Promise<void>;
  /** Puts a failed notification back in the queue (staff). */
  retryFailed(id: string, now: number): Promise<boolean>;
  /** Queues a notification on its own (idempotent by id). */
  add(note: NewNotification, now: number): Promise<void>;
}

/** The local mail outbox as GET /dev/mail shows it (the embedded default channel). */
export interface LocalMailbox<M = unknown> {
  list(): Promise<M[]>;
  /** The mails as JSON: attachments by link, not by content. */
  listed(mails: M[]): unknown[];
  renderHtml(mails: M[]): string;
  attachment(id: string, n: number): Promise<{ filename: string; contentType: string; content: Buffer } | null>;
}

export interface Notifier {
  send(message: MailMessage): Promise<void>;
  /** The channel sends `text` alone (SNS): mails for it are composed without HTML and attachments. */
  textOnly?: boolean;
}

/** What a gateway says about one of our payments (its order). */
export interface GatewayPaymentState {
  /** Our payment id, as we gave it to the gateway. */
  paymentId: string;
  /** The gateway's order (Razorpay order, Stripe Checkout Session, test order). */
  orderRef: string;
  /** `captured`: the money is ours; `failed`: the last attempt was declined (another may follow). */
  state: 'pending' | 'captured' | 'failed';
  /** The gateway's id of the capture (Razorpay payment, Stripe PaymentIntent); set when captured. */
  captureRef?: string;
  /** What was captured, minor units, and in which currency (checked against the booking). */
  amount: number;
  currency: string;
  /** A decline's reason, in the gateway's words. */
  error?: string;
}

/** A verified webhook: its id (replays carry the same one) and the payment state it reports. */
export interface GatewayEvent extends GatewayPaymentState {
  eventId: string;
}

/**
 * A payment gateway (test, Razorpay, Stripe). Every call is idempotent by our ids, so a
 * retry after a timeout or a crash never charges or refunds twice.
 */
export interface PaymentGateway {
  readonly name: 'test' | 'razorpay' | 'stripe';
  /** Creates (or finds again) the gateway's order for our payment; `payUrl` is where the user pays. */
  createOrder(p: {
    paymentId: string;
    bookingId: string;
    amount: number;
    currency: string;
    description: string;
    /** Our page the gateway sends the user back to (query parameters are the gateway's). */
    returnUrl: string;
    expiresAt: number;
  }): Promise<{ orderRef: string; payUrl: string }>;
  /** Asks the gateway what happened to the order: the user's return and reconciliation trust only this. */
  status(orderRef: string): Promise<GatewayPaymentState>;
  /** Checks the signature of a webhook and reads it; null when it is missing, forged or not about a payment. */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): GatewayEvent | null;
  /** Refunds `amount` of a capture; idempotent by `refundId`. */
  refund(r: { orderRef: string; captureRef: string; amount: number; currency: string; refundId: string }): Promise<{ refundRef: string; state: 'pending' | 'succeeded' | 'failed' }>;
  /** Where a refund stands now. */
  refundStatus(r: { refundRef: string; refundId: string }): Promise<'pending' | 'succeeded' | 'failed'>;
}

/** A refund being carried out: the work item `settleRefunds` claims, calls the gateway with, and settles. */
export interface RefundJob {
  refundId: string;
  bookingId: string;
  /** The refund's place in `booking.payment.refunds`. */
  index: number;
  amount: number;
  currency: string;
  orderRef: string;
  captureRef: string;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil?: number;
  /** The gateway's id, once it accepted the refund (later rounds ask its status). */
  refundRef?: string;
  lastError?: string;
}

/** What a capture carries into the booking. */
export interface CaptureRecord {
  /** The gateway's order, as the capture names it (a webhook can beat the write that stores it). */
  orderRef: string;
  captureRef?: string;
  /** ISO 8601. */
  capturedAt: string;
}

/**
 * The payment steps of docs/payments.md, each one conditional write or transaction. A false
 * (or a reason) is an expected outcome: the booking was no longer in the state the step needs.
 */
export interface PaymentStore {
  /** `openOrder`: stores the gateway's order on a pending_payment booking. */
  setOrder(bookingId: string, orderRef: string, payUrl: string): Promise<boolean>;
  /** `recordDecline`: the last attempt's error on a pending_payment booking. */
  setDeclined(bookingId: string, error: string): Promise<boolean>;
  /** `markPaid`: pending_payment → confirmed, payment captured, confirmation queued. */
  markPaid(booking: BookingRecord, capture: CaptureRecord, now: number, points?: PointsWrite | null): Promise<boolean>;
  /** `expireUnpaid`: pending_payment → expired, the seats (still this booking's) freed, a mail queued; watched for late money until `watchUntil`. */
  expire(args: { booking: BookingRecord; seatIds: string[]; now: number; at: number; watchUntil: number; points?: PointsWrite | null }): Promise<number | null>;
  /** `rebookLate`: expired → confirmed with every seat booked again, if each is free. */
  rebookLate(args: {
    booking: BookingRecord;
    capture: CaptureRecord;
    now: number;
    at: number;
    points?: PointsWrite | null;
  }): Promise<{ ok: true; at: number } | { ok: false; reason: 'seats-taken' | 'not-expired' }>;
  /** `refundLate`: an expired booking's late capture recorded with a full refund pending, and a mail. */
  refundLate(args: { booking: BookingRecord; capture: CaptureRecord; refund: RefundRecord; job: RefundJob; now: number }): Promise<boolean>;
  /** A capture that is not the quote: its refund promised (once per booking: false when it was already). */
  refundMismatch(args: { booking: BookingRecord; refund: RefundRecord; job: RefundJob }): Promise<boolean>;
  /** Bookings whose payment deadline passed while pending (oldest first). */
  overdue(now: number, limit: number): Promise<string[]>;
  /** Bookings reconciliation asks the gateway about: pending ones, and expired ones for a while (money may still come). */
  watched(now: number, limit: number): Promise<string[]>;
  /** Stops watching a booking for late money. */
  unwatch(bookingId: string): Promise<void>;
  dueRefunds(now: number, limit: number): Promise<RefundJob[]>;
  /** Takes a lease on a due refund (attempts + 1); null when another worker has it. */
  claimRefund(refundId: string, now: number, leaseMs: number): Promise<RefundJob | null>;
  /** Writes what the gateway said into the booking's refund and the job: done (succeeded), or again at `nextAttemptAt`. */
  settleRefund(job: RefundJob, outcome: { state: 'succeeded' | 'pending' | 'failed'; refundRef?: string; error?: string }, now: number, nextAttemptAt: number): Promise<void>;
  /** Refunds whose last attempt failed (admins). */
  failedRefunds(): Promise<RefundJob[]>;
  /** A booking the gateway and we disagree about (admins). */
  flag(bookingId: string, reason: string, now: number): Promise<void>;
  flagged(): Promise<{ bookingId: string; reason: string; at: string }[]>;
  /** Confirmed bookings with a payment that is not captured (reconciliation; a scan, run rarely). */
  confirmedUncaptured(): Promise<string[]>;
  /** One process at a time for `name` (reconciliation): true when this owner holds the lease until now + ms. */
  lease(name: string, owner: string, now: number, ms: number): Promise<boolean>;
}

/** Where a user stands in a show's waiting room. */
export type QueueStanding =
  | { status: 'admitted'; passExpiresAt: number }
  /**
   * `ticket`: the place in line, counted from 0 over the show's whole queue; null in the
   * pre-queue until the opening shuffle. Admission goes strictly by ticket, so
   * position = ticket - served + 1 (see `served`).
   */
  | { status: 'waiting'; ticket: number | null; position: number | null; ahead: number | null };

/** A show's queue settings as every process reads them (see domain/queue.ts). */
export interface StoredQueue {
  opensAt: number;
  /** Loyalty Gold members are admitted from this time on, before `opensAt`, without the line. */
  earlyAccessAt?: number;
  admitPerMinute: number;
  maxActiveBuyers?: number;
  passMinutes: number;
  /** `safety_net`: turned on by QUEUE_ACTIVE_BUYERS, and off again by it. */
  source: 'staff' | 'safety_net';
}

export interface QueueAdmission {
  userId: string;
  passExpiresAt: number;
  waitedMs: number;
}

/**
 * The waiting room's line per show: a pre-queue shuffled once at opening, then arrival
 * order; admission counted per minute (see domain/queue.ts). Memory for one process,
 * Redis (sorted sets + Lua) for several: each call is atomic across processes.
 */
export interface QueueLine {
  /** Idempotent: a user already waiting or holding a live pass keeps it. */
  join(showId: string, userId: string, now: number, opensAt: number): Promise<QueueStanding>;
  standing(showId: string, userId: string, now: number): Promise<QueueStanding | null>;
  /**
   * Opens the line if due (the pre-queue in `order`'s shuffle, once) and admits the next
   * users: at most `slotsOpened` in counting minute `minute` all told, at most `maxActive`
   * live passes. `shuffle` orders the pre-queue at opening.
   */
  admit(showId: string, args: { now: number; opensAt: number; minute: number; slotsOpened: number; maxActive: number | null; passMs: number; shuffle: (ids: string[]) => string[]; all?: boolean }): Promise<QueueAdmission[]>;
  /** Counters for the staff view: admitted per minute counts the last 60 s. */
  stats(showId: string, now: number): Promise<{ waiting: number; admitted: number; activePasses: number; recentWaitsMs: number[]; admittedPerMinute: number }>;
  /** How many have been admitted so far (the next ticket to serve), per show. */
  served(showIds: string[]): Promise<Map<string, number>>;
  /** Forgets the show's line and settings (the queue was ended and everyone admitted, or the show is over). */
  clear(showId: string): Promise<void>;
  /** Turns the show's queue on with these settings (or changes them); `ifOff`: only if it is off (true when written). */
  configure(showId: string, settings: StoredQueue, ifOff?: boolean): Promise<boolean>;
  /** Every show whose queue is on, with its settings. */
  configured(): Promise<Map<string, StoredQueue>>;
}

/** A viewer's review of a movie: one per user per movie (posting again edits it). */
export interface ReviewRecord {
  movieId: string;
  authorId: string;
  authorName: string;
  rating: number;
  text: string;
  createdAt: string;
  updatedAt: string;
  /** How many others marked it helpful (once each). */
  helpful: number;
  /** Set by staff or an admin: left out of the movie page and the ratings. */
  hidden?: { reason: string; by: string; at: string };
}

export interface ReviewStore {
  /** Writes the user's review (created, or edited keeping its creation time and helpful count); true when it is new. */
  put(r: Pick<ReviewRecord, 'movieId' | 'authorId' | 'authorName' | 'rating' | 'text'>, at: string): Promise<{ review: ReviewRecord; created: boolean }>;
  get(movieId: string, authorId: string): Promise<ReviewRecord | null>;
  list(movieId: string): Promise<ReviewRecord[]>;
  /** False when there was none. */
  remove(movieId: string, authorId: string): Promise<boolean>;
  /** One mark per voter and review, with the count, in one transaction. */
  markHelpful(movieId: string, authorId: string, voterId: string, at: string): Promise<'marked' | 'already' | 'missing'>;
  /** The authors whose reviews of the movie this voter marked helpful. */
  markedBy(movieId: string, voterId: string): Promise<Set<string>>;
  hide(movieId: string, authorId: string, hidden: NonNullable<ReviewRecord['hidden']>): Promise<boolean>;
}

export interface LeaseStore {
  /** Takes (or renews) the named lease for `ms` unless another owner holds it; true when taken. */
  take(name: string, owner: string, now: number, ms: number): Promise<boolean>;
}

/**
 * Where uploaded posters' image files live: a directory under DATA_DIR (the embedded
 * default) or an S3 bucket (POSTER_BUCKET). Keys are `/`-separated paths of [A-Za-z0-9_.-].
 */
export interface PosterStore {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The file, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the files (missing ones are no error). */
  delete(keys: string[]): Promise<void>;
}

/** Where the transports report what they serve (Prometheus through prom-client: adapters/metrics.ts). */
export interface Metrics {
  /** Starts timing a socket event; call the result with its outcome (ok or the error code). */
  ackTimer(event: string): (outcome: string) => void;
  seatsHeld(n: number): void;
  booked(status: string): void;
  httpResponse(status: number): void;
  /** One store command (DynamoDB) by operation (`TransactWriteItems`, ...) and outcome (ok or the error name). */
  storeCall(operation: string, seconds: number, outcome: string): void;
  /** One store attempt turned back by throttling or a transaction conflict (each attempt, SDK retries included). */
  storeThrottled(operation: string, reason: string): void;
  /**
   * One `seats:changed` message sent to this process's watchers: its seat count, and for changes
   * made in this process the time from the change (the write's commit to the room) to the emit.
   */
  broadcast(seats: number, sinceChangeSeconds: number | null): void;
  /** One outbox delivery attempt: sent, retry, or failed (parked after the last attempt); `ageSeconds` since queued, once sent. */
  outboxDelivery(outcome: 'sent' | 'retry' | 'failed', ageSeconds: number | null): void;
  /** Age of the oldest notice that is due and unsent, seen at the dispatcher's last round (0: none). */
  outboxLag(seconds: number): void;
  /** A booking's payment moved to `status` (announced to its owner). */
  paymentStatus(status: string): void;
  /** The scrape: its content type and text. */
  contentType: string;
  render(): Promise<string>;
}

/** One message received from the mail queue (SQS behind the SNS topic). */
export interface ReceivedMail {
  body: string | undefined;
  attributes: Record<string, { DataType?: string; StringValue?: string } | undefined>;
  /** How many times the queue has handed this message out, this time included. */
  receiveCount: number;
  /** The handle of this receive: delete or release the message with it. */
  handle: string;
  id: string;
}

/** The mailer's queue: long-polls, deletes what was sent, and hands back what was not after a delay. */
export interface MailQueue {
  receive(): Promise<ReceivedMail[]>;
  delete(handle: string): Promise<void>;
  /** Leaves the message on the queue, visible again after `seconds` (the redrive policy counts receives). */
  release(handle: string, seconds: number): Promise<void>;
}

/** Sends one text mail to one address (SES); throws with the provider's error name when it cannot. */
export interface MailSender {
  send(mail: { to: string; subject: string; text: string }): Promise<void>;
}
