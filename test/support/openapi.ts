/**
 * Checks the API against its OpenAPI document: the routes an express app registers, and
 * responses validated with Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Express, Router } from 'express';
import type { App } from '../../server/app.js';

type Json = Record<string, unknown>;
export interface RouteKey {
  method: string;
  /** express style, `/api/shows/:id` */
  path: string;
}

/** The express app behind `app.httpServer` (Socket.IO's engine listens there too). */
export function expressAppOf(app: App): Express {
  const http = app.httpServer.listeners('request').find((l) => 'router' in (l as object));
  if (!http) throw new Error('no express app on the server');
  return http as unknown as Express;
}

interface Layer {
  name?: string;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}
/** Every route registered on `app`, through routers mounted with `app.use(router)` (at the root). */
export function routerRoutes(app: Express | Router): RouteKey[] {
  const walk = (stack: Layer[]): RouteKey[] =>
    stack.flatMap((layer) => {
      if (layer.route) {
        const path = layer.route.path;
        return Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((method) => ({ method, path: typeof path === 'string' ? path : String(path) }));
      }
      return layer.name === 'router' && layer.handle?.stack ? walk(layer.handle.stack) : [];
    });
  const stack = ('router' in app ? (app as Express).router.stack : (app as Router).stack) as unknown as Layer[];
  return walk(stack);
}

export interface Violation {
  method: string;
  url: string;
  status: number;
  problem: string;
}

/** Validates responses against the document's operations. */
export function specValidator(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi');
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const templates = Object.keys(paths).map((p) => ({
    path: p,
    params: (p.match(/\{/g) ?? []).length,
    re: new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
  }));
  const cache = new Map<string, ValidateFunction>();
  const pointer = (...parts: string[]) => `openapi#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

  /** The spec's path for a concrete one (`/api/shows/s1` → `/api/shows/{id}`), the most literal first. */
  function operationOf(method: string, pathname: string): { path: string; op: Json } | null {
    const found = templates
      .filter((t) => t.re.test(pathname) && paths[t.path]![method])
      .sort((a, b) => a.params - b.params)[0];
    return found ? { path: found.path, op: paths[found.path]![method]! } : null;
  }

  /** Null when the response is what the document says; else what is wrong. */
  function check(method: string, pathname: string, status: number, contentType: string | null, body: unknown): string | null {
    const m = method.toLowerCase();
    const found = operationOf(m, pathname);
    if (!found) return `no operation ${m.toUpperCase()} ${pathname} in the spec`;
    const responses = found.op.responses as Record<string, { content?: Record<string, unknown> }>;
    const declared = responses[String(status)];
    if (!declared) return `status ${status} is not declared for ${m.toUpperCase()} ${found.path} (declared: ${Object.keys(responses).join(', ')})`;
    if (!declared.content) return body === '' || body === undefined ? null : `status ${status} should have no body`;
    const media = (contentType ?? '').split(';')[0]!.trim();
    if (!(media in declared.content)) return `content type ${media || '(none)'} is not declared for ${status} (declared: ${Object.keys(declared.content).join(', ')})`;
    if (media !== 'application/json') return null;
    const key = `${found.path} ${m} ${status}`;
    let validate = cache.get(key);
    if (!validate) {
      const ref = pointer('paths', found.path, m, 'responses', String(status), 'content', 'application/json', 'schema');
      validate = ajv.compile({ $ref: ref });
      cache.set(key, validate);
    }
    if (validate(body)) return null;
    return ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 1500);
  }

  return { check, operationOf };
}

/**
 * A fetch that checks every response from `base` against the document and throws on the
 * first that does not match (so the test that made the call fails, naming the call).
 */
export function checkingFetch(doc: Json, base: string, inner: typeof fetch = fetch): typeof fetch & { checked: () => Set<string> } {
  const v = specValidator(doc);
  const seen = new Set<string>();
  const f = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const res = await inner(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (`${url.protocol}//${url.host}` !== base) return res;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toLowerCase();
    const op = v.operationOf(method, url.pathname);
    if (!op) return res; // pages, files and unknown paths are not the API's
    const type = res.headers.get('content-type');
    const text = await res.clone().text();
    let body: unknown = text;
    if (type?.startsWith('application/json') && text) body = JSON.parse(text);
    const problem = v.check(method, url.pathname, res.status, type, body);
    if (problem) throw new Error(`${method.toUpperCase()} ${url.pathname} → ${res.status} does not match the OpenAPI document: ${problem}`);
    seen.add(`${method} ${op.path}`);
    return res;
  };
  return Object.assign(f as typeof fetch, { checked: () => seen });
}

/** Validates socket payloads, acks and pushes against the AsyncAPI document's schemas (by component name). */
export function asyncValidator(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'asyncapi');
  return (schemaName: string, value: unknown): string | null => {
    const validate = ajv.getSchema(`asyncapi#/components/schemas/${schemaName}`);
    if (!validate) return `no schema ${schemaName}`;
    return validate(value) ? null : ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 1500);
  };
}
