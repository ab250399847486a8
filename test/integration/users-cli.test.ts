/**
 * Issue 18: `npm run users` gives staff and admin accounts on an AWS store (no demo users
 * there): add with theatres, give a role to an account that signed up, revoke, list;
 * clear refusals for unknown theatres, missing flags and taken emails.
 */
import { spawnSync } from 'node:child_process';
import bcrypt from 'bcrypt';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createCatalogStore } from '../../server/adapters/dynamo/catalog-store.js';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { createUserStore } from '../../server/adapters/dynamo/user-store.js';
import { createAccount } from '../../server/services/auth.js';
import { testDynamo } from '../support/harness.js';

const dynamo = testDynamo();
const users = createUserStore(dynamo);
beforeAll(async () => {
  await ensureTables(dynamo);
  await createCatalogStore(dynamo).putTheatres([{ id: 'cli-theatre', name: 'CLI Theatre', address: '1 Road', cityId: 'testville', timeZone: 'Asia/Kolkata' }]);
});
afterAll(() => dropTables(dynamo));

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/users.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, STORE: 'aws', DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), AWS_REGION: 'local', TABLE_PREFIX: dynamo.tables.main.replace(/-main$/, ''), BCRYPT_COST: '4' },
  });
  return { status: r.status, out: r.stdout + r.stderr };
};

it('adds a staff account with its theatres and a one-time password that signs in', async () => {
  const r = run('add', '--email', 'Sita@Example.com', '--name', 'Sita Devi', '--role', 'staff', '--theatre', 'cli-theatre');
  expect(r).toMatchObject({ status: 0 });
  expect(r.out).toContain('added staff sita@example.com (theatres: cli-theatre)');
  const password = /password: (\S+)/.exec(r.out)![1]!;
  const u = await users.findByEmail('sita@example.com');
  expect(u).toMatchObject({ role: 'staff', theatreIds: ['cli-theatre'], emailVerified: true, name: 'Sita Devi' });
  expect(await bcrypt.compare(password, u!.passwordHash)).toBe(true);
  expect(run('add', '--email', 'sita@example.com', '--role', 'admin')).toMatchObject({ status: 2, out: expect.stringContaining('exists') });
});

it('gives a signed-up account a role (ending its sessions), revokes it, and lists staff and admins', async () => {
  const created = await createAccount({ users, clock: { now: Date.now }, bcryptCost: 4 }, { name: 'Ravi', email: 'ravi@example.com', password: 'correct horse battery' }, 'customer', []);
  expect(run('role', '--email', 'ravi@example.com', '--role', 'admin').status).toBe(0);
  expect(await users.get(created!.id)).toMatchObject({ role: 'admin', sessionVersion: 1 });
  expect(run('list').out).toMatch(/admin\s+ravi@example\.com[\s\S]*staff\s+sita@example\.com\s+theatres: cli-theatre/);
  expect(run('revoke', '--email', 'ravi@example.com').out).toContain('ravi@example.com is now customer');
  expect(await users.get(created!.id)).toMatchObject({ role: 'customer', sessionVersion: 2 });
  expect(run('list').out).not.toContain('ravi@example.com');
});

it('refuses unknown theatres, staff without a theatre, a bad role and an unknown email, changing nothing', async () => {
  expect(run('add', '--email', 'x@example.com', '--role', 'staff', '--theatre', 'nowhere')).toMatchObject({ status: 2, out: expect.stringContaining('No theatre nowhere. Known: cli-theatre') });
  expect(run('add', '--email', 'x@example.com', '--role', 'staff').out).toContain('at least one --theatre');
  expect(run('add', '--email', 'x@example.com', '--role', 'owner').out).toContain('--role must be staff or admin');
  expect(run('role', '--email', 'nobody@example.com', '--role', 'admin').out).toContain('No account with the email nobody@example.com');
  expect(await users.findByEmail('x@example.com')).toBeNull();
});
