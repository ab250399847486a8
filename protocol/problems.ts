/**
 * Schema failures as Problems with a stable reason, the same on both sides: the server
 * sends them as VALIDATION details, the client checks a field on blur with the same schema
 * and words the result in the user's language.
 */
import type { z } from 'zod';
import type { ErrorParams, Problem, Reason } from './errors.js';

type Issue = z.core.$ZodIssue;

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function reasonOf(issue: Issue, value: unknown): { reason: Reason; params?: ErrorParams } {
  if (issue.code !== 'unrecognized_keys' && isBlank(value)) return { reason: 'required' };
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return { reason: 'too_short', params: { min } };
      if (issue.origin === 'array' || issue.origin === 'set') return { reason: 'too_few', params: { min } };
      return { reason: 'too_small', params: { min } };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return { reason: 'too_long', params: { max } };
      if (issue.origin === 'array' || issue.origin === 'set') return { reason: 'too_many', params: { max } };
      return { reason: 'too_big', params: { max } };
    }
    case 'invalid_format':
      return { reason: issue.format === 'email' ? 'invalid_email' : 'invalid_format' };
    case 'invalid_value':
      return { reason: 'invalid_choice' };
    case 'unrecognized_keys':
      return { reason: 'unknown_field', params: { keys: issue.keys } };
    case 'custom':
      return { reason: issue.params?.reason === 'not_unique' ? 'not_unique' : 'invalid' };
    default:
      return { reason: 'invalid' };
  }
}

/** Each issue of a failed parse of `input`, as a Problem (at most `limit`). */
export function problemsOf(error: z.ZodError, input: unknown, limit = 20): Problem[] {
  return error.issues.slice(0, limit).map((issue) => {
    const { reason, params } = reasonOf(issue, valueAt(input, issue.path));
    return {
      path: issue.path.map(String).join('.') || '(body)',
      reason,
      ...(params ? { params } : {}),
      message: issue.message,
    };
  });
}
