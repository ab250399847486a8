/** Issue 18: the described API stays what the code says (the generated client types, the AsyncAPI channels). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientEvents, serverEvents } from '../../protocol/events.js';
import { buildAsyncApi, eventId } from '../../server/transport/asyncapi.js';
import { API_TYPES, generateApiTypes } from '../../scripts/gen-api.js';

type Doc = { channels: Record<string, { address: string; messages: Record<string, unknown> }>; operations: Record<string, { action: string; reply?: unknown }> };

describe('the described API', () => {
  it('scripts/generated/api.d.ts is what `npm run gen:api` makes from the OpenAPI document now (run it after changing a route or schema)', async () => {
    expect(readFileSync(API_TYPES, 'utf8') === (await generateApiTypes())).toBe(true);
  });

  it('every Socket.IO event of protocol/events.ts is an AsyncAPI channel: client events received with their ack as the reply, pushes sent', () => {
    const doc = buildAsyncApi() as unknown as Doc;
    expect(Object.values(doc.channels).map((c) => c.address).sort()).toEqual([...Object.keys(clientEvents), ...Object.keys(serverEvents)].sort());
    for (const event of Object.keys(clientEvents)) {
      expect(doc.operations[eventId(event)]).toMatchObject({ action: 'receive', reply: { messages: [{ $ref: `#/channels/${eventId(event)}/messages/ack` }] } });
      expect(Object.keys(doc.channels[eventId(event)]!.messages)).toEqual(['request', 'ack']);
    }
    for (const event of Object.keys(serverEvents)) expect(doc.operations[eventId(event)]).toMatchObject({ action: 'send' });
  });
});
