/**
 * Every HTTP body and Socket.IO payload, written once as a zod schema; the
 * TypeScript types are inferred from these. The server validates incoming data
 * with them and the client is typed by them.
 */
import { z } from 'zod';
import { MovieDetails } from './movies.js';
import { BookingPoints, QuotePoints, UsePoints } from './loyalty.js';

export const MAX_SEATS_PER_REQUEST = 50;

export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"');
export const SeatId = z.string().regex(/^[A-Z]{1,2}[1-9][0-9]{0,2}$/, 'must be a row letter and a seat number, like "G7"');
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-25');
export const Money = z.number().int().nonnegative();
export const Currency = z.enum(['INR', 'AED']);

const SeatIdList = z
  .array(SeatId)
  .min(1, 'name at least one seat')
  .max(MAX_SEATS_PER_REQUEST, `at most ${MAX_SEATS_PER_REQUEST} seats per request`)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'seat ids must not repeat', params: { reason: 'not_unique' } });

// ---- auth -----------------------------------------------------------------
const NewPassword = z.string().min(8, 'must be at least 8 characters').max(200);
export const Email = z.string().trim().toLowerCase().max(254).email('must be an email address');
export const RegisterRequest = z.object({
  name: z.string().trim().min(1, 'is required').max(80),
  email: Email,
  password: NewPassword,
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = z.object({
  email: Email,
  password: z.string().min(1, 'is required').max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const Role = z.enum(['customer', 'staff', 'admin']);
export const User = z.object({ id: Id, name: z.string(), email: z.string(), role: Role, emailVerified: z.boolean() });
export type User = z.infer<typeof User>;
/**
 * A signed-in session: a short-lived access token (Bearer header, socket handshake) and,
 * in an httpOnly cookie the script never sees, a rotating refresh token.
 */
export const AuthResponse = z.object({
  token: z.string(),
  /** When `token` stops working (ISO 8601 UTC); refresh before then. */
  expiresAt: z.string(),
  user: User,
});
export type AuthResponse = z.infer<typeof AuthResponse>;

/** The signed codes that arrive by email (verification, password reset). */
const EmailedCode = z.string().trim().min(10).max(300).regex(/^[A-Za-z0-9._-]+$/, 'is not a code we sent');
export const VerifyEmailRequest = z.object({ token: EmailedCode });
export type VerifyEmailRequest = z.infer<typeof VerifyEmailRequest>;
export const ForgotPasswordRequest = z.object({ email: Email });
export type ForgotPasswordRequest = z.infer<typeof ForgotPasswordRequest>;
export const ResetPasswordRequest = z.object({ token: EmailedCode, password: NewPassword });
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>;
export const ChangePasswordRequest = z.object({
  currentPassword: z.string().min(1, 'is required').max(200),
  newPassword: NewPassword,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;
/** Socket `session:renew`: a fresh access token for the same user, without reconnecting. */
export const RenewSessionRequest = z.object({ token: z.string().min(1).max(4096) });
export type RenewSessionRequest = z.infer<typeof RenewSessionRequest>;
export const SessionEnded = z.object({ reason: z.enum(['expired', 'revoked']) });
export type SessionEnded = z.infer<typeof SessionEnded>;

// ---- catalogue ------------------------------------------------------------
/** The part of the day a show starts in by its theatre's clock (rule: `timeOfDay` in server/domain/show-time.ts). */
export const TimeOfDay = z.enum(['morning', 'afternoon', 'evening', 'night']);
export type TimeOfDay = z.infer<typeof TimeOfDay>;
export const ShowsQuery = z.object({
  city: z.string().trim().min(1).max(80).optional(),
  date: IsoDate.optional(),
  language: z.string().trim().min(1).max(40).optional(),
  movie: z.string().trim().min(1).max(100).optional(),
  /** One or more parts of the day, comma-separated: `timeOfDay=evening,night`. */
  timeOfDay: z
    .string()
    .max(60)
    .transform((v) => v.split(','))
    .pipe(z.array(TimeOfDay).min(1))
    .optional(),
});
export type ShowsQuery = z.infer<typeof ShowsQuery>;

export const CityRef = z.object({ id: Id, name: z.string() });
export const City = CityRef.extend({ timeZone: z.string(), currency: Currency });
export type City = z.infer<typeof City>;
export const Movie = z.object({
  id: Id,
  title: z.string(),
  languages: z.array(z.string()),
  genres: z.array(z.string()),
  runtimeMinutes: z.number().int().positive(),
  certificate: z.string(),
  ...MovieDetails.shape,
});
export type Movie = z.infer<typeof Movie>;
export const Theatre = z.object({
  id: Id,
  name: z.string(),
  address: z.string(),
  cityId: Id,
  timeZone: z.string(),
});
export type Theatre = z.infer<typeof Theatre>;

/**
 * What a category of seats is, for filters, drawing and rules: a `couple` seat is one half
 * of a two-seat unit held and sold together (see `Seat.pair`).
 */
export const SeatKind = z.enum(['standard', 'premium', 'recliner', 'couple', 'vip']);
export type SeatKind = z.infer<typeof SeatKind>;
export const Category = z.object({ id: Id, label: z.string().min(1).max(40), kind: SeatKind.default('standard') });
export const LayoutRow = z.object({
  label: z.string().regex(/^[A-Z]{1,2}$/),
  category: Id,
  /** Seat counts of the row's blocks, left to right; an aisle separates blocks. */
  blocks: z.array(z.number().int().min(1).max(120)).min(1).max(10),
});
export const Layout = z.object({
  categories: z.array(Category).min(1),
  rows: z.array(LayoutRow).min(1).max(120),
  /** Wheelchair spaces. */
  accessible: z.array(SeatId).default([]),
  /** Companion seats, each beside a wheelchair space; sold with it to accessible requests first. */
  companions: z.array(SeatId).default([]),
});
export type Layout = z.infer<typeof Layout>;

/** How full a show is, at a glance (thresholds in server/domain/availability.ts). */
export const AvailabilityLevel = z.enum(['plenty', 'filling', 'almost_full', 'sold_out']);
export type AvailabilityLevel = z.infer<typeof AvailabilityLevel>;
export const Availability = z.object({ level: AvailabilityLevel, free: z.number().int().nonnegative() });
export type Availability = z.infer<typeof Availability>;

export const ShowSummary = z.object({
  id: Id,
  movie: z.object({ id: Id, title: z.string() }),
  theatre: z.object({ id: Id, name: z.string(), address: z.string() }),
  city: CityRef,
  screen: z.object({ id: Id, name: z.string() }),
  language: z.string(),
  /** ISO 8601 with the theatre's own UTC offset. */
  startsAt: z.string(),
  timeZone: z.string(),
  currency: Currency,
  /** Price per category id, integer minor units. */
  prices: z.record(z.string(), Money),
  capacity: z.number().int(),
  /** The seat kinds of the screen's categories, for the showtime filters. */
  seatKinds: z.array(SeatKind),
  /** Whether the screen has wheelchair spaces. */
  wheelchair: z.boolean(),
  /** Free seats now (live holds and bookings taken out); in the listing (`GET /api/shows`) only. */
  availability: Availability.optional(),
});
export type ShowSummary = z.infer<typeof ShowSummary>;
export const ShowsResponse = z.object({ shows: z.array(ShowSummary) });

export const SeatStatus = z.enum(['free', 'held', 'booked']);
export type SeatStatus = z.infer<typeof SeatStatus>;
export const Seat = z.object({
  id: SeatId,
  row: z.string(),
  number: z.number().int(),
  /** Grid column, counting aisles as empty columns (0-based). */
  col: z.number().int(),
  category: Id,
  price: Money,
  status: SeatStatus,
  /** A wheelchair space. */
  accessible: z.boolean(),
  /** A companion seat beside a wheelchair space. */
  companion: z.boolean().optional(),
  /** The other half of a couple seat: the two are held, released and sold together. */
  pair: SeatId.optional(),
});
export type Seat = z.infer<typeof Seat>;
export const SeatMap = z.object({
  showId: Id,
  version: z.number().int().nonnegative(),
  currency: Currency,
  categories: z.array(Category.extend({ price: Money })),
  seats: z.array(Seat),
});
export type SeatMap = z.infer<typeof SeatMap>;

export const Snapshot = SeatMap.extend({
  /** The caller's own live holds on this show (logged-in callers only). */
  mine: z.object({ seatIds: z.array(SeatId), expiresAt: z.string().nullable() }).optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;

// ---- bookings -------------------------------------------------------------
export const PriceBreakdown = z.object({
  tickets: Money,
  convenienceFee: Money,
  tax: Money,
  /** Paid with loyalty points (taken off the total); absent when none were used. */
  discount: Money.optional(),
});
/** A refund of (part of) a captured payment, tracked until the gateway settles it. */
export const Refund = z.object({
  id: Id,
  amount: Money,
  status: z.enum(['pending', 'succeeded', 'failed']),
  /** `cancelled` (user or staff), `show_cancelled`, `late_payment` (money after the seats were gone), `mismatch` (a capture that is not the quote, found by reconciliation). */
  reason: z.enum(['cancelled', 'show_cancelled', 'late_payment', 'mismatch']),
  createdAt: z.string(),
  settledAt: z.string().optional(),
});
export type Refund = z.infer<typeof Refund>;
/**
 * A booking's payment. `pending`: waiting for the money (a declined attempt leaves it
 * pending with `lastError` until the deadline); `captured`: the gateway holds the money;
 * `expired`: the deadline passed with no money.
 */
export const Payment = z.object({
  id: Id,
  gateway: z.enum(['test', 'razorpay', 'stripe']),
  amount: Money,
  currency: Currency,
  status: z.enum(['pending', 'captured', 'expired']),
  /** Where the user pays (the gateway's page); null until the gateway's order exists. */
  payUrl: z.string().nullable(),
  /** The payment deadline (ISO 8601 UTC). */
  expiresAt: z.string(),
  capturedAt: z.string().optional(),
  /** The last declined attempt, in the gateway's words. */
  lastError: z.string().optional(),
  refunds: z.array(Refund),
});
export type Payment = z.infer<typeof Payment>;
export const Booking = z.object({
  id: Id,
  showId: Id,
  seats: z.array(SeatId),
  lines: z.array(z.object({ seatId: SeatId, category: Id, price: Money })),
  currency: Currency,
  total: Money,
  breakdown: PriceBreakdown,
  /** `pending_payment` → `confirmed` (paid) or `expired` (not paid in time); `confirmed` → `cancelled`. */
  status: z.enum(['pending_payment', 'confirmed', 'expired', 'cancelled']),
  createdAt: z.string(),
  /** Absent when the box office books without a gateway (PAYMENT_GATEWAY=none). */
  payment: Payment.optional(),
  /** Set when cancelled: what the refund policy gave back, in minor units. */
  cancelledAt: z.string().optional(),
  refund: z.object({ percent: z.number().int().min(0).max(100), amount: Money }).optional(),
  /** Set once the ticket was scanned at the door. */
  usedAt: z.string().optional(),
  /** Loyalty points the booking used and earns (bookings made before loyalty have none). */
  loyalty: BookingPoints.optional(),
  /** The signed code in the ticket's QR (owner and staff only). */
  ticketCode: z.string().optional(),
  /** On GET /api/bookings/:id of a cancellable booking: what cancelling now would refund. */
  refundIfCancelledNow: z.object({ percent: z.number().int().min(0).max(100), amount: Money }).optional(),
  show: z.object({
    movieTitle: z.string(),
    theatreId: Id.optional(),
    theatreName: z.string(),
    theatreAddress: z.string(),
    screenName: z.string(),
    language: z.string(),
    startsAt: z.string(),
    timeZone: z.string(),
  }),
});
export type Booking = z.infer<typeof Booking>;
export const BookingsResponse = z.object({ bookings: z.array(Booking) });

/** `GET /api/shows/:id/quote?seats=A1,A2`: the server's price for seats before confirming. */
export const QuoteQuery = z.object({
  seats: z
    .string()
    .max(400)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(SeatIdList),
  /** Loyalty points to use (signed-in callers): the quote applies what the server allows. */
  points: z.coerce.number().pipe(UsePoints).optional(),
});
export const Quote = z.object({
  showId: Id,
  currency: Currency,
  lines: Booking.shape.lines,
  breakdown: PriceBreakdown,
  total: Money,
  loyalty: QuotePoints.optional(),
});
export type Quote = z.infer<typeof Quote>;

// ---- socket payloads ------------------------------------------------------
/**
 * A waiting-room pass (`queue:admitted`, `queue:join`): while a show's queue is on, buyers
 * send it with `show:join`, `seat:hold`, `seat:hold-best` and `booking:confirm`, or rely on
 * the one bound to their socket by `queue:join` / `show:join`.
 */
export const QueuePass = z.string().regex(/^qp\.[A-Za-z0-9_.-]{1,300}$/, 'must be a waiting-room pass');
export const JoinRequest = z.object({ showId: Id, pass: QueuePass.optional() });
export type JoinRequest = z.infer<typeof JoinRequest>;
/**
 * `show:leave`. `release`: what happens to the caller's holds on the show when no other
 * socket of theirs still has it open: `now` (left for another page), `later` (the tab is
 * closing or reloading: released after a short grace unless the show is opened again).
 * Absent: the holds stay (on the way to checkout).
 */
export const LeaveRequest = z.object({ showId: Id, release: z.enum(['now', 'later']).optional() });
export type LeaveRequest = z.infer<typeof LeaveRequest>;
export const HoldRequest = z.object({ showId: Id, seatIds: SeatIdList, pass: QueuePass.optional() });
export type HoldRequest = z.infer<typeof HoldRequest>;
export const ReleaseRequest = z.object({ showId: Id, seatIds: SeatIdList });
export type ReleaseRequest = z.infer<typeof ReleaseRequest>;
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{8,100}$/, 'must be 8-100 printable characters');
/** `usePoints`: how many loyalty points to pay with; the server prices and caps them (never an amount from the client). */
export const ConfirmRequest = z.object({ showId: Id, idempotencyKey: IdempotencyKey, pass: QueuePass.optional(), usePoints: UsePoints.optional() });
export type ConfirmRequest = z.infer<typeof ConfirmRequest>;

export const SeatChange = z.object({ seatId: SeatId, status: SeatStatus });
export type SeatChange = z.infer<typeof SeatChange>;
export const SeatsChanged = z.object({
  showId: Id,
  /** +1 per message for this show; a gap means a missed message: rejoin for a snapshot. */
  version: z.number().int().positive(),
  changes: z.array(SeatChange),
});
export type SeatsChanged = z.infer<typeof SeatsChanged>;

export const HoldResult = z.object({ showId: Id, seatIds: z.array(SeatId), expiresAt: z.string() });
export type HoldResult = z.infer<typeof HoldResult>;
/** Best available: hold `count` seats side by side (never stranding a single free seat). */
export const HoldBestRequest = z.object({
  showId: Id,
  count: z.number().int().min(1).max(10),
  categoryId: Id.optional(),
  /** Include a wheelchair space with its companion seat. */
  accessible: z.boolean().optional(),
  pass: QueuePass.optional(),
});
export type HoldBestRequest = z.infer<typeof HoldBestRequest>;
/** `seatIds`/`expiresAt`: everything the caller now holds on the show; `chosen`: the seats this call picked. */
export const HoldBestResult = HoldResult.extend({ chosen: z.array(SeatId) });
export type HoldBestResult = z.infer<typeof HoldBestResult>;
/** `released`: what this call freed; `seatIds`/`expiresAt`: what the caller still holds (null: no timer). */
export const ReleaseResult = z.object({ showId: Id, released: z.array(SeatId), seatIds: z.array(SeatId), expiresAt: z.string().nullable() });
export type ReleaseResult = z.infer<typeof ReleaseResult>;
/** Sent to a user's other sockets when their holds on a show change (another tab held, released or booked). */
export const CartChanged = z.object({ showId: Id, seatIds: z.array(SeatId), expiresAt: z.string().nullable() });
export type CartChanged = z.infer<typeof CartChanged>;

/**
 * `booking:changed` (socket, to the owner's sockets): the booking's status or payment moved
 * (paid, declined, expired, refunded). The return page waits for it.
 */
export const BookingChanged = z.object({ booking: Booking });
export type BookingChanged = z.infer<typeof BookingChanged>;
/**
 * `POST /api/bookings/:id/pay`: (re)opens the gateway's order of a `pending_payment` booking
 * and answers it with `payment.payUrl`. `POST /api/bookings/:id/payment/check` (the user came
 * back from the gateway): asks the gateway, applies what it says, answers the booking.
 */
export const PaymentResponse = z.object({ booking: Booking });

/** `POST /api/bookings/:id/cancel`: the booking, now cancelled, with its refund. */
export const CancelResponse = z.object({ booking: Booking });

/** `POST /api/tickets/verify` (staff): checks a scanned or typed ticket code and marks it used. */
export const VerifyTicketRequest = z.object({ code: z.string().trim().min(1).max(200) });
/** `wrong_time`: a genuine, unused ticket shown outside its door window (not marked used). */
export const TicketVerdict = z.enum(['valid', 'already_used', 'cancelled', 'wrong_time', 'forged']);
/** Times here are theatre-local ISO 8601 with the theatre's offset (like a show's `startsAt`). */
export const TicketSummary = z.object({
  id: Id,
  movieTitle: z.string(),
  theatreName: z.string(),
  screenName: z.string(),
  language: z.string(),
  startsAt: z.string(),
  /** Start + the movie's runtime. */
  endsAt: z.string(),
  timeZone: z.string(),
  seats: z.array(SeatId),
  /** The door lets this ticket in from `doorOpensAt` (inclusive) until `doorClosesAt` (exclusive). */
  doorOpensAt: z.string(),
  doorClosesAt: z.string(),
  /** When the ticket was checked in. */
  usedAt: z.string().optional(),
});
export type TicketSummary = z.infer<typeof TicketSummary>;
export const VerifyTicketResponse = z.object({
  result: TicketVerdict,
  /** English, for scripts and logs; the client words the verdict from the fields. */
  message: z.string(),
  /** With `wrong_time`: before the door opens, or after it closed. */
  timing: z.enum(['early', 'late']).optional(),
  /** Every verdict but `forged`. */
  booking: TicketSummary.optional(),
});
export type VerifyTicketResponse = z.infer<typeof VerifyTicketResponse>;

/** Staff view of the notification outbox. */
export const OutboxEntry = z.object({
  id: z.string(),
  kind: z.string(),
  bookingId: Id,
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().optional(),
  createdAt: z.string(),
  sentAt: z.string().optional(),
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

// ---- Staff (theatre staff and admins) ----

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-01');
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 18:30');

/** `GET /api/staff/shows/:id/occupancy`. Revenue = ticket prices of confirmed bookings (minor units). */
export const Occupancy = z.object({
  showId: Id,
  capacity: z.number().int(),
  booked: z.number().int(),
  held: z.number().int(),
  free: z.number().int(),
  revenue: Money,
  currency: Currency,
});
export type Occupancy = z.infer<typeof Occupancy>;

export const StaffShow = z.object({ show: ShowSummary, occupancy: Occupancy });
export type StaffShow = z.infer<typeof StaffShow>;
export const StaffDayQuery = z.object({ date: LocalDate.optional() });

/** `POST /api/staff/shows`: start time in the theatre's own zone. */
export const CreateShowRequest = z.object({
  screenId: Id,
  movieId: Id,
  date: LocalDate,
  time: LocalTime,
  language: z.string().min(1).max(40),
  prices: z.record(Id, Money.max(10_000_000)),
});
export type CreateShowRequest = z.infer<typeof CreateShowRequest>;
export const UpdateShowRequest = CreateShowRequest.partial().refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateShowRequest = z.infer<typeof UpdateShowRequest>;

export const PutLayoutRequest = z.object({ layout: Layout });

export const ReportQuery = z.object({
  from: LocalDate,
  to: LocalDate,
  format: z.enum(['json', 'csv']).default('json'),
});
export const ReportRow = z.object({
  showId: Id,
  date: LocalDate,
  time: z.string(),
  movie: z.string(),
  screen: z.string(),
  capacity: z.number().int(),
  seatsSold: z.number().int(),
  bookings: z.number().int(),
  occupancyPercent: z.number(),
  revenue: Money,
  currency: Currency,
});
export type ReportRow = z.infer<typeof ReportRow>;

// ---- test gateway drive routes (only while PAYMENT_GATEWAY=test) ------------
/**
 * `POST /api/test-gateway/payments/:ref/succeed` and `/fail` (`:ref` is the order ref or our
 * payment id): a customer pays or is declined now. `webhook: false` leaves the webhook out
 * (a lost one: the user's return or reconciliation must find the payment).
 */
export const TestGatewayDrive = z.object({
  webhook: z.boolean().default(true),
  /** `/fail` only: the decline's reason, in the gateway's words. */
  reason: z.string().trim().min(1).max(200).optional(),
});
export type TestGatewayDrive = z.infer<typeof TestGatewayDrive>;
/** `POST /api/test-gateway/payments/:ref/succeed-late`: captured now, the webhook sent `delayMs` later. */
export const TestGatewayDriveLate = z.object({ delayMs: z.number().int().min(0).max(3_600_000) });
export type TestGatewayDriveLate = z.infer<typeof TestGatewayDriveLate>;
/**
 * `POST /api/test-gateway/refunds/fail-next`: the next `count` refunds fail, as `failed`
 * refunds (the bank refused) or as `error`s (the gateway's API is down: the call throws).
 */
export const TestGatewayRefundFail = z.object({
  count: z.number().int().min(1).max(1000).default(1),
  mode: z.enum(['failed', 'error']).default('failed'),
});
export type TestGatewayRefundFail = z.infer<typeof TestGatewayRefundFail>;
/** The test gateway's own view of an order, as the drive routes answer it. */
export const TestGatewayOrder = z.object({
  orderRef: z.string(),
  paymentId: z.string(),
  bookingId: z.string(),
  amount: Money,
  currency: z.string(),
  state: z.enum(['pending', 'captured', 'failed']),
  captureRef: z.string().optional(),
  error: z.string().optional(),
  /** Epoch ms: an "approve later" attempt is captured then. */
  approveAt: z.number().optional(),
  refunded: Money,
});
export type TestGatewayOrder = z.infer<typeof TestGatewayOrder>;
/** The answer of a drive route: the order now, whether this call changed it, and its webhook. */
export const TestGatewayDriveResponse = z.object({
  order: TestGatewayOrder,
  changed: z.boolean(),
  /** Null when nothing changed or no webhook was asked for; `delivered` is the first attempt's outcome (retries follow). */
  webhook: z
    .object({ eventId: z.string(), delivered: z.boolean(), status: z.number().int().optional(), delayMs: z.number().int().optional() })
    .nullable(),
});
export type TestGatewayDriveResponse = z.infer<typeof TestGatewayDriveResponse>;

// ---- the waiting room -----------------------------------------------------
/** `queue:join {showId}`: take (or find again) the caller's place in the show's queue. */
export const QueueJoinRequest = z.object({ showId: Id });
export type QueueJoinRequest = z.infer<typeof QueueJoinRequest>;
/**
 * Where a waiting user stands. `position` (1 = next) and `ahead` are null in the pre-queue
 * until the opening shuffle at `opensAt`; `estimatedWaitSeconds` counts to the opening then.
 */
export const QueueWaiting = z.object({
  showId: Id,
  position: z.number().int().positive().nullable(),
  ahead: z.number().int().nonnegative().nullable(),
  estimatedWaitSeconds: z.number().int().nonnegative(),
  /** ISO 8601 UTC: when the pre-queue is shuffled and admission starts. */
  opensAt: z.string(),
});
export type QueueWaiting = z.infer<typeof QueueWaiting>;
/** `queue:admitted` (pushed to the user's sockets) and an admitted `queue:join`: the pass and its expiry (ISO 8601 UTC). */
export const QueueAdmitted = z.object({ showId: Id, pass: QueuePass, expiresAt: z.string() });
export type QueueAdmitted = z.infer<typeof QueueAdmitted>;
export const QueueJoinResult = z.discriminatedUnion('status', [
  QueueAdmitted.extend({ status: z.literal('admitted') }),
  QueueWaiting.extend({ status: z.literal('waiting') }),
]);
export type QueueJoinResult = z.infer<typeof QueueJoinResult>;

/** `PUT /api/staff/shows/:id/queue`. `opensAt` (ISO 8601 with offset): absent = now. */
export const PutQueueRequest = z.object({
  opensAt: z.string().datetime({ offset: true }).optional(),
  /** Loyalty Gold members are admitted from this time (before `opensAt`) without waiting in line. */
  earlyAccessAt: z.string().datetime({ offset: true }).optional(),
  admitPerMinute: z.number().int().min(1).max(100_000),
  maxActiveBuyers: z.number().int().min(1).max(1_000_000).optional(),
  passMinutes: z.number().int().min(1).max(120).optional(),
});
export type PutQueueRequest = z.infer<typeof PutQueueRequest>;
/** A show's queue as staff see it (`GET`/`PUT /api/staff/shows/:id/queue`); `queue: null` when it is off. */
export const QueueView = z.object({
  showId: Id,
  /** `staff`: set on the dashboard or API; `safety_net`: turned on by QUEUE_ACTIVE_BUYERS. */
  source: z.enum(['staff', 'safety_net']),
  opensAt: z.string(),
  /** Gold members' early access (absent: none). */
  earlyAccessAt: z.string().optional(),
  admitPerMinute: z.number().int(),
  maxActiveBuyers: z.number().int().nullable(),
  passMinutes: z.number().int(),
  stats: z.object({
    waiting: z.number().int(),
    admitted: z.number().int(),
    activePasses: z.number().int(),
    /** Admissions in the last 60 s. */
    admittedPerMinute: z.number().int(),
    medianWaitSeconds: z.number().nullable(),
  }),
});
export type QueueView = z.infer<typeof QueueView>;
export const QueueResponse = z.object({ queue: QueueView.nullable() });
export type QueueResponse = z.infer<typeof QueueResponse>;
/** `DELETE /api/staff/shows/:id/queue`: everyone still waiting was admitted, in order. */
export const QueueEnded = z.object({ queue: z.null(), admitted: z.number().int() });
export type QueueEnded = z.infer<typeof QueueEnded>;
