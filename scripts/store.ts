/**
 * A shared DynamoDB Local for several server processes on one machine (pm2 cluster):
 *   npm run store                  # DynamoDB Local on 127.0.0.1:8000, data in ./data/shared-store
 *   STORE_PORT=8001 DATA_DIR=/var/lib/moviemagic npm run store
 * Creates the tables, seeds the demo catalogue and demo logins, then runs until Ctrl-C.
 * Point the servers at it with STORE=aws DYNAMODB_ENDPOINT=http://127.0.0.1:8000 AWS_REGION=local.
 */
import { join, resolve } from 'node:path';
import pino from 'pino';
import { createCatalogStore } from '../server/adapters/dynamo/catalog-store.js';
import { createDynamo } from '../server/adapters/dynamo/client.js';
import { JavaMissingError, lockDataDir, startEmbeddedDynamo } from '../server/adapters/dynamo/embedded.js';
import { ensureTables } from '../server/adapters/dynamo/tables.js';
import { createUserStore } from '../server/adapters/dynamo/user-store.js';
import { systemClock } from '../server/ports.js';
import { seedDemo } from '../server/seed/demo.js';
import { DEMO_STAFF_THEATRES, ensureDemoUsers } from '../server/seed/demo-users.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const port = Number(process.env.STORE_PORT ?? 8000);
const dataDir = resolve(process.env.DATA_DIR ?? './data', 'shared-store');
const prefix = process.env.TABLE_PREFIX ?? 'moviemagic';
const log = pino({ transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } });

try {
  const unlock = lockDataDir(dataDir);
  const store = await startEmbeddedDynamo({ dataDir, port });
  const dynamo = createDynamo({ region: 'local', endpoint: store.endpoint, tablePrefix: prefix, localCredentials: true });
  await ensureTables(dynamo);
  log.info(await seedDemo(createCatalogStore(dynamo), Date.now(), (m) => log.info(m)), 'demo data ready');
  await ensureDemoUsers({ users: createUserStore(dynamo), clock: systemClock, bcryptCost: 12 }, DEMO_STAFF_THEATRES);
  log.info(`DynamoDB Local on ${store.endpoint} (data in ${join(dataDir, 'dynamodb')}), tables "${prefix}-*"`);
  log.info(`servers: STORE=aws DYNAMODB_ENDPOINT=${store.endpoint} AWS_REGION=local TABLE_PREFIX=${prefix} JWT_SECRET=... REDIS_URL=...`);
  const stop = async () => {
    await store.stop();
    unlock();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (err) {
  console.error(err instanceof JavaMissingError ? err.message : err);
  process.exit(1);
}
