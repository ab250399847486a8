import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
    listByUser: (userId) => queryIndex('gsi1', `BOOKINGS#${userId}`),
    listByShow: (showId) => queryIndex('gsi2', `SHOWBOOKINGS#${showId}`),
  };
}
