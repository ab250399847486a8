/**
 * The catalogue's read cache against a real DynamoDB Local: a show written after the cache
 * last read the cities, theatres or movies (another process, an import, staff) is on sale
 * at once, not up to one cache lifetime later.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCatalogStore } from '../../server/adapters/dynamo/catalog-store.js';
import { dropTables, ensureTables } from '../../server/adapters/dynamo/tables.js';
import { createCatalog } from '../../server/services/catalog.js';
import { createShow } from '../support/fixtures.js';
import { testDynamo } from '../support/harness.js';

const dynamo = testDynamo();
const store = createCatalogStore(dynamo);

beforeAll(() => ensureTables(dynamo));
afterAll(() => dropTables(dynamo));

it('a show in a city, theatre and movie created after the cache read the lists is found at once', async () => {
  const catalog = createCatalog(store, { now: () => Date.now() });
  expect((await catalog.cities()).map((c) => c.id)).not.toContain('testville'); // cached without it
  const { showId } = await createShow(store, { now: Date.now() });
  const ctx = await catalog.showContext(showId);
  expect(ctx?.city.id).toBe('testville');
  expect(ctx?.theatre.id).toBe('test-theatre');
  expect(ctx?.movie.id).toBe('test-movie');
});

it('a show that does not exist is still not found', async () => {
  const catalog = createCatalog(store, { now: () => Date.now() });
  expect(await catalog.showContext('show-nope')).toBeNull();
});
