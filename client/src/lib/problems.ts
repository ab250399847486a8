/**
 * Server errors in the user's language, from their stable code, reason and params (never
 * from the English `message`, which is for logs).
 */
import type { ApiError, ErrorCode, ErrorParams, Problem } from '../../../protocol/errors.js';
import { languageName } from './names.js';
import { hasMessage, i18n, t, type MessageValues } from './i18n.svelte.js';
import type { MessageKey } from './messages.js';
import { session } from './session.svelte.js';

/**
 * The message of each code when the error has no finer reason. PAYMENT_FAILED (DECISIONS)
 * is worded here ahead of its place in protocol/errors.ts, hence the open record.
 */
export const codeKey: Record<ErrorCode, MessageKey> & Record<string, MessageKey | undefined> = {
  VALIDATION: 'error.VALIDATION',
  UNAUTHENTICATED: 'error.UNAUTHENTICATED',
  FORBIDDEN: 'error.FORBIDDEN',
  NOT_FOUND: 'error.NOT_FOUND',
  SEAT_TAKEN: 'seatTaken',
  HOLD_EXPIRED: 'expired',
  HOLD_LIMIT: 'holdLimit',
  NO_HOLDS: 'error.NO_HOLDS',
  SHOW_CLOSED: 'showClosed',
  EMAIL_TAKEN: 'error.EMAIL_TAKEN',
  EMAIL_NOT_VERIFIED: 'mustVerify',
  RATE_LIMITED: 'error.RATE_LIMITED',
  UNAVAILABLE: 'error.UNAVAILABLE',
  TICKET_USED: 'ticketUsedError',
  SOLD_OUT: 'error.SOLD_OUT',
  NOT_ENOUGH_TOGETHER: 'error.NOT_ENOUGH_TOGETHER',
  QUEUE_REQUIRED: 'error.QUEUE_REQUIRED',
  TOO_LARGE: 'error.TOO_LARGE',
  NOT_ATTENDED: 'error.NOT_ATTENDED',
  NOT_ENOUGH_POINTS: 'error.NOT_ENOUGH_POINTS',
  PAYMENT_FAILED: 'error.PAYMENT_FAILED',
  INTERNAL: 'error',
};

/** What the wording needs besides the server's params (for times in a theatre's zone). */
export interface ProblemContext {
  timeZone?: string;
}

/** Params as message values: lists joined (and counted), languages named, times formatted. */
function valuesOf(params: ErrorParams = {}, ctx: ProblemContext = {}): MessageValues {
  const values: MessageValues = {};
  for (const [name, v] of Object.entries(params)) {
    if (Array.isArray(v)) {
      values[name] = v.join(', ');
      values.count ??= v.length;
    } else values[name] = v;
  }
  if (typeof params.seatIds !== 'undefined') values.seats = values.seatIds!;
  if (typeof params.language === 'string') values.language = languageName(params.language);
  if (typeof params.startsAt === 'string') {
    values.time = new Intl.DateTimeFormat(i18n.tag, { timeZone: ctx.timeZone, hour: 'numeric', minute: '2-digit', day: 'numeric', month: 'short' }).format(new Date(params.startsAt));
  }
  values.count ??= 1;
  return values;
}

/** A field's (or a request part's) problem as a sentence: field-specific where we have one. */
export function detailText(p: Pick<Problem, 'path' | 'reason' | 'params'>, ctx: ProblemContext = {}): string {
  const specific = `field.${p.path}.${p.reason}`;
  const key: MessageKey = hasMessage(specific) ? specific : hasMessage(`reason.${p.reason}`) ? (`reason.${p.reason}` as MessageKey) : 'reason.invalid';
  return t(key, valuesOf(p.params, ctx));
}

/** A user-facing sentence for an error, in the current UI language. */
export function problemText(e: ApiError, ctx: ProblemContext = {}): string {
  const values = valuesOf({ ...e.params, ...(e.seatIds ? { seatIds: e.seatIds } : {}) }, ctx);
  if (e.code === 'EMAIL_NOT_VERIFIED') values.email = session.user?.email ?? '';
  if (e.code === 'UNAVAILABLE' && e.params?.offline) return t('offline');
  if (e.reason && hasMessage(`reason.${e.reason}`)) return t(`reason.${e.reason}` as MessageKey, values);
  if (e.code === 'RATE_LIMITED' && typeof e.params?.retryAfterSeconds === 'number') {
    return t('error.RATE_LIMITED.wait', { seconds: e.params.retryAfterSeconds });
  }
  // A request refused as a whole for one reason (a staff form, a report range): say that reason.
  const whole = e.details?.filter((d) => d.path === '' || d.path === '(body)') ?? [];
  if (e.code === 'VALIDATION' && whole.length && whole.length === e.details!.length) return whole.map((d) => detailText(d, ctx)).join(' ');
  return t(codeKey[e.code] ?? 'error', values);
}
