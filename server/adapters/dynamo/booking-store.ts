import { BatchGetCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BookingRecord, BookingStore } from '../../ports.js';
import type { Dynamo } from './client.js';
import { entityKey } from './keys.js';
import { queryAll } from './query.js';
import { conditionalWrite, withRetry } from './retry.js';

export function bookingItem(b: BookingRecord) {
  return {
    ...entityKey('BOOKING', b.id),
    ...b,
    gsi1pk: `BOOKINGS#${b.userId}`,
    gsi1sk: `${b.createdAt}#${b.id}`,
    gsi2pk: `SHOWBOOKINGS#${b.showId}`,
    gsi2sk: `${b.createdAt}#${b.id}`,
  };
}

function toBooking(item: Record<string, unknown>): BookingRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as unknown as BookingRecord;
}

export function createBookingStore(dynamo: Dynamo): BookingStore {
  const { doc, tables } = dynamo;

  async function queryIndex(index: 'gsi1' | 'gsi2', pk: string) {
    const items = await queryAll(doc, {
      TableName: tables.main,
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk`,
      ExpressionAttributeValues: { ':pk': pk },
    });
    return items.map(toBooking);
  }

  /** The items themselves, read consistently (100 keys per BatchGetItem, unprocessed keys asked again). */
  async function getMany(ids: string[]): Promise<BookingRecord[]> {
    const out: BookingRecord[] = [];
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map((id) => entityKey('BOOKING', id));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
        const page = await withRetry(() => doc.send(new BatchGetCommand({ RequestItems: { [tables.main]: { Keys: keys, ConsistentRead: true } } })));
        out.push(...(page.Responses?.[tables.main] ?? []).map(toBooking));
        keys = (page.UnprocessedKeys?.[tables.main]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return out;
  }

  return {
    async markUsed(id, at) {
      return conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName: tables.main,
            Key: entityKey('BOOKING', id),
            UpdateExpression: 'SET usedAt = :at',
            ConditionExpression: '#status = :confirmed AND attribute_not_exists(usedAt)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':at': at, ':confirmed': 'confirmed' },
          }),
        ),
      );
    },
    async get(id) {
      const { Item } = await withRetry(() =>
        doc.send(new GetCommand({ TableName: tables.main, Key: entityKey('BOOKING', id), ConsistentRead: true })),
      );
      return Item ? toBooking(Item) : null;
    },
    getMany,
    // The index says which bookings; the items say what they are now (the index may lag a write).
    listByUser: async (userId) => getMany((await queryIndex('gsi1', `BOOKINGS#${userId}`)).map((b) => b.id)),
    listByShow: (showId) => queryIndex('gsi2', `SHOWBOOKINGS#${showId}`),
  };
}
