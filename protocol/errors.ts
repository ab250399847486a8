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
  RATE_LIMITED: 'Too many requests. Please slow down.',
  UNAVAILABLE: 'The service is busy. Please try again in a moment.',
  INTERNAL: 'Something went wrong on our side.',
};

/** The error body of every failed HTTP response and socket ack. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Seats in conflict, for SEAT_TAKEN and HOLD_EXPIRED. */
  seatIds?: string[];
  /** Field-level problems, for VALIDATION. */
  details?: { path: string; message: string }[];
}

export function apiError(code: ErrorCode, extra: Partial<Omit<ApiError, 'code'>> = {}): ApiError {
  return { code, message: extra.message ?? defaultMessage[code], ...withoutMessage(extra) };
}

function withoutMessage(extra: Partial<Omit<ApiError, 'code'>>): Omit<Partial<ApiError>, 'code' | 'message'> {
  const { message: _ignored, ...rest } = extra;
  return rest;
}
