/**
 * The HTTP API as data: every route with its zod schemas (path, query, body, responses per
 * status) and the error codes it can answer. The OpenAPI document (`GET /api/openapi.json`,
 * server/transport/openapi.ts) is built from this table, and a test walks the express router
 * and checks that it registers exactly these routes.
 */
import { z } from 'zod';
import { ErrorCode, Reason } from './errors.js';
import { LoyaltyAccount } from './loyalty.js';
import { AgainResponse, FavouriteKind, FavouritesResponse, PreferencesRequest, PreferencesResponse } from './me.js';
import { PosterQuery } from './movies.js';
import { RecommendationsQuery, RecommendationsResponse } from './recommendations.js';
import { HideReviewRequest, RatingSummary, Review, ReviewRequest, ReviewsQuery, ReviewsResponse } from './reviews.js';
import {
  AuthResponse,
  Booking,
  BookingsResponse,
  CancelResponse,
  ChangePasswordRequest,
  City,
  CreateShowRequest,
  Currency,
  ForgotPasswordRequest,
  Id,
  Layout,
  LoginRequest,
  Movie,
  Occupancy,
  OutboxEntry,
  PaymentResponse,
  PutLayoutRequest,
  PutQueueRequest,
  QueueEnded,
  QueueResponse,
  Quote,
  QuoteQuery,
  RegisterRequest,
  ReportQuery,
  ReportRow,
  ResetPasswordRequest,
  SeatMap,
  ShowsQuery,
  ShowsResponse,
  ShowSummary,
  StaffDayQuery,
  StaffShow,
  TestGatewayDrive,
  TestGatewayDriveLate,
  TestGatewayDriveResponse,
  TestGatewayOrder,
  TestGatewayRefundFail,
  Theatre,
  UpdateShowRequest,
  User,
  VerifyEmailRequest,
  VerifyTicketRequest,
  VerifyTicketResponse,
} from './schemas.js';
import { SearchQuery, SearchResults } from './search.js';

const Problem = z.object({
  path: z.string(),
  reason: z.enum(Reason),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])).optional(),
  message: z.string(),
});
/** The body of every failed response: `{error: {code, message, reason?, params?, seatIds?, details?}}`. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ErrorCode),
    message: z.string(),
    reason: z.enum(Reason).optional(),
    params: Problem.shape.params,
    seatIds: z.array(z.string()).optional(),
    details: z.array(Problem).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A screen as staff see it (`GET /api/staff/theatres/:theatreId/screens`). */
export const Screen = z.object({ id: Id, theatreId: Id, name: z.string(), layout: Layout });
/** A show as stored, as the staff write routes answer it: `startsAt` in epoch ms (UTC). */
export const StoredShow = z.object({
  id: Id,
  movieId: Id,
  screenId: Id,
  theatreId: Id,
  cityId: Id,
  language: z.string(),
  startsAt: z.number().int(),
  localDate: z.string(),
  currency: Currency,
  prices: z.record(z.string(), z.number().int()),
  status: z.enum(['scheduled', 'cancelled']),
});

/** Shared schemas that get a name of their own in the OpenAPI components (`#/components/schemas/<name>`). */
export const apiComponents = {
  ErrorBody,
  User,
  AuthResponse,
  City,
  Movie,
  Theatre,
  ShowSummary,
  Layout,
  SeatMap,
  Quote,
  Booking,
  Review,
  RatingSummary,
  Occupancy,
  StaffShow,
  Screen,
  StoredShow,
  TestGatewayOrder,
  TestGatewayDriveResponse,
} as const;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Who may call: anyone; a signed-in user (Bearer); theatre staff or admins; admins; the refresh cookie. */
export type Access = 'public' | 'user' | 'staff' | 'admin' | 'refresh-cookie' | 'optional-user' | 'loopback-or-token' | 'gateway-signature';
/** A body that is not JSON: its media type and what it is. */
export interface OtherBody {
  media: string;
  description: string;
}
export type ResponseBody = z.ZodType | OtherBody | null;

