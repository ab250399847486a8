import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type {
  CatalogStore,
  CityRecord,
  MovieRecord,
  ScreenRecord,
  ShowRecord,
  TheatreRecord,
} from '../../ports.js';
import type { Dynamo } from './client.js';
import { entityKey } from './keys.js';
import { queryAll } from './query.js';
import { withRetry } from './retry.js';

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, ...rest } = item;
  return rest as T;
};

const chunks = <T>(xs: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, i * size + size));

export function createCatalogStore(dynamo: Dynamo): CatalogStore {
  const { doc, tables } = dynamo;

  async function byIndex<T>(gsi1pk: string): Promise<T[]> {
    const items = await queryAll(doc, {
      TableName: tables.main,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': gsi1pk },
    });
    return items.map((i) => strip<T>(i));
  }

  async function get<T>(kind: string, id: string): Promise<T | null> {
    // Consistent: a show or screen staff just created or changed is read as written (services cache it anyway).
    const { Item } = await withRetry(() => doc.send(new GetCommand({ TableName: tables.main, Key: entityKey(kind, id), ConsistentRead: true })));
    return Item ? strip<T>(Item) : null;
  }

  async function batchPut(items: Record<string, unknown>[]): Promise<void> {
    for (const batch of chunks(items, 25)) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        const out = await withRetry(() =>
          doc.send(new BatchWriteCommand({ RequestItems: { [tables.main]: requests } })),
        );
        requests = (out.UnprocessedItems?.[tables.main] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  }

  return {
    cities: async () => (await byIndex<CityRecord>('CITIES')).sort((a, b) => a.order - b.order),
    theatres: () => byIndex<TheatreRecord>('THEATRES'),
    movies: () => byIndex<MovieRecord>('MOVIES'),
    screens: () => byIndex<ScreenRecord>('SCREENS'),
    getScreen: (id) => get<ScreenRecord>('SCREEN', id),
    getShow: (id) => get<ShowRecord>('SHOW', id),
    async showStatus(id) {
      const { Item } = await withRetry(() =>
        doc.send(new GetCommand({ TableName: tables.main, Key: entityKey('SHOW', id), ConsistentRead: true, ProjectionExpression: '#status', ExpressionAttributeNames: { '#status': 'status' } })),
      );
      return (Item?.status as ShowRecord['status'] | undefined) ?? null;
    },
    showsOn: (cityId, localDate) => byIndex<ShowRecord>(`SHOWS#${cityId}#${localDate}`),
    putCities: (items) =>
      batchPut(items.map((c) => ({ ...entityKey('CITY', c.id), gsi1pk: 'CITIES', gsi1sk: c.id, ...c }))),
    putTheatres: (items) =>
      batchPut(items.map((t) => ({ ...entityKey('THEATRE', t.id), gsi1pk: 'THEATRES', gsi1sk: t.id, ...t }))),
    putMovies: (items) =>
      batchPut(items.map((m) => ({ ...entityKey('MOVIE', m.id), gsi1pk: 'MOVIES', gsi1sk: m.id, ...m }))),
    putScreens: (items) =>
      batchPut(items.map((s) => ({ ...entityKey('SCREEN', s.id), gsi1pk: 'SCREENS', gsi1sk: s.id, ...s }))),
    putShows: (items) =>
      batchPut(
        items.map((s) => ({
          ...entityKey('SHOW', s.id),
          gsi1pk: `SHOWS#${s.cityId}#${s.localDate}`,
          gsi1sk: `${String(s.startsAt).padStart(15, '0')}#${s.id}`,
          ...s,
        })),
      ),
    async setMoviePoster(movieId, poster) {
      try {
        await withRetry(() =>
          doc.send(
            new UpdateCommand({
              TableName: tables.main,
              Key: entityKey('MOVIE', movieId),
              ConditionExpression: 'attribute_exists(pk)',
              ...(poster
                ? { UpdateExpression: 'SET uploadedPoster = :p', ExpressionAttributeValues: { ':p': poster } }
                : { UpdateExpression: 'REMOVE uploadedPoster' }),
            }),
          ),
        );
        return true;
      } catch (e) {
        if (e instanceof ConditionalCheckFailedException) return false;
        throw e;
      }
    },
    async existingShowIds(ids) {
      const found = new Set<string>();
      for (const batch of chunks(ids, 100)) {
        let keys: Record<string, unknown>[] = batch.map((id) => entityKey('SHOW', id));
        while (keys.length > 0) {
          const out = await withRetry(() =>
            doc.send(
              new BatchGetCommand({ RequestItems: { [tables.main]: { Keys: keys, ProjectionExpression: 'pk' } } }),
            ),
          );
          for (const item of out.Responses?.[tables.main] ?? []) found.add(String(item.pk).slice('SHOW#'.length));
          keys = (out.UnprocessedKeys?.[tables.main]?.Keys ?? []) as Record<string, unknown>[];
        }
      }
      return found;
    },
    async schemaVersion() {
      const item = await get<{ version: number }>('META', 'schema');
      return item?.version ?? null;
    },
    async setSchemaVersion(version) {
      await withRetry(() =>
        doc.send(new PutCommand({ TableName: tables.main, Item: { ...entityKey('META', 'schema'), version } })),
      );
    },
  };
}
