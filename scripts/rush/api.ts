/**
 * The rush's HTTP calls, through a client typed by the OpenAPI document (openapi-fetch over
 * scripts/generated/api.d.ts, made by `npm run gen:api`): paths, parameters, bodies and
 * answers are checked by the compiler against what the server documents.
 */
import createClient from 'openapi-fetch';
import type { paths } from '../generated/api.js';

export type Api = ReturnType<typeof apiClient>;
export const apiClient = (baseUrl: string) => createClient<paths>({ baseUrl });

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an Error naming the call, the status and the error's code and message. */
export async function must<T>(what: string, call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (data !== undefined && response.ok) return data;
  const e = (error as { error?: { code?: string; message?: string } } | undefined)?.error;
  throw new Error(`${what}: ${response.status} ${e?.code ?? ''} ${e?.message ?? ''}`);
}

/** A signed-in answer (register, login, refresh): the access token and the refresh cookie it set. */
export async function signedIn(what: string, call: Promise<Answer<{ token: string }>>): Promise<{ token: string; cookie: string | null }> {
  const answer = await call;
  const { token } = await must(what, Promise.resolve(answer));
  const cookie = answer.response.headers.getSetCookie().find((c) => c.startsWith('mm_refresh='))?.split(';')[0] ?? null;
  return { token, cookie };
}