export interface ApiRoute {
  method: Method;
  /** OpenAPI style (`/api/shows/{id}`); express registers `/api/shows/:id` (see `expressPath`). */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType | OtherBody;
  /** Success statuses and their bodies (null: no body). */
  responses: Record<number, ResponseBody>;
  /** Other media types the 200 answer can take instead (a query parameter asks for one). */
  alternatives?: OtherBody[];
  /** The error codes this route can answer, beyond INTERNAL (any route, 500). */
  errors: ErrorCode[];
  /** Mounted only in some configurations. */
  only?: string;
}

const idParam = z.object({ id: Id });
const ok = z.object({ ok: z.literal(true) });
const pdf: OtherBody = { media: 'application/pdf', description: 'The ticket as a PDF, with its QR code.' };
const AUTH: ErrorCode[] = ['UNAUTHENTICATED'];
const STAFF: ErrorCode[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'VALIDATION', 'NOT_FOUND'];
const TEST_GATEWAY = 'PAYMENT_GATEWAY=test';

export const apiRoutes: readonly ApiRoute[] = [
  // ---- probes and the API's own description ----
  { method: 'get', path: '/healthz', operationId: 'health', summary: 'The process is up', tag: 'probes', access: 'public', responses: { 200: ok }, errors: [] },
  { method: 'get', path: '/readyz', operationId: 'ready', summary: 'The store is reachable', tag: 'probes', access: 'public', responses: { 200: ok }, errors: ['UNAVAILABLE'] },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics (this host, or a scraper with METRICS_TOKEN)',
    tag: 'probes',
    access: 'loopback-or-token',
    responses: { 200: { media: 'text/plain', description: 'Prometheus text format 0.0.4.' } },
    errors: ['FORBIDDEN'],
    only: 'metrics on (the default)',
  },
  { method: 'get', path: '/api/openapi.json', operationId: 'openapi', summary: 'This document (OpenAPI 3.1)', tag: 'meta', access: 'public', responses: { 200: z.looseObject({ openapi: z.string() }) }, errors: [] },
  {
    method: 'get',
    path: '/api/asyncapi.json',
    operationId: 'asyncapi',
    summary: 'The Socket.IO events (AsyncAPI 3.0)',
    tag: 'meta',
    access: 'public',
    responses: { 200: z.looseObject({ asyncapi: z.string() }) },
    errors: [],
  },

  // ---- accounts ----
  { method: 'post', path: '/api/auth/register', operationId: 'register', summary: 'Sign up (sets the refresh cookie)', tag: 'accounts', access: 'public', body: RegisterRequest, responses: { 201: AuthResponse }, errors: ['VALIDATION', 'EMAIL_TAKEN', 'RATE_LIMITED'] },
  { method: 'post', path: '/api/auth/login', operationId: 'login', summary: 'Log in (sets the refresh cookie)', tag: 'accounts', access: 'public', body: LoginRequest, responses: { 200: AuthResponse }, errors: ['VALIDATION', 'UNAUTHENTICATED', 'RATE_LIMITED'] },
  { method: 'post', path: '/api/auth/refresh', operationId: 'refresh', summary: 'A fresh access token from the refresh cookie (rotates it)', tag: 'accounts', access: 'refresh-cookie', responses: { 200: AuthResponse }, errors: AUTH },
  { method: 'post', path: '/api/auth/logout', operationId: 'logout', summary: 'End this session', tag: 'accounts', access: 'optional-user', responses: { 204: null }, errors: [] },
  { method: 'post', path: '/api/auth/logout-all', operationId: 'logoutAll', summary: 'End every session of the caller', tag: 'accounts', access: 'user', responses: { 204: null }, errors: AUTH },
  {
    method: 'post',
    path: '/api/auth/verify-email',
    operationId: 'verifyEmail',
    summary: 'Confirm the email address with the mailed code',
    tag: 'accounts',
    access: 'public',
    body: VerifyEmailRequest,
    responses: { 200: z.object({ verified: z.literal(true) }) },
    errors: ['VALIDATION', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/resend-verification',
    operationId: 'resendVerification',
    summary: 'Mail the verification link again',
    tag: 'accounts',
    access: 'user',
    responses: { 202: z.object({ sent: z.boolean() }) },
    errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/forgot-password',
    operationId: 'forgotPassword',
    summary: 'Mail a password reset link (answers the same whether or not the account exists)',
    tag: 'accounts',
    access: 'public',
    body: ForgotPasswordRequest,
    responses: { 202: z.object({ sent: z.literal(true) }) },
    errors: ['VALIDATION', 'RATE_LIMITED'],
  },
  { method: 'post', path: '/api/auth/reset-password', operationId: 'resetPassword', summary: 'Set a new password with the mailed code', tag: 'accounts', access: 'public', body: ResetPasswordRequest, responses: { 200: AuthResponse }, errors: ['VALIDATION', 'RATE_LIMITED'] },
  {
    method: 'post',
    path: '/api/auth/change-password',
    operationId: 'changePassword',
    summary: 'Change the password (ends the other sessions)',
    tag: 'accounts',
    access: 'user',
    body: ChangePasswordRequest,
    responses: { 200: AuthResponse },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'RATE_LIMITED'],
  },
  { method: 'get', path: '/api/me', operationId: 'me', summary: 'The signed-in user', tag: 'accounts', access: 'user', responses: { 200: z.object({ user: User }) }, errors: AUTH },

  // ---- catalogue ----
  { method: 'get', path: '/api/cities', operationId: 'listCities', summary: 'Cities', tag: 'catalogue', access: 'public', responses: { 200: z.object({ cities: z.array(City) }) }, errors: [] },
  { method: 'get', path: '/api/movies', operationId: 'listMovies', summary: 'Movies with their details and poster URLs', tag: 'catalogue', access: 'public', responses: { 200: z.object({ movies: z.array(Movie) }) }, errors: [] },
  { method: 'get', path: '/api/movies/{id}', operationId: 'getMovie', summary: 'One movie', tag: 'catalogue', access: 'public', params: idParam, responses: { 200: z.object({ movie: Movie }) }, errors: ['VALIDATION', 'NOT_FOUND'] },
  {
    method: 'get',
    path: '/api/movies/{id}/poster.svg',
    operationId: 'getPoster',
    summary: 'The generated poster, its words (genres, runtime) in `lang` (immutable with the current `v`, else revalidated by ETag)',
    tag: 'catalogue',
    access: 'public',
    params: idParam,
    query: PosterQuery,
    responses: { 200: { media: 'image/svg+xml', description: 'The poster.' }, 304: null },
    errors: ['VALIDATION', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/movies/{id}/poster/{file}',
    operationId: 'getUploadedPoster',
    summary: 'An uploaded poster as WebP, `file` = `<width>.webp` (immutable with the current `v`, else revalidated by ETag)',
    tag: 'catalogue',
    access: 'public',
    params: z.object({ id: Id, file: z.string() }),
    query: z.object({ v: z.string().optional() }),
    responses: { 200: { media: 'image/webp', description: 'The poster at that width, 2:3.' }, 304: null },
    errors: ['VALIDATION', 'NOT_FOUND'],
  },
  {
    method: 'put',
    path: '/api/staff/movies/{id}/poster',
    operationId: 'uploadPoster',
    summary: "Upload a movie's poster (JPEG, PNG or WebP, judged by its bytes; up to 5 MB), re-encoded to WebP sizes (staff)",
    tag: 'staff',
    access: 'staff',
    params: idParam,
    body: { media: 'application/octet-stream', description: 'The image file as it is (any Content-Type).' },
    responses: { 200: z.object({ movie: Movie }) },
    errors: [...STAFF, 'TOO_LARGE'],
  },
  {
    method: 'delete',
    path: '/api/staff/movies/{id}/poster',
    operationId: 'removePoster',
    summary: 'Back to the generated poster (staff)',
    tag: 'staff',
    access: 'staff',
    params: idParam,
    responses: { 200: z.object({ movie: Movie }) },
    errors: STAFF,
  },
  {
    method: 'get',
    path: '/api/shows',
    operationId: 'listShows',
    summary: 'Shows not yet started, by city, theatre-local date, language and movie',
    tag: 'catalogue',
    access: 'public',
    query: ShowsQuery,
    responses: { 200: ShowsResponse },
    errors: ['VALIDATION', 'NOT_FOUND'],
  },
  { method: 'get', path: '/api/search', operationId: 'search', summary: 'Movies and theatres matching what was typed', tag: 'catalogue', access: 'public', query: SearchQuery, responses: { 200: SearchResults }, errors: ['VALIDATION', 'NOT_FOUND'] },
  {
    method: 'get',
    path: '/api/shows/{id}',
    operationId: 'getShow',
    summary: 'One show and its screen layout',
    tag: 'catalogue',
    access: 'public',
    params: idParam,
    responses: { 200: z.object({ show: ShowSummary, layout: Layout }) },
    errors: ['VALIDATION', 'NOT_FOUND'],
  },
  { method: 'get', path: '/api/shows/{id}/seats', operationId: 'getSeats', summary: 'The seat map now (live changes come over the socket)', tag: 'catalogue', access: 'public', params: idParam, responses: { 200: SeatMap }, errors: ['VALIDATION', 'NOT_FOUND'] },
  { method: 'get', path: '/api/shows/{id}/quote', operationId: 'getQuote', summary: 'The price of seats before confirming', tag: 'catalogue', access: 'public', params: idParam, query: QuoteQuery, responses: { 200: Quote }, errors: ['VALIDATION', 'NOT_FOUND'] },

  // ---- bookings, tickets, payments ----
  { method: 'get', path: '/api/bookings', operationId: 'listBookings', summary: "The caller's bookings, newest first", tag: 'bookings', access: 'user', responses: { 200: BookingsResponse }, errors: AUTH },
  {
    method: 'get',
    path: '/api/bookings/{id}',
    operationId: 'getBooking',
    summary: 'One booking (the owner, or staff of its theatre), with the refund cancelling now would give',
    tag: 'bookings',
    access: 'user',
    params: idParam,
    responses: { 200: z.object({ booking: Booking }) },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND'],
  },
  { method: 'get', path: '/api/bookings/{id}/ticket.pdf', operationId: 'getTicketPdf', summary: 'The ticket PDF (download)', tag: 'bookings', access: 'user', params: idParam, responses: { 200: pdf }, errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND'] },
  {
    method: 'get',
    path: '/api/tickets/{link}/ticket.pdf',
    operationId: 'getMailedTicketPdf',
    summary: 'The ticket PDF from the mailed, signed link (the link is the credential)',
    tag: 'bookings',
    access: 'public',
    params: z.object({ link: z.string() }),
    responses: { 200: pdf },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/bookings/{id}/cancel',
    operationId: 'cancelBooking',
    summary: 'Cancel a booking, refunding by the policy',
    tag: 'bookings',
    access: 'user',
    params: idParam,
    responses: { 200: CancelResponse },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND', 'FORBIDDEN', 'TICKET_USED', 'SHOW_CLOSED'],
  },
  {
    method: 'post',
    path: '/api/tickets/verify',
    operationId: 'verifyTicket',
    summary: 'Check a scanned ticket code at the door and mark it used (staff)',
    tag: 'staff',
    access: 'staff',
    body: VerifyTicketRequest,
    responses: { 200: VerifyTicketResponse },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'VALIDATION'],
  },
  {
    method: 'post',
    path: '/api/bookings/{id}/pay',
    operationId: 'payBooking',
    summary: "(Re)open the gateway's order of a pending booking; answers `payment.payUrl`",
    tag: 'payments',
    access: 'user',
    params: idParam,
    responses: { 200: PaymentResponse },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    method: 'post',
    path: '/api/bookings/{id}/payment/check',
    operationId: 'checkPayment',
    summary: 'Back from the gateway: ask it, apply what it says, answer the booking',
    tag: 'payments',
    access: 'user',
    params: idParam,
    responses: { 200: PaymentResponse },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND', 'UNAVAILABLE'],
  },
  {
    method: 'post',
    path: '/api/payments/webhook/{gateway}',
    operationId: 'paymentWebhook',
    summary: "The configured gateway's signed webhook (raw body)",
    tag: 'payments',
    access: 'gateway-signature',
    params: z.object({ gateway: z.string() }),
    body: { media: 'application/octet-stream', description: "The gateway's event, exactly as signed." },
    responses: { 200: z.object({ received: z.literal(true) }) },
    errors: ['VALIDATION', 'NOT_FOUND'],
  },

  // ---- reviews and recommendations ----
  {
    method: 'get',
    path: '/api/movies/{id}/reviews',
    operationId: 'listReviews',
    summary: "A movie's reviews and rating summary",
    tag: 'reviews',
    access: 'optional-user',
    params: idParam,
    query: ReviewsQuery,
    responses: { 200: ReviewsResponse },
    errors: ['VALIDATION', 'NOT_FOUND'],
  },
  { method: 'get', path: '/api/ratings', operationId: 'listRatings', summary: 'Every movie\'s rating summary, by movie id', tag: 'reviews', access: 'public', responses: { 200: z.object({ ratings: z.record(z.string(), RatingSummary) }) }, errors: [] },
  {
    method: 'post',
    path: '/api/movies/{id}/reviews',
    operationId: 'postReview',
    summary: 'Review a movie the caller has seen (201 the first time, 200 when edited)',
    tag: 'reviews',
    access: 'user',
    params: idParam,
    body: ReviewRequest,
    responses: { 200: z.object({ review: Review }), 201: z.object({ review: Review }) },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND', 'NOT_ATTENDED', 'RATE_LIMITED'],
  },
  {
    method: 'delete',
    path: '/api/movies/{id}/reviews/mine',
    operationId: 'deleteMyReview',
    summary: "Delete the caller's review",
    tag: 'reviews',
    access: 'user',
    params: idParam,
    responses: { 200: z.object({ deleted: z.boolean() }) },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/movies/{id}/reviews/{authorId}/helpful',
    operationId: 'markReviewHelpful',
    summary: 'Mark a review helpful',
    tag: 'reviews',
    access: 'user',
    params: z.object({ id: Id, authorId: Id }),
    responses: { 200: z.object({ review: Review }) },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND', 'FORBIDDEN', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/staff/reviews/{movieId}/{authorId}/hide',
    operationId: 'hideReview',
    summary: 'Hide a review, saying why (staff)',
    tag: 'staff',
    access: 'staff',
    params: z.object({ movieId: Id, authorId: Id }),
    body: HideReviewRequest,
    responses: { 200: z.object({ hidden: z.literal(true) }) },
    errors: STAFF,
  },
  {
    method: 'get',
    path: '/api/me/recommendations',
    operationId: 'recommendations',
    summary: 'The "For you" row: movies showing in the city, each with why',
    tag: 'recommendations',
    access: 'user',
    query: RecommendationsQuery,
    responses: { 200: RecommendationsResponse },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND'],
  },

  // ---- favourites, preferences, Book again, loyalty ----
  { method: 'get', path: '/api/me/favourites', operationId: 'favourites', summary: "The caller's favourite movies and theatres", tag: 'me', access: 'user', responses: { 200: FavouritesResponse }, errors: ['UNAUTHENTICATED'] },
  {
    method: 'put',
    path: '/api/me/favourites/{kind}/{id}',
    operationId: 'addFavourite',
    summary: 'Make a movie or theatre a favourite (again: no change)',
    tag: 'me',
    access: 'user',
    params: z.object({ kind: FavouriteKind, id: Id }),
    responses: { 200: FavouritesResponse },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/api/me/favourites/{kind}/{id}',
    operationId: 'removeFavourite',
    summary: 'Drop a favourite (one that is not there: no change)',
    tag: 'me',
    access: 'user',
    params: z.object({ kind: FavouriteKind, id: Id }),
    responses: { 200: FavouritesResponse },
    errors: ['UNAUTHENTICATED', 'VALIDATION'],
  },
  { method: 'get', path: '/api/me/preferences', operationId: 'preferences', summary: "The caller's language, city, seat type and offers consent", tag: 'me', access: 'user', responses: { 200: PreferencesResponse }, errors: ['UNAUTHENTICATED'] },
  {
    method: 'put',
    path: '/api/me/preferences',
    operationId: 'setPreferences',
    summary: 'Set the preferences sent (null clears one)',
    tag: 'me',
    access: 'user',
    body: PreferencesRequest,
    responses: { 200: PreferencesResponse },
    errors: ['UNAUTHENTICATED', 'VALIDATION'],
  },
  {
    method: 'get',
    path: '/api/bookings/{id}/again',
    operationId: 'bookAgainShows',
    summary: "Book again: the same theatre's other shows of the next days, the same movie first",
    tag: 'bookings',
    access: 'user',
    params: idParam,
    responses: { 200: AgainResponse },
    errors: ['UNAUTHENTICATED', 'VALIDATION', 'NOT_FOUND'],
  },
  { method: 'get', path: '/api/me/loyalty', operationId: 'loyalty', summary: "The caller's points, tier and ledger", tag: 'me', access: 'user', responses: { 200: LoyaltyAccount }, errors: ['UNAUTHENTICATED'] },

  // ---- staff ----
  { method: 'get', path: '/api/staff/theatres', operationId: 'staffTheatres', summary: 'The theatres the caller works at', tag: 'staff', access: 'staff', responses: { 200: z.object({ theatres: z.array(Theatre) }) }, errors: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  {
    method: 'get',
    path: '/api/staff/theatres/{theatreId}/screens',
    operationId: 'staffScreens',
    summary: "A theatre's screens and layouts",
    tag: 'staff',
    access: 'staff',
    params: z.object({ theatreId: Id }),
    responses: { 200: z.object({ screens: z.array(Screen) }) },
    errors: STAFF,
  },
  {
    method: 'get',
    path: '/api/staff/theatres/{theatreId}/shows',
    operationId: 'staffDay',
    summary: "A theatre's shows on one local date, with occupancy",
    tag: 'staff',
    access: 'staff',
    params: z.object({ theatreId: Id }),
    query: StaffDayQuery,
    responses: { 200: z.object({ date: z.string(), shows: z.array(StaffShow) }) },
    errors: STAFF,
  },
  {
    method: 'post',
    path: '/api/staff/theatres/{theatreId}/shows',
    operationId: 'createShow',
    summary: 'Schedule a show (start in the theatre\'s own zone)',
    tag: 'staff',
    access: 'staff',
    params: z.object({ theatreId: Id }),
    body: CreateShowRequest,
    responses: { 201: z.object({ show: StoredShow }) },
    errors: STAFF,
  },
  { method: 'get', path: '/api/staff/shows/{id}/occupancy', operationId: 'occupancy', summary: 'Booked, held and free seats and revenue', tag: 'staff', access: 'staff', params: idParam, responses: { 200: Occupancy }, errors: STAFF },
  { method: 'patch', path: '/api/staff/shows/{id}', operationId: 'updateShow', summary: 'Change a show', tag: 'staff', access: 'staff', params: idParam, body: UpdateShowRequest, responses: { 200: z.object({ show: StoredShow }) }, errors: STAFF },
  {
    method: 'post',
    path: '/api/staff/shows/{id}/cancel',
    operationId: 'cancelShow',
    summary: 'Cancel a show and refund its bookings in full',
    tag: 'staff',
    access: 'staff',
    params: idParam,
    responses: { 200: z.object({ showId: Id, bookingsCancelled: z.number().int() }) },
    errors: STAFF,
  },
  { method: 'get', path: '/api/staff/shows/{id}/queue', operationId: 'getQueue', summary: "The show's waiting room (null when off)", tag: 'staff', access: 'staff', params: idParam, responses: { 200: QueueResponse }, errors: STAFF },
  { method: 'put', path: '/api/staff/shows/{id}/queue', operationId: 'putQueue', summary: 'Turn the waiting room on or change it', tag: 'staff', access: 'staff', params: idParam, body: PutQueueRequest, responses: { 200: QueueResponse }, errors: STAFF },
  { method: 'delete', path: '/api/staff/shows/{id}/queue', operationId: 'endQueue', summary: 'Turn the waiting room off, admitting everyone still waiting', tag: 'staff', access: 'staff', params: idParam, responses: { 200: QueueEnded }, errors: STAFF },
  {
    method: 'put',
    path: '/api/staff/screens/{id}/layout',
    operationId: 'putLayout',
    summary: "Replace a screen's seat layout",
    tag: 'staff',
    access: 'staff',
    params: idParam,
    body: PutLayoutRequest,
    responses: { 200: z.object({ screenId: Id, seats: z.number().int() }) },
    errors: STAFF,
  },
  {
    method: 'get',
    path: '/api/staff/theatres/{theatreId}/report',
    operationId: 'report',
    summary: 'Sales per show over a date range (JSON, or CSV with format=csv)',
    tag: 'staff',
    access: 'staff',
    params: z.object({ theatreId: Id }),
    query: ReportQuery,
    responses: { 200: z.object({ rows: z.array(ReportRow) }) },
    alternatives: [{ media: 'text/csv', description: 'The same rows as CSV (format=csv).' }],
    errors: STAFF,
  },
  {
    method: 'get',
    path: '/api/staff/notifications/failed',
    operationId: 'failedNotifications',
    summary: 'Confirmation mails that could not be sent (admins)',
    tag: 'staff',
    access: 'admin',
    responses: { 200: z.object({ notifications: z.array(OutboxEntry) }) },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/api/staff/payments/problems',
    operationId: 'paymentProblems',
    summary: 'Refunds that failed and payments reconciliation flagged (admins)',
    tag: 'staff',
    access: 'admin',
    responses: {
      200: z.object({
        failedRefunds: z.array(z.looseObject({ bookingId: z.string() })),
        flagged: z.array(z.object({ bookingId: z.string(), reason: z.string(), at: z.string() })),
      }),
    },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
  },

  // ---- the built-in test gateway's drive routes ----
  {
    method: 'get',
    path: '/api/test-gateway/payments/{ref}',
    operationId: 'testGatewayOrder',
    summary: "The test gateway's view of an order (`ref`: order ref or payment id)",
    tag: 'test gateway',
    access: 'public',
    params: z.object({ ref: Id }),
    responses: { 200: z.object({ order: TestGatewayOrder }) },
    errors: ['VALIDATION', 'NOT_FOUND'],
    only: TEST_GATEWAY,
  },
  ...(['succeed', 'fail', 'succeed-late', 'approve-later'] as const).map(
    (action): ApiRoute => ({
      method: 'post',
      path: `/api/test-gateway/payments/{ref}/${action}`,
      operationId: `testGateway${action.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`,
      summary: {
        succeed: 'A customer pays now',
        fail: 'A customer is declined now',
        'succeed-late': 'Captured now, the webhook sent `delayMs` later',
        'approve-later': 'The bank approves in `delayMs`',
      }[action],
      tag: 'test gateway',
      access: 'public',
      params: z.object({ ref: Id }),
      body: action === 'succeed' || action === 'fail' ? TestGatewayDrive : TestGatewayDriveLate,
      responses: { 200: TestGatewayDriveResponse },
      errors: ['VALIDATION', 'NOT_FOUND'],
      only: TEST_GATEWAY,
    }),
  ),
  {
    method: 'post',
    path: '/api/test-gateway/refunds/fail-next',
    operationId: 'testGatewayFailRefunds',
    summary: 'The next `count` refunds fail',
    tag: 'test gateway',
    access: 'public',
    body: TestGatewayRefundFail,
    responses: { 200: z.object({ armed: z.number().int(), mode: TestGatewayRefundFail.shape.mode.unwrap() }) },
    errors: ['VALIDATION'],
    only: TEST_GATEWAY,
  },
];

/**
 * Routes the router has that are pages or files for a browser, not API operations, so the
 * OpenAPI document leaves them out (the route test checks this list too).
 */
export const pageRoutes: readonly { method: Method; path: string; what: string }[] = [
  { method: 'get', path: '/api/docs', what: 'this API described, for people' },
  { method: 'get', path: '/api/docs/:file', what: "the docs page's own script and style" },
  { method: 'get', path: '/dev/mail', what: 'the local mail outbox (embedded mail only)' },
  { method: 'get', path: '/dev/mail/:id/attachments/:n', what: 'a mail attachment (embedded mail only)' },
  { method: 'get', path: '/test-gateway/assets/countdown.js', what: "the test gateway pay page's script" },
  { method: 'get', path: '/test-gateway/pay/:ref', what: "the test gateway's pay page" },
  { method: 'post', path: '/test-gateway/pay/:ref', what: "the test gateway's pay form" },
  { method: 'get', path: '/pay/razorpay/:orderId', what: "Razorpay's checkout page (PAYMENT_GATEWAY=razorpay)" },
  { method: 'post', path: '/pay/razorpay/:orderId', what: "Razorpay's checkout return (PAYMENT_GATEWAY=razorpay)" },
];

/** `/api/shows/{id}` (OpenAPI) as express writes it: `/api/shows/:id`. */
export const expressPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');
