/**
 * Issue 18, what an operator hits on an AWS-compatible store: a wrong TABLE_PREFIX stops
 * the start with a message naming the missing tables and the command that creates them;
 * tables that vanish later turn /readyz to 503 (DescribeTable, which IAM can limit to our
 * tables, not ListTables).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { testDynamo } from '../support/harness.js';
import { startServerProcess, stopServers, type ServerProcess } from '../support/server-process.js';

const dynamo = testDynamo();
const running: ServerProcess[] = [];
const prefix = dynamo.tables.main.replace(/-main$/, '');
const env = (over: Record<string, string> = {}) => ({
  STORE: 'aws',
  DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
  AWS_REGION: 'local',
  TABLE_PREFIX: prefix,
  JWT_SECRET: 'operator-checks-test-secret-long-enough',
  DATA_DIR: mkdtempSync(join(tmpdir(), 'mm-op-')),
  ...over,
});

beforeAll(() => ensureTables(dynamo));
afterAll(async () => {
  await stopServers(running);
  await dropTables(dynamo);
});

it('refuses to start with a TABLE_PREFIX whose tables do not exist, naming them and npm run create-tables', async () => {
  const p = await startServerProcess(env({ TABLE_PREFIX: 'no-such-prefix' }), { waitReady: false });
  running.push(p);
  expect(await p.exited).not.toBe(0);
  expect(p.output()).toContain('no-such-prefix-main');
  expect(p.output()).toContain('no-such-prefix-seats');
  expect(p.output()).toContain('npm run create-tables');
  expect(p.output()).not.toContain('Movie Magic is ready');
});

it('answers /readyz 200 while its tables exist and 503 once they are gone', async () => {
  const p = await startServerProcess(env());
  running.push(p);
  expect((await fetch(`${p.url}/readyz`)).status).toBe(200);
  await dropTables(dynamo);
  const res = await fetch(`${p.url}/readyz`);
  expect(res.status).toBe(503);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
  await ensureTables(dynamo);
});
