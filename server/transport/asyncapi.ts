/**
 * The Socket.IO contract as an AsyncAPI 3.0 document, built from the event tables in
 * protocol/events.ts: one channel per event; client events are operations the server
 * receives, each with its ack as the reply; pushes are operations the server sends.
 */
import { z } from 'zod';
import { ErrorBody } from '../../protocol/api-spec.js';
import { clientEvents, serverEvents } from '../../protocol/events.js';
import { strip } from './openapi.js';

type Json = Record<string, unknown>;

/** `seat:hold-best` → `seatHoldBest` (AsyncAPI ids are letters, digits, `.`, `_`, `-`). */
export const eventId = (event: string) => event.replace(/[:-](\w)/g, (_m, c: string) => c.toUpperCase());
const Name = (event: string) => eventId(event)[0]!.toUpperCase() + eventId(event).slice(1);

const ErrorAck = z.object({ ok: z.literal(false), error: ErrorBody.shape.error });
/** `Ack<T>`: `{ok: true, ...T}` or `{ok: false, error}`. */
function ackOf(schema: z.ZodType): z.ZodType {
  const okTrue = { ok: z.literal(true) };
  if (schema instanceof z.ZodObject) return z.union([schema.extend(okTrue), ErrorAck]);
  if (schema instanceof z.ZodDiscriminatedUnion) return z.union([...(schema.options as z.ZodObject[]).map((o) => o.extend(okTrue)), ErrorAck]);
  throw new Error('an ack schema must be an object or a discriminated union of objects');
}

export function buildAsyncApi(opts: { host?: string; version?: string } = {}): Json {
  const registry = z.registry<{ id: string }>();
  registry.add(ErrorAck, { id: 'ErrorAck' });
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  const message = (id: string, schema: z.ZodType, summary: string) => {
    registry.add(schema, { id });
    messages[id] = { name: id, summary, payload: { $ref: `#/components/schemas/${id}` } };
    return { $ref: `#/components/messages/${id}` };
  };

  for (const [event, { request, ack }] of Object.entries(clientEvents)) {
    const id = eventId(event);
    channels[id] = {
      address: event,
      title: event,
      messages: { request: message(`${Name(event)}Request`, request, `${event} payload`), ack: message(`${Name(event)}Ack`, ackOf(ack), `${event} ack`) },
    };
    operations[id] = {
      action: 'receive',
      title: `${event} (client → server, with ack)`,
      summary: `socket.emit('${event}', payload, ack)`,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/request` }],
      reply: { channel: { $ref: `#/channels/${id}` }, messages: [{ $ref: `#/channels/${id}/messages/ack` }] },
    };
  }
  for (const [event, { message: schema }] of Object.entries(serverEvents)) {
    const id = eventId(event);
    channels[id] = { address: event, title: event, messages: { push: message(Name(event), schema, `${event} push`) } };
    operations[id] = {
      action: 'send',
      title: `${event} (server → client)`,
      summary: `socket.on('${event}', handler)`,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/push` }],
    };
  }
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Movie Magic live events (Socket.IO)',
      version: opts.version ?? '0.1.0',
      description: [
        'One Socket.IO connection carries every event; each channel here is one event name.',
        'Connect with `io(url, {auth: {token}})`: no token is an anonymous watcher (join and watch; hold, release and confirm answer `UNAUTHENTICATED`); an invalid or expired token is refused (`connect_error` with message `UNAUTHENTICATED`).',
        'Client events must be sent with an ack callback (events without one are ignored); the ack is `{ok: true, ...}` or `{ok: false, error: {code, message, ...}}`.',
        'Broadcasts go to the room `show:<showId>` (sender included) after the write succeeded; the ack follows.',
      ].join('\n\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      app: {
        host: opts.host ?? 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io/',
        description: 'Socket.IO 4 (Engine.IO v4) on the same port as the HTTP API.',
      },
    },
    channels,
    operations,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, strip(v as Json)])),
      messages,
    },
  };
}
