/**
 * Issue 18: on a shared store (STORE=aws) the demo schedule rolls forward from the running
 * processes, one at a time under a lease, adding only the missing demo shows; a store
 * without the demo catalogue is left alone, and staff-made shows are untouched.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCatalogStore } from '../../server/adapters/dynamo/catalog-store.js';
import { createLeaseStore } from '../../server/adapters/dynamo/lease-store.js';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { demoShows, buildDemoCatalog, seedDemo } from '../../server/seed/demo.js';
import { createScheduleRoll } from '../../server/services/schedule-roll.js';
import { createShow } from '../support/fixtures.js';
import { testDynamo, TestClock } from '../support/harness.js';

const dynamo = testDynamo();
const bare = testDynamo();
const catalog = createCatalogStore(dynamo);
beforeAll(async () => {
  await ensureTables(dynamo);
  await ensureTables(bare);
});
afterAll(async () => {
  await dropTables(dynamo);
  await dropTables(bare);
});

const DAY = 86_400_000;
const logger = pino({ level: 'silent' });

it('two processes a few days later: one takes the lease and adds exactly the missing demo shows, the other skips; a staff show stays', async () => {
  const clock = new TestClock(Date.now());
  await seedDemo(catalog, clock.now());
  const staffShow = await createShow(catalog, { now: clock.now(), startsInMs: 5 * DAY });
  clock.advance(3 * DAY);
  const [a, b] = ['proc-a', 'proc-b'].map((owner) => createScheduleRoll({ catalog, leases: createLeaseStore(dynamo), clock, logger, owner }));
  const results = await Promise.all([a!.rollOnce(), b!.rollOnce()]);
  const expected = demoShows(buildDemoCatalog(), clock.now()).filter((s) => s.startsAt > clock.now());
  const before = await catalog.existingShowIds(expected.map((s) => s.id));
  expect(before.size).toBe(expected.length);
  expect(results.filter((r) => r === null)).toHaveLength(1);
  expect(results.find((r) => r !== null)).toBeGreaterThan(0);
  // Run again by the holder: nothing missing, nothing written.
  expect(await (results[0] === null ? b! : a!).rollOnce()).toBe(0);
  expect(await catalog.existingShowIds([staffShow.showId])).toEqual(new Set([staffShow.showId]));
  // The other process takes over once the lease has run out.
  clock.advance(11 * 60_000);
  expect(await (results[0] === null ? a! : b!).rollOnce()).toBe(0);
});

it('leaves a store without the demo catalogue alone (a production schedule made by staff)', async () => {
  const clock = new TestClock(Date.now());
  const store = createCatalogStore(bare);
  const roll = createScheduleRoll({ catalog: store, leases: createLeaseStore(bare), clock, logger, owner: 'p' });
  expect(await roll.rollOnce()).toBeNull();
  expect((await store.movies()).length).toBe(0);
});
