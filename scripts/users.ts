/**
 * Staff and admin accounts on the DynamoDB the environment points at (STORE=aws; the
 * embedded demo has its demo logins):
 *   npm run users -- add --email a@b.c --name "Sita Devi" --role staff --theatre pvr-inorbit-mall-madhapur [--theatre …] [--password …]
 *   npm run users -- role --email a@b.c --role admin          (an existing account, e.g. one that signed up)
 *   npm run users -- revoke --email a@b.c                      (back to customer)
 *   npm run users -- list
 * A role change ends the account's sessions, so the next sign-in carries the new role.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createCatalogStore } from '../server/adapters/dynamo/catalog-store.js';
import { createDynamo, isLoopbackEndpoint } from '../server/adapters/dynamo/client.js';
import { missingTables, missingTablesMessage } from '../server/adapters/dynamo/tables.js';
import { createUserStore } from '../server/adapters/dynamo/user-store.js';
import { loadConfig } from '../server/config.js';
import { createAccount } from '../server/services/auth.js';

const USAGE = `usage: npm run users -- <add|role|revoke|list> [--email E] [--name N] [--role staff|admin] [--theatre ID]... [--password P]`;
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, theatre: { type: 'string', multiple: true }, password: { type: 'string' } },
});
const command = positionals[0] ?? fail(USAGE);
const config = loadConfig({ JWT_SECRET: 'unused-by-this-script-placeholder-secret', PUBLIC_URL: 'http://unused-by-this-script', ...process.env });
if (config.store !== 'aws') fail('Set STORE=aws (and AWS_REGION, TABLE_PREFIX, optionally DYNAMODB_ENDPOINT). The embedded demo has its demo logins (see the README).');
const dynamo = createDynamo({ region: config.awsRegion!, endpoint: config.dynamoEndpoint, tablePrefix: config.tablePrefix, localCredentials: isLoopbackEndpoint(config.dynamoEndpoint) });
const missing = await missingTables(dynamo);
if (missing.length) fail(missingTablesMessage(missing, config.tablePrefix));
const users = createUserStore(dynamo);

function roleOf(value: string | undefined): 'staff' | 'admin' {
  if (value === 'staff' || value === 'admin') return value;
  return fail(`--role must be staff or admin${value ? ` (not "${value}")` : ''}.`);
}
/** Staff need theatres, and those must exist; admins manage every theatre. */
async function theatresFor(role: 'staff' | 'admin'): Promise<string[]> {
  const ids = values.theatre ?? [];
  if (role === 'admin') return [];
  if (!ids.length) fail('Staff need at least one --theatre <id> (npm run users -- list shows the theatres).');
  const known = new Set((await createCatalogStore(dynamo).theatres()).map((t) => t.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) fail(`No theatre ${unknown.join(', ')}. Known: ${[...known].sort().join(', ')}`);
  return ids;
}
async function existing() {
  const email = values.email?.trim().toLowerCase() ?? fail('--email is required.');
  return (await users.findByEmail(email)) ?? fail(`No account with the email ${email}.`);
}

if (command === 'add') {
  const role = roleOf(values.role);
  const email = values.email?.trim().toLowerCase() ?? fail('--email is required.');
  const theatreIds = await theatresFor(role);
  const password = values.password ?? randomBytes(12).toString('base64url');
  if (password.length < 10) fail('--password must be at least 10 characters.');
  const bcryptCost = Number(process.env.BCRYPT_COST ?? 12);
  const user = await createAccount({ users, clock: { now: Date.now }, bcryptCost }, { name: values.name ?? email.split('@')[0]!, email, password }, role, theatreIds, { emailVerified: true });
  if (!user) fail(`An account with the email ${email} exists: use \`npm run users -- role --email ${email} --role ${role}\`.`);
  console.log(`added ${role} ${email}${theatreIds.length ? ` (theatres: ${theatreIds.join(', ')})` : ''}`);
  if (!values.password) console.log(`password: ${password}  (shown once; they can change it under Account)`);
} else if (command === 'role' || command === 'revoke') {
  const user = await existing();
  const role = command === 'revoke' ? 'customer' : roleOf(values.role);
  const theatreIds = role === 'staff' ? await theatresFor(role) : [];
  await users.setRole(user.id, role, theatreIds);
  await users.bumpSessionVersion(user.id);
  console.log(`${user.email} is now ${role}${theatreIds.length ? ` (theatres: ${theatreIds.join(', ')})` : ''}; their sessions were ended`);
} else if (command === 'list') {
  for (const u of await users.listStaff()) console.log(`${u.role.padEnd(6)} ${u.email}${u.theatreIds?.length ? `  theatres: ${u.theatreIds.join(', ')}` : ''}`);
} else fail(USAGE);
dynamo.raw.destroy();
