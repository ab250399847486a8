import { GetCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FavouriteKind } from '../../../protocol/index.js';
import type { UserRecord, UserStore } from '../../ports.js';
import type { Dynamo } from './client.js';
import { entityKey } from './keys.js';
import { outboxPut } from './outbox-store.js';
import { cancellationCodes, conditionalWrite, withRetry } from './retry.js';

/** Favourites are string sets on the user item: ADD and DELETE are idempotent by nature. */
const FAVOURITE_ATTR: Record<FavouriteKind, 'favouriteMovies' | 'favouriteTheatres'> = { movies: 'favouriteMovies', theatres: 'favouriteTheatres' };

/** A stored user item as a record: key attributes dropped, string sets as sorted arrays. */
function userOf(item: Record<string, unknown>): UserRecord {
  const { pk: _pk, sk: _sk, favouriteMovies, favouriteTheatres, ...user } = item;
  const sorted = (v: unknown) => (v instanceof Set ? [...(v as Set<string>)].sort() : undefined);
  const favourites = { favouriteMovies: sorted(favouriteMovies), favouriteTheatres: sorted(favouriteTheatres) };
  // Accounts made before verification and session versions existed.
  return { emailVerified: false, sessionVersion: 0, ...user, ...favourites } as UserRecord;
}

export function createUserStore(dynamo: Dynamo): UserStore {
  const { doc, tables } = dynamo;
  const userKey = (id: string) => entityKey('USER', id);
  const transact = (items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>) =>
    withRetry(() => doc.send(new TransactWriteCommand({ TransactItems: items })));

  const get = async (id: string) => {
    const { Item } = await withRetry(() => doc.send(new GetCommand({ TableName: tables.main, Key: userKey(id), ConsistentRead: true })));
    return Item ? userOf(Item) : null;
  };

  return {
    async create(user, notes = []) {
      try {
        await transact([
          { Put: { TableName: tables.main, Item: { ...entityKey('EMAIL', user.email), userId: user.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: tables.main, Item: { ...userKey(user.id), ...user }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ...notes.map((n) => outboxPut(tables.main, n, Date.parse(user.createdAt))),
        ]);
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

    async setRole(userId, role, theatreIds) {
      return conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName: tables.main,
            Key: userKey(userId),
            UpdateExpression: role === 'staff' ? 'SET #role = :role, theatreIds = :t' : 'SET #role = :role REMOVE theatreIds',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: { ':role': role, ...(role === 'staff' ? { ':t': theatreIds } : {}) },
          }),
        ),
      );
    },

    async listStaff() {
      const out: UserRecord[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await withRetry(() =>
          doc.send(
            new ScanCommand({
              TableName: tables.main,
              FilterExpression: 'sk = :user AND #role <> :customer',
              ExpressionAttributeNames: { '#role': 'role' },
              ExpressionAttributeValues: { ':user': 'USER', ':customer': 'customer' },
              ExclusiveStartKey,
            }),
          ),
        );
        for (const item of page.Items ?? []) out.push(userOf(item));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return out.sort((a, b) => a.email.localeCompare(b.email));
    },

    async markEmailVerified(userId) {
      return conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName: tables.main,
            Key: userKey(userId),
            UpdateExpression: 'SET emailVerified = :yes',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':yes': true },
          }),
        ),
      );
    },

    async startPasswordReset(userId, nonce, expiresAt, note, now) {
      await transact([
        {
          Update: {
            TableName: tables.main,
            Key: userKey(userId),
            UpdateExpression: 'SET resetNonce = :nonce, resetExpiresAt = :exp',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':nonce': nonce, ':exp': expiresAt },
          },
        },
        outboxPut(tables.main, note, now),
      ]);
    },

    async setPassword(user, passwordHash, guard, note, now) {
      const version = user.sessionVersion;
      const byReset = 'nonce' in guard;
      // The version in the condition makes the new one known without reading it back.
      const sameVersion = version === 0 ? '(attribute_not_exists(sessionVersion) OR sessionVersion = :v)' : 'sessionVersion = :v';
      try {
        await transact([
          {
            Update: {
              TableName: tables.main,
              Key: userKey(user.id),
              UpdateExpression: byReset
                ? 'SET passwordHash = :hash, sessionVersion = :next, emailVerified = :yes REMOVE resetNonce, resetExpiresAt'
                : 'SET passwordHash = :hash, sessionVersion = :next',
              ConditionExpression: byReset
                ? `resetNonce = :nonce AND resetExpiresAt > :now AND ${sameVersion}`
                : `passwordHash = :expected AND ${sameVersion}`,
              ExpressionAttributeValues: {
                ':hash': passwordHash,
                ':v': version,
                ':next': version + 1,
                ...(byReset ? { ':nonce': guard.nonce, ':now': guard.now, ':yes': true } : { ':expected': guard.expected }),
              },
            },
          },
          outboxPut(tables.main, note, now),
        ]);
        return version + 1;
      } catch (err) {
        if (cancellationCodes(err)?.includes('ConditionalCheckFailed')) return null;
        throw err;
      }
    },

    async bumpSessionVersion(userId) {
      const out = await withRetry(() =>
        doc.send(
          new UpdateCommand({
            TableName: tables.main,
            Key: userKey(userId),
            UpdateExpression: 'ADD sessionVersion :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1 },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      return out.Attributes!.sessionVersion as number;
    },

    async addFavourite(userId, kind, id, max) {
      return conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName: tables.main,
            Key: userKey(userId),
            UpdateExpression: 'ADD #fav :ids',
            // Already there (idempotent), or room for one more.
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#fav) OR contains(#fav, :id) OR size(#fav) < :max)',
            ExpressionAttributeNames: { '#fav': FAVOURITE_ATTR[kind] },
            ExpressionAttributeValues: { ':ids': new Set([id]), ':id': id, ':max': max },
          }),
        ),
      );
    },

    async removeFavourite(userId, kind, id) {
      await withRetry(() =>
        doc.send(
          new UpdateCommand({
            TableName: tables.main,
            Key: userKey(userId),
            UpdateExpression: 'DELETE #fav :ids',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#fav': FAVOURITE_ATTR[kind] },
            ExpressionAttributeValues: { ':ids': new Set([id]) },
          }),
        ),
      );
    },

    async setPreferences(userId, preferences, revision) {
      return conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName: tables.main,
            Key: userKey(userId),
            UpdateExpression: 'SET preferences = :p, preferencesRevision = :next',
            // Accounts saved before revisions existed are at revision 0.
            ConditionExpression: revision === 0 ? 'attribute_exists(pk) AND attribute_not_exists(preferencesRevision)' : 'preferencesRevision = :rev',
            ExpressionAttributeValues: { ':p': preferences, ':next': revision + 1, ...(revision === 0 ? {} : { ':rev': revision }) },
          }),
        ),
      );
    },
  };
}
