/**
 * For component tests: a fake of the server's side of the wire (named as a fake): fetch
 * answered from a table of routes, and a socket whose server events the test emits.
 */
import { vi } from 'vitest';

type Handler = (...args: unknown[]) => void;

export function fakeSocket() {
  const handlers = new Map<string, Set<Handler>>();
  return {
    connected: true,
    on(e: string, h: Handler) {
      (handlers.get(e) ?? handlers.set(e, new Set()).get(e)!).add(h);
    },
    off(e: string, h: Handler) {
      handlers.get(e)?.delete(h);
    },
    /** Delivers a server event to the page's listeners. */
    serverSends(e: string, msg?: unknown) {
      for (const h of handlers.get(e) ?? []) h(msg);
    },
    listeners: (e: string) => handlers.get(e)?.size ?? 0,
  };
}

export type Route = (body: unknown) => { status?: number; body: unknown } | Promise<{ status?: number; body: unknown }>;

/** Stubs fetch: `routes['POST /api/bookings/bk_1/pay']` answers that call; every call is recorded. */
export function fakeFetch(routes: Record<string, Route>) {
  const calls: string[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const key = `${init.method ?? 'GET'} ${url}`;
    calls.push(key);
    const route = routes[key];
    const { status = 200, body } = route ? await route(init.body ? JSON.parse(String(init.body)) : undefined) : { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Not found.' } } };
    return { ok: status < 400, status, json: async () => body } as Response;
  });
  vi.stubGlobal('fetch', fetch);
  return { calls, fetch };
}
