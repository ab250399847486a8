/** Typed HTTP calls; failures carry the server's ApiError. Expired access tokens are refreshed once, transparently. */
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

/** No answer at all (offline, server down): the client says so in the user's language (params.offline). */
const offline = () => new ApiFailure({ code: 'UNAVAILABLE', message: 'Cannot reach Movie Magic. Check your connection.', params: { offline: 1 } }, 0);

/**
 * fetch with the session's bearer token. A 401 is answered by one refresh and one retry;
 * if the session is over after all, the user is signed out here too.
 */
export async function authFetch(path: string, init: RequestInit = {}): Promise<Response> {
  await session.ready;
  const send = () =>
    fetch(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...(session.token ? { authorization: `Bearer ${session.token}` } : {}) } });
  let res = await send();
  if (res.status === 401 && session.user && (await session.refresh())) res = await send();
  return res;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; auth?: boolean } = {}): Promise<T> {
  const request: RequestInit = {
    method: init.method ?? 'GET',
    headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  };
  let res: Response;
  try {
    res = init.auth ? await authFetch(path, request) : await fetch(path, request);
  } catch {
    throw offline();
  }
  const json = (await res.json().catch(() => ({}))) as { error?: ApiError };
  if (!res.ok) {
    const error = json.error ?? { code: 'INTERNAL', message: `Request failed (${res.status}).` };
    throw new ApiFailure(error as ApiError, res.status);
  }
  return json as T;
}

/** Downloads an authorized file (ticket PDF, CSV) the way a link would. */
export async function download(path: string, filename: string): Promise<void> {
  let res: Response;
  try {
    res = await authFetch(path);
  } catch {
    throw offline();
  }
  if (!res.ok) {
    const error = ((await res.json().catch(() => ({}))) as { error?: ApiError }).error;
    throw new ApiFailure(error ?? { code: 'INTERNAL', message: `Request failed (${res.status}).` }, res.status);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
