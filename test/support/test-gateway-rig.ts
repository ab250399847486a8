/**
 * The test gateway on its own, over real HTTP: an express server with its routes (pay page
 * and drive routes) and a merchant server that records every webhook it is sent (and can be
 * told to refuse some) and serves a return page. Orders live in the run's DynamoDB Local.
 */
import express from 'express';
import type { Server } from 'node:http';
import pino from 'pino';
import type { Dynamo } from '../../server/adapters/dynamo/client.js';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { createTestGateway, type TestGateway, type TestGatewayOptions } from '../../server/adapters/payments/test-gateway.js';
import { mountTestGatewayRoutes } from '../../server/adapters/payments/test-gateway-routes.js';
import { testDynamo, TestClock } from './harness.js';

export const SECRET = 'test-secret-that-is-long-enough-for-hs256';

export interface RecordedWebhook {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  body: { id: string; type: string; data: Record<string, unknown> };
  at: number;
}

export interface Rig {
  gateway: TestGateway;
  clock: TestClock;
  dynamo: Dynamo;
  /** The gateway's server (pay page, drive routes). */
  url: string;
  /** The merchant: webhooks at /api/payments/webhook/test, the return page at /return. */
  merchantUrl: string;
  webhooks: RecordedWebhook[];
  /** Answer the next `n` webhooks with 500. */
  refuseWebhooks(n: number): void;
  /** Resolves when `count` webhooks have been recorded. */
  waitForWebhooks(count: number, timeoutMs?: number): Promise<RecordedWebhook[]>;
  /** Another gateway (another process) on the same table and secret. */
  another(opts?: Partial<TestGatewayOptions>): TestGateway;
  close(): Promise<void>;
}

const listen = (app: express.Express) =>
  new Promise<{ server: Server; url: string }>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }));
  });

export async function startRig(opts: Partial<TestGatewayOptions> = {}): Promise<Rig> {
  const clock = new TestClock();
  const dynamo = testDynamo();
  await ensureTables(dynamo);
  const webhooks: RecordedWebhook[] = [];
  let refuse = 0;

  const merchant = express();
  merchant.post('/api/payments/webhook/test', express.raw({ type: '*/*' }), (req, res) => {
    if (refuse > 0) {
      refuse--;
      res.status(500).json({ error: 'try later' });
      return;
    }
    const rawBody = req.body as Buffer;
    webhooks.push({ rawBody, headers: { ...req.headers }, body: JSON.parse(rawBody.toString('utf8')), at: Date.now() });
    res.json({ ok: true });
  });
  merchant.get('/return', (req, res) => {
    res.type('html').send(`<!doctype html><html lang="en"><head><title>Back at the merchant</title></head><body><main><h1>Back at the merchant</h1><p id="order">${String(req.query.order).replace(/[^\w-]/g, '')}</p></main></body></html>`);
  });
  const m = await listen(merchant);

  let gatewayUrl = '';
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const make = (o: Partial<TestGatewayOptions>) =>
    createTestGateway({
      dynamo,
      clock,
      logger,
      publicUrl: () => gatewayUrl,
      webhookUrl: `${m.url}/api/payments/webhook/test`,
      secret: SECRET,
      webhookRetryDelaysMs: [50, 100, 200],
      ...opts,
      ...o,
    });
  const gateway = make({});
  const others: TestGateway[] = [];
  const app = express();
  mountTestGatewayRoutes(app, gateway, { now: clock.now });
  const g = await listen(app);
  gatewayUrl = g.url;

  return {
    gateway,
    clock,
    dynamo,
    url: g.url,
    merchantUrl: m.url,
    webhooks,
    refuseWebhooks: (n) => {
      refuse = n;
    },
    async waitForWebhooks(count, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (webhooks.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} webhooks, got ${webhooks.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return webhooks;
    },
    another(o = {}) {
      const other = make(o);
      others.push(other);
      return other;
    },
    async close() {
      gateway.close();
      for (const o of others) o.close();
      for (const s of [g.server, m.server]) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
      await dropTables(dynamo);
      dynamo.raw.destroy();
    },
  };
}
