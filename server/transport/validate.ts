import type { z } from 'zod';
import { problemsOf } from '../../protocol/problems.js';
import { fail, ok, type Result } from '../domain/result.js';

/** Parses untrusted input with a protocol schema; failures become VALIDATION with details (stable reasons). */
export function parse<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
  const r = schema.safeParse(input);
  if (r.success) return ok(r.data);
  const details = problemsOf(r.error, input);
  return fail('VALIDATION', {
    message: `Invalid request: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`.slice(0, 500),
    details,
  });
}
