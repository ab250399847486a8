/**
 * Creates the tables (with TTL) on the DynamoDB the environment points at:
 *   STORE=aws AWS_REGION=ap-south-1 TABLE_PREFIX=moviemagic npm run create-tables [-- --seed]
 * `--seed` also writes the demo catalogue and shows.
 */
import { createCatalogStore } from '../server/adapters/dynamo/catalog-store.js';
import { createDynamo, isLoopbackEndpoint } from '../server/adapters/dynamo/client.js';
import { ensureTables } from '../server/adapters/dynamo/tables.js';
import { loadConfig } from '../server/config.js';
import { seedDemo } from '../server/seed/demo.js';

const config = loadConfig({ JWT_SECRET: 'unused-by-this-script-placeholder-secret', PUBLIC_URL: 'http://unused-by-this-script', ...process.env });
if (config.store !== 'aws') {
  console.error('Set STORE=aws (and AWS_REGION, optionally DYNAMODB_ENDPOINT and TABLE_PREFIX). The embedded store creates its tables itself.');
  process.exit(2);
}
const dynamo = createDynamo({
  region: config.awsRegion!,
  endpoint: config.dynamoEndpoint,
  tablePrefix: config.tablePrefix,
  localCredentials: isLoopbackEndpoint(config.dynamoEndpoint),
});
const created = await ensureTables(dynamo);
console.log(`tables ${Object.values(dynamo.tables).join(', ')} ready (${created.length ? `created ${created.join(', ')}` : 'already there'}); TTL on "ttl"`);
if (process.argv.includes('--seed')) {
  const report = await seedDemo(createCatalogStore(dynamo), Date.now(), (m) => console.log(m));
  console.log(`seeded: ${JSON.stringify(report)}`);
}
dynamo.raw.destroy();
