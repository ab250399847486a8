/**
 * Tamper-evident codes: `<PREFIX>.<field>.<field>….<signature>`, the signature an
 * HMAC-SHA256 (truncated to 128 bits) over the fields under a key kept per purpose,
 * so a code made for one purpose (a ticket) never passes as another (a password reset).
 * Fields are ids, numbers and nonces: letters, digits, `_` and `-`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const FIELD = /^[A-Za-z0-9_-]{1,64}$/;

export interface CodeKind {
  prefix: string;
  purpose: string;
  fields: number;
}

export function signCode(kind: CodeKind, fields: string[], key: string): string {
  if (fields.length !== kind.fields || !fields.every((f) => FIELD.test(f))) throw new Error(`bad ${kind.purpose} code fields`);
  return [kind.prefix, ...fields, signature(kind, fields, key)].join('.');
}

/** The fields of a genuine code, or null for anything forged, damaged or of another kind. */
export function readCode(kind: CodeKind, code: string, key: string): string[] | null {
  const parts = code.trim().split('.');
  if (parts.length !== kind.fields + 2 || parts[0] !== kind.prefix) return null;
  const fields = parts.slice(1, -1);
  if (!fields.every((f) => FIELD.test(f))) return null;
  const expected = Buffer.from(signature(kind, fields, key));
  const given = Buffer.from(parts.at(-1)!);
  return given.length === expected.length && timingSafeEqual(given, expected) ? fields : null;
}

function signature(kind: CodeKind, fields: string[], key: string): string {
  return createHmac('sha256', `${kind.purpose}:${key}`).update(fields.join('.')).digest().subarray(0, 16).toString('base64url');
}
