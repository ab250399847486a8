/**
 * Stable error codes shared by server and client. The code is the contract;
 * messages are human-readable and safe to show to end users.
 */
export const ErrorCode = {
  VALIDATION: 'VALIDATION',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  SEAT_TAKEN: 'SEAT_TAKEN',
  HOLD_EXPIRED: 'HOLD_EXPIRED',
  HOLD_LIMIT: 'HOLD_LIMIT',
  NO_HOLDS: 'NO_HOLDS',
  SHOW_CLOSED: 'SHOW_CLOSED',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  EMAIL_NOT_VERIFIED: 'EMAIL_NOT_VERIFIED',
  TICKET_USED: 'TICKET_USED',
  SOLD_OUT: 'SOLD_OUT',
  NOT_ENOUGH_TOGETHER: 'NOT_ENOUGH_TOGETHER',
  QUEUE_REQUIRED: 'QUEUE_REQUIRED',
  TOO_LARGE: 'TOO_LARGE',
  NOT_ATTENDED: 'NOT_ATTENDED',
  NOT_ENOUGH_POINTS: 'NOT_ENOUGH_POINTS',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status for each code (socket acks carry the code only). */
export const httpStatus: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SEAT_TAKEN: 409,
  HOLD_EXPIRED: 409,
  HOLD_LIMIT: 409,
  NO_HOLDS: 409,
  SHOW_CLOSED: 409,
  EMAIL_TAKEN: 409,
  EMAIL_NOT_VERIFIED: 403,
  TICKET_USED: 409,
  SOLD_OUT: 409,
  NOT_ENOUGH_TOGETHER: 409,
  QUEUE_REQUIRED: 403,
  TOO_LARGE: 413,
  NOT_ATTENDED: 403,
  NOT_ENOUGH_POINTS: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Default messages; a specific error may carry a more precise one. */
export const defaultMessage: Record<ErrorCode, string> = {
  VALIDATION: 'The request is not valid.',
  UNAUTHENTICATED: 'Please log in to do that.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'Not found.',
  SEAT_TAKEN: 'Some of those seats were just taken by someone else.',
  HOLD_EXPIRED: 'Your hold on some seats has expired.',
  HOLD_LIMIT: 'You cannot hold that many seats for one show.',
  NO_HOLDS: 'You are not holding any seats for this show.',
  SHOW_CLOSED: 'This show is no longer open for booking.',
  EMAIL_TAKEN: 'An account with that email already exists.',
  EMAIL_NOT_VERIFIED: 'Please confirm your email address first: open the link we sent you.',
  TICKET_USED: 'This ticket was already used at the door, so the booking can no longer be cancelled or refunded.',
  SOLD_OUT: 'There are no seats left for this show in that choice.',
  NOT_ENOUGH_TOGETHER: 'There are not that many free seats together. Try fewer seats or pick them on the map.',
  QUEUE_REQUIRED: 'This show has a waiting room. Join the queue; your turn to choose seats comes with a pass.',
  TOO_LARGE: 'The upload is too large.',
  NOT_ATTENDED: 'Only people who have seen this movie with a booking here can review it (after the show, or once the ticket was checked in).',
  NOT_ENOUGH_POINTS: 'Those loyalty points were just used for another booking. Check your points and try again.',
  RATE_LIMITED: 'Too many requests. Please slow down.',
  UNAVAILABLE: 'The service is busy. Please try again in a moment.',
  INTERNAL: 'Something went wrong on our side.',
};

/**
 * Finer, stable reasons: an error's `reason` (within its code) or a detail's. Clients word
 * their messages from `code` + `reason` + `params`, in the user's language; the English
 * `message` is for logs and API users.
 */
export const Reason = [
  // top-level reasons
  'wrong_credentials',
  'session_expired',
  'session_ended',
  'not_your_theatre',
  'staff_only',
  'show_not_found',
  'booking_not_found',
  'city_not_found',
  'restarting',
  'concurrent_change',
  'too_many_connections',
  'cancel_closed',
  'password_changed_meanwhile',
  'unknown_seats',
  'pass_missing',
  'pass_invalid',
  'movie_not_found',
  'theatre_not_found',
  'too_many_favourites',
  // detail reasons: any field
  'required',
  'too_short',
  'too_long',
  'too_few',
  'too_many',
  'too_small',
  'too_big',
  'invalid_email',
  'invalid_format',
  'invalid_choice',
  'unknown_field',
  'not_unique',
  'invalid',
  // detail reasons: passwords, links, seats, bookings
  'password_too_long_bytes',
  'common_password',
  'contains_email_name',
  'too_few_distinct',
  'wrong_password',
  'link_invalid',
  'link_expired',
  'unknown_seat',
  'key_reused',
  'after_opens_at',
  // detail reasons: staff (layouts and schedules)
  'row_repeated',
  'unknown_category',
  'row_too_long',
  'accessible_not_in_layout',
  'couple_block_odd',
  'companion_not_in_layout',
  'companion_is_wheelchair',
  'companion_not_beside_wheelchair',
  'drops_booked_seats',
  'missing_prices',
  'starts_in_past',
  'overlaps_show',
  'show_has_bookings',
  'screen_not_in_theatre',
  'unknown_movie',
  'language_unavailable',
  'range_reversed',
  'range_too_long',
  // posters (top-level reasons of VALIDATION)
  'poster_type',
  'poster_unreadable',
  'poster_too_small',
] as const;
export type Reason = (typeof Reason)[number];

/** Values a client needs to word an error (a limit, seats, a wait...). */
export type ErrorParams = Record<string, string | number | string[]>;

/** One thing wrong with a request: where, why (stable), with what values; `message` in English. */
export interface Problem {
  /** The field, dotted ("password", "seatIds.2"); "" or "(body)" for the request as a whole. */
  path: string;
  reason: Reason;
  params?: ErrorParams;
  message: string;
}

/** The error body of every failed HTTP response and socket ack. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Finer reason within the code, when the code alone does not say it. */
  reason?: Reason;
  /** Values for the message: `{limit, left}` for HOLD_LIMIT, `{retryAfterSeconds}` for RATE_LIMITED... */
  params?: ErrorParams;
  /** Seats in conflict, for SEAT_TAKEN and HOLD_EXPIRED. */
  seatIds?: string[];
  /** Field-level problems, for VALIDATION. */
  details?: Problem[];
}

export function apiError(code: ErrorCode, extra: Partial<Omit<ApiError, 'code'>> = {}): ApiError {
  return { code, message: extra.message ?? defaultMessage[code], ...withoutMessage(extra) };
}

function withoutMessage(extra: Partial<Omit<ApiError, 'code'>>): Omit<Partial<ApiError>, 'code' | 'message'> {
  const { message: _ignored, ...rest } = extra;
  return rest;
}
