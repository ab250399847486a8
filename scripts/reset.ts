/** Deletes the embedded store's data (DATA_DIR/dynamodb and DATA_DIR/mail). The server must be stopped. */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockDataDir } from '../server/adapters/dynamo/embedded.js';
import { loadConfig } from '../server/config.js';

const config = loadConfig();
if (config.store !== 'embedded') {
  console.error('npm run reset only clears the embedded store. On AWS, delete the tables yourself.');
  process.exit(2);
}
const dir = resolve(config.dataDir);
const unlock = lockDataDir(dir); // throws while a server is running on it
for (const part of ['dynamodb', 'mail', 'dynamodb.pid']) rmSync(join(dir, part), { recursive: true, force: true });
unlock();
console.log(`Cleared ${dir}. The next \`npm start\` seeds fresh demo data.`);
