/**
 * Refresh-token families, one item each. Rotation is a conditional update on the
 * family's counter: of two refreshes racing with the same token, exactly one wins.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SessionFamily } from '../../domain/sessions.js';
import type { SessionStore } from '../../ports.js';
import type { Dynamo } from './client.js';
import { entityKey, ttlAfter } from './keys.js';
import { conditionalWrite, withRetry } from './retry.js';
import { TTL_ATTRIBUTE } from './tables.js';

export function createSessionStore(dynamo: Dynamo): SessionStore {
  const { doc, tables } = dynamo;
  const key = (id: string) => entityKey('SESSION', id);

  return {
    async create(family) {
      await withRetry(() =>
        doc.send(
          new PutCommand({
            TableName: tables.main,
            Item: { ...key(family.id), ...family, [TTL_ATTRIBUTE]: ttlAfter(family.expiresAt) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async get(id) {
      const { Item } = await withRetry(() => doc.send(new GetCommand({ TableName: tables.main, Key: key(id), ConsistentRead: true })));
      if (!Item) return null;
      const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...family } = Item;
      return family as SessionFamily;
    },

    rotate: (id, counter, expiresAt, now) =>
      conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName: tables.main,
            Key: key(id),
            UpdateExpression: 'SET #counter = :next, expiresAt = :exp, lastUsedAt = :now, #ttl = :ttl',
            ConditionExpression: '#counter = :counter AND attribute_not_exists(revokedAt) AND expiresAt > :now',
            ExpressionAttributeNames: { '#counter': 'counter', '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':counter': counter, ':next': counter + 1, ':exp': expiresAt, ':now': now, ':ttl': ttlAfter(expiresAt) },
          }),
        ),
      ),

    async revoke(id, now, reason) {
      // False when it is gone or revoked already: either way it is over.
      await conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName: tables.main,
            Key: key(id),
            UpdateExpression: 'SET revokedAt = :now, revokedReason = :reason',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
            ExpressionAttributeValues: { ':now': now, ':reason': reason },
          }),
        ),
      );
    },
  };
}
