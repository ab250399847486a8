import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { UserRecord, UserStore } from '../../ports.js';
import type { Dynamo } from './client.js';
import { entityKey } from './keys.js';
import { cancellationCodes, withRetry } from './retry.js';

export function createUserStore(dynamo: Dynamo): UserStore {
  const { doc, tables } = dynamo;
  const get = async (id: string) => {
    const { Item } = await withRetry(() =>
      doc.send(new GetCommand({ TableName: tables.main, Key: entityKey('USER', id), ConsistentRead: true })),
    );
    if (!Item) return null;
    const { pk: _pk, sk: _sk, ...user } = Item;
    return user as UserRecord;
  };
  return {
    async create(user) {
      try {
        await withRetry(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tables.main,
                    Item: { ...entityKey('EMAIL', user.email), userId: user.id },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                {
                  Put: {
                    TableName: tables.main,
                    Item: { ...entityKey('USER', user.id), ...user },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ],
            }),
          ),
        );
        return true;
      } catch (err) {
        if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return false;
        throw err;
      }
    },
    async findByEmail(email) {
      const { Item } = await withRetry(() =>
        doc.send(new GetCommand({ TableName: tables.main, Key: entityKey('EMAIL', email), ConsistentRead: true })),
      );
      return Item ? get(Item.userId as string) : null;
    },
    get,
  };
}
