/**
 * A server child for the payment crash test: the real app (createApp) on the run's DynamoDB
 * Local with the scripted gateway served by the test process. It reads its settings from
 * the environment the test gives it (MM_*), as main.ts reads its own.
 */
import pino from 'pino';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCommonPasswords } from '../../server/adapters/common-passwords.js';
import { createDynamo } from '../../server/adapters/dynamo/client.js';
import { ensureTables } from '../../server/adapters/dynamo/tables.js';
import { createMemoryFeed } from '../../server/adapters/feed/memory-feed.js';
import { createMailOutbox } from '../../server/adapters/mail/outbox.js';
import { createApp } from '../../server/app.js';
import { systemClock } from '../../server/ports.js';
import { remoteGateway } from './scripted-gateway-http.js';

const env = process.env;
const dynamo = createDynamo({ region: 'local', endpoint: env.MM_DYNAMO!, tablePrefix: env.MM_PREFIX!, localCredentials: true });
await ensureTables(dynamo);
const outbox = createMailOutbox(mkdtempSync(join(tmpdir(), 'mm-paymail-')), Date.now);
const app = createApp(
  { dynamo, clock: systemClock, logger: pino({ level: 'warn' }), notifier: outbox.notifier, mailOutbox: outbox, feed: createMemoryFeed(), commonPasswords: loadCommonPasswords() },
  {
    holdSeconds: 60,
    maxSeatsPerUser: 10,
    jwtSecret: 'payments-crash-secret-long-enough-for-hs256',
    bcryptCost: 4,
    accessTokenSeconds: 3600,
    publicUrl: 'http://localhost:3000',
    clientDir: null,
    sweepIntervalMs: 300,
    outboxIntervalMs: 300,
    limits: { authPerIp: null, seatEventsPerSocket: null },
    payments: { gateway: remoteGateway(env.MM_GATEWAY_URL!), windowSeconds: Number(env.MM_WINDOW_SECONDS ?? 10), refundIntervalMs: 300, reconcileIntervalMs: Number(env.MM_RECONCILE_MS ?? 500) },
  },
);
const port = await app.listen(Number(env.PORT), '127.0.0.1');
console.log(`Movie Magic is ready on http://localhost:${port}`);
