import { apiError, type ApiError, type ErrorCode } from '../../protocol/index.js';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, extra: Partial<Omit<ApiError, 'code'>> = {}): { ok: false; error: ApiError } => ({
  ok: false,
  error: apiError(code, extra),
});

/** Thrown for failures that are expected outcomes but surface deep in a call chain. */
export class AppError extends Error {
  constructor(readonly error: ApiError, options?: { cause?: unknown }) {
    super(error.message, options);
    this.name = 'AppError';
  }
  static of(code: ErrorCode, extra: Partial<Omit<ApiError, 'code'>> = {}, cause?: unknown): AppError {
    return new AppError(apiError(code, extra), cause === undefined ? undefined : { cause });
  }
}
