/**
 * The OpenAPI 3.1 document, built from the route table in protocol/api-spec.ts with zod's own
 * JSON Schema output (draft 2020-12, which OpenAPI 3.1 uses). Request bodies and parameters are
 * described as the server accepts them (zod's input side: defaults optional), responses as it
 * sends them (the output side).
 */
import { z } from 'zod';
import { apiComponents, apiRoutes, type ApiRoute, type OtherBody, type ResponseBody } from '../../protocol/api-spec.js';
import { defaultMessage, httpStatus, type ErrorCode } from '../../protocol/errors.js';

type Json = Record<string, unknown>;
const REF = '#/components/schemas/';
const isZod = (b: ResponseBody | z.ZodType | OtherBody | undefined): b is z.ZodType => b instanceof z.ZodType;
const opName = (r: ApiRoute, part: string) => `${r.operationId[0]!.toUpperCase()}${r.operationId.slice(1)}${part}`;

/** Every schema of the table under one registry, with names, so shared ones become `$ref`s. */
function components(io: 'input' | 'output', named: Record<string, z.ZodType>, local: Map<z.ZodType, string>): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  for (const [schema, id] of local) if (!registry.has(schema)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, unrepresentable: 'any', uri: (id) => `${REF}${id}` });
  // Each component would carry its own $schema and $id; inside an OpenAPI document they only confuse resolvers.
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, strip(s as Json)]));
}
/** A schema without the `$schema` and `$id` that zod gives each registry entry. */
export function strip(s: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = s;
  return rest;
}

/** A query or path object schema as OpenAPI parameters. */
function parameters(where: 'path' | 'query', schema: z.ZodObject | undefined): Json[] {
  if (!schema) return [];
  const js = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === 'path' || (js.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

const ACCESS_TEXT: Record<ApiRoute['access'], string> = {
  public: 'Anyone.',
  'optional-user': 'Anyone; a signed-in caller sees their own parts.',
  user: 'A signed-in user (Bearer access token).',
  staff: 'Theatre staff or admins (Bearer); customers get 403.',
  admin: 'Admins (Bearer).',
  'refresh-cookie': 'The httpOnly refresh cookie `mm_refresh` (path /api/auth).',
  'loopback-or-token': 'Callers on this host, or `Authorization: Bearer <METRICS_TOKEN>`.',
  'gateway-signature': "The payment gateway's signature header.",
};
const SECURITY: Partial<Record<ApiRoute['access'], Json[]>> = {
  user: [{ bearer: [] }],
  staff: [{ bearer: [] }],
  admin: [{ bearer: [] }],
  'optional-user': [{}, { bearer: [] }],
  'refresh-cookie': [{ refreshCookie: [] }],
};

function content(body: ResponseBody | z.ZodType | OtherBody, ref: () => string): Json {
  if (isZod(body)) return { 'application/json': { schema: { $ref: `${REF}${ref()}` } } };
  const other = body as OtherBody;
  return { [other.media]: { schema: { type: 'string', ...(other.media === 'application/octet-stream' || other.media === 'application/pdf' ? { contentMediaType: other.media } : {}) } } };
}

function operation(r: ApiRoute, names: Map<z.ZodType, string>, inputNames: Map<z.ZodType, string>): Json {
  const responses: Json = {};
  for (const [status, body] of Object.entries(r.responses)) {
    responses[status] =
      body === null
        ? { description: status === '304' ? 'Not modified (ETag).' : 'No body.' }
        : { description: isZod(body) ? 'Success.' : (body as OtherBody).description, content: content(body, () => names.get(body as z.ZodType)!) };
  }
  // Error statuses, each listing its codes; every route may answer 500 INTERNAL (and 503 while
  // draining), every write 403 FORBIDDEN (a write from another site is refused before it runs).
  const codes = [...new Set<ErrorCode>([...r.errors, ...(r.method === 'get' ? [] : (['FORBIDDEN'] as const)), 'INTERNAL', 'UNAVAILABLE'])];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) byStatus.set(httpStatus[c], [...(byStatus.get(httpStatus[c]) ?? []), c]);
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    responses[String(status)] = {
      description: list.map((c) => `\`${c}\`: ${defaultMessage[c]}`).join(' '),
      content: { 'application/json': { schema: { $ref: `${REF}ErrorBody` } } },
      'x-error-codes': list,
    };
  }
  for (const alt of r.alternatives ?? []) Object.assign((responses['200'] as { content: Json }).content, content(alt, () => ''));
  return {
    operationId: r.operationId,
    summary: r.summary,
    description: `Who: ${ACCESS_TEXT[r.access]}${r.only ? ` Only with ${r.only}.` : ''}`,
    tags: [r.tag],
    ...(SECURITY[r.access] ? { security: SECURITY[r.access] } : {}),
    parameters: [...parameters('path', r.params), ...parameters('query', r.query)],
    ...(r.body ? { requestBody: { required: true, content: content(r.body, () => inputNames.get(r.body as z.ZodType)!) } } : {}),
    responses,
    ...(r.only ? { 'x-only': r.only } : {}),
  };
}

export interface OpenApiOptions {
  /** The public URL, as the servers entry. */
  serverUrl?: string;
  version?: string;
}

export function buildOpenApi(opts: OpenApiOptions = {}): Json {
  const named = apiComponents as unknown as Record<string, z.ZodType>;
  const names = new Map<z.ZodType, string>(Object.entries(named).map(([id, s]) => [s, id]));
  const inputNames = new Map<z.ZodType, string>();
  for (const r of apiRoutes) {
    for (const [status, body] of Object.entries(r.responses)) if (isZod(body) && !names.has(body)) names.set(body, opName(r, `Response${status === '200' ? '' : status}`));
    if (isZod(r.body) && !inputNames.has(r.body)) inputNames.set(r.body, opName(r, 'Body'));
  }
  const output = components('output', named, names);
  const input = components('input', {}, inputNames);
  for (const id of Object.keys(input)) if (id in output) throw new Error(`OpenAPI component ${id} is named twice`);

  const paths: Record<string, Json> = {};
  for (const r of apiRoutes) (paths[r.path] ??= {})[r.method] = operation(r, names, inputNames);
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Movie Magic API',
      version: opts.version ?? '0.1.0',
      description:
        'Shows, seats, bookings, payments, reviews and staff tools over HTTP. Live seat holds and updates are Socket.IO events, described in AsyncAPI at /api/asyncapi.json. Every error answers `{error: {code, message, reason?, params?, seatIds?, details?}}` with a stable `code`.',
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    tags: [...new Set(apiRoutes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ...output, ...input },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access token from log-in, sign-up or refresh.' },
        refreshCookie: { type: 'apiKey', in: 'cookie', name: 'mm_refresh' },
      },
    },
  };
}

