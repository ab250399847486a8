/** Typed HTTP calls; failures carry the server's ApiError. */
import type { ApiError } from '../../../protocol/errors.js';
import { session } from './session.svelte.js';

export class ApiFailure extends Error {
  constructor(
    readonly error: ApiError,
    readonly status: number,
  ) {
    super(error.message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; auth?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.auth && session.token) headers.authorization = `Bearer ${session.token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiFailure({ code: 'UNAVAILABLE', message: 'Cannot reach Movie Magic. Check your connection.' }, 0);
  }
  const json = (await res.json().catch(() => ({}))) as { error?: ApiError };
  if (!res.ok) {
    const error = json.error ?? { code: 'INTERNAL', message: `Request failed (${res.status}).` };
    if (res.status === 401 && init.auth) session.logout();
    throw new ApiFailure(error as ApiError, res.status);
  }
  return json as T;
}
