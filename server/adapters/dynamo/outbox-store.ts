/**
 * The notification outbox: items written in the same transaction as the booking
 * change they announce (seat-store.ts), then claimed, sent and marked by the
 * dispatcher. Pending items sit in gsi1 under one key sorted by next attempt;
 * failed ones under another (the staff view); sent ones leave the index.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NewNotification, OutboxRecord, OutboxStore } from '../../ports.js';
import type { Dynamo } from './client.js';
import { queryAll } from './query.js';
import { conditionalWrite, withRetry } from './retry.js';

const PENDING = 'OUTBOX#pending';
const FAILED = 'OUTBOX#failed';
const noteKey = (id: string) => ({ pk: `NOTE#${id}`, sk: 'NOTE' });
const dueKey = (at: number, id: string) => `${String(at).padStart(15, '0')}#${id}`;

/**
 * The item to put inside the booking's transaction. `claimedForMs`: the writing process takes
 * the first attempt itself (the item is written claimed), so a delivery costs one write (the
 * mark) instead of three; if that process dies, the dispatcher finds it due after the lease.
 */
export function outboxItem(note: NewNotification, now: number, claimedForMs = 0) {
  const due = now + claimedForMs;
  return {
    ...noteKey(note.id),
    ...note,
    status: 'pending',
    attempts: claimedForMs ? 1 : 0,
    nextAttemptAt: due,
    ...(claimedForMs ? { leaseUntil: due } : {}),
    createdAt: new Date(now).toISOString(),
    gsi1pk: PENDING,
    gsi1sk: dueKey(due, note.id),
    ...(note.bookingId ? { gsi2pk: `NOTES#${note.bookingId}`, gsi2sk: note.id } : {}),
  };
}

/** The transaction item that queues `note` (never overwriting one with the same id). */
export const outboxPut = (table: string, note: NewNotification, now: number, claimedForMs = 0) => ({
  Put: { TableName: table, Item: outboxItem(note, now, claimedForMs), ConditionExpression: 'attribute_not_exists(pk)' },
});

function toRecord(item: Record<string, unknown>): OutboxRecord {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...rest } = item;
  return rest as unknown as OutboxRecord;
}

export function createOutboxStore(dynamo: Dynamo): OutboxStore {
  const { doc, tables } = dynamo;

  const update = (id: string, input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>) =>
    conditionalWrite(() => doc.send(new UpdateCommand({ TableName: tables.main, Key: noteKey(id), ...input })));

  async function query(index: 'gsi1' | 'gsi2', pk: string, extra: { until?: number; limit?: number } = {}) {
    const due = extra.until !== undefined;
    const items = await queryAll(
      doc,
      {
        TableName: tables.main,
        IndexName: index,
        KeyConditionExpression: due ? `${index}pk = :pk AND ${index}sk <= :until` : `${index}pk = :pk`,
        ExpressionAttributeValues: { ':pk': pk, ...(due ? { ':until': dueKey(extra.until!, '~') } : {}) },
        Limit: extra.limit,
      },
      extra.limit,
    );
    return items.map(toRecord);
  }

  return {
    due: (now, limit) => query('gsi1', PENDING, { until: now, limit }),
    failed: () => query('gsi1', FAILED),
    forBooking: (bookingId) => query('gsi2', `NOTES#${bookingId}`),

    async get(id) {
      const { Item } = await withRetry(() => doc.send(new GetCommand({ TableName: tables.main, Key: noteKey(id), ConsistentRead: true })));
      return Item ? toRecord(Item) : null;
    },

    async claim(id, now, leaseMs) {
      try {
        const out = await withRetry(() =>
          doc.send(
            new UpdateCommand({
              TableName: tables.main,
              Key: noteKey(id),
              UpdateExpression: 'SET leaseUntil = :lease, attempts = attempts + :one',
              ConditionExpression: '#status = :pending AND nextAttemptAt <= :now AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':lease': now + leaseMs, ':one': 1, ':pending': 'pending', ':now': now },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return toRecord(out.Attributes!);
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) return null;
        throw err;
      }
    },

    async markSent(id, now) {
      await update(id, {
        UpdateExpression: 'SET #status = :sent, sentAt = :at REMOVE gsi1pk, gsi1sk, leaseUntil, lastError',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': new Date(now).toISOString(), ':pending': 'pending' },
      });
    },

    async markRetry(id, nextAttemptAt, error) {
      await update(id, {
        UpdateExpression: 'SET nextAttemptAt = :next, gsi1sk = :due, lastError = :err REMOVE leaseUntil',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':next': nextAttemptAt, ':due': dueKey(nextAttemptAt, id), ':err': error.slice(0, 500), ':pending': 'pending' },
      });
    },

    async markFailed(id, now, error) {
      await update(id, {
        UpdateExpression: 'SET #status = :failed, gsi1pk = :failedKey, gsi1sk = :due, lastError = :err, failedAt = :at REMOVE leaseUntil',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':failedKey': FAILED,
          ':due': dueKey(now, id),
          ':err': error.slice(0, 500),
          ':at': new Date(now).toISOString(),
          ':pending': 'pending',
        },
      });
    },

    async add(note, now) {
      await conditionalWrite(() => doc.send(new PutCommand(outboxPut(tables.main, note, now).Put))); // false: queued already
    },

    async retryFailed(id, now) {
      return update(id, {
        UpdateExpression: 'SET #status = :pending, gsi1pk = :pendingKey, gsi1sk = :due, nextAttemptAt = :now, attempts = :zero',
        ConditionExpression: '#status = :failed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':pendingKey': PENDING, ':due': dueKey(now, id), ':now': now, ':zero': 0, ':failed': 'failed' },
      });
    },
  };
}
