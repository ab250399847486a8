import type { z } from 'zod';
import { fail, ok, type Result } from '../domain/result.js';

/** Parses untrusted input with a protocol schema; failures become VALIDATION with details. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
  const r = schema.safeParse(input);
  if (r.success) return ok(r.data);
  const details = r.error.issues.slice(0, 20).map((i) => ({
    path: i.path.map(String).join('.') || '(body)',
    message: i.message,
  }));
  return fail('VALIDATION', {
    message: `Invalid request: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`.slice(0, 500),
    details,
  });
}
