/**
 * Reviews in the main table, one partition per movie: `BY#<author>` is the review,
 * `VOTE#<voter>#<author>` a helpful mark (so a reader's marks are one query).
 */
import { DeleteCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ReviewRecord, ReviewStore } from '../../ports.js';
import type { Dynamo } from './client.js';
import { queryAll } from './query.js';
import { cancellationCodes, conditionalWrite, withRetry } from './retry.js';

const pk = (movieId: string) => `REVIEWS#${movieId}`;
const reviewKey = (movieId: string, authorId: string) => ({ pk: pk(movieId), sk: `BY#${authorId}` });

function toReview(item: Record<string, unknown>): ReviewRecord {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as ReviewRecord;
}

export function createReviewStore(dynamo: Dynamo): ReviewStore {
  const { doc, tables } = dynamo;
  const TableName = tables.main;
  const prefixed = (movieId: string, prefix: string) =>
    queryAll(doc, {
      TableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': pk(movieId), ':p': prefix },
      ConsistentRead: true,
    });

  return {
    async put(r, at) {
      const { Attributes } = await withRetry(() =>
        doc.send(
          new UpdateCommand({
            TableName,
            Key: reviewKey(r.movieId, r.authorId),
            UpdateExpression:
              'SET movieId = :m, authorId = :a, authorName = :n, rating = :r, #text = :t, updatedAt = :at, createdAt = if_not_exists(createdAt, :at), helpful = if_not_exists(helpful, :zero)',
            ExpressionAttributeNames: { '#text': 'text' },
            ExpressionAttributeValues: { ':m': r.movieId, ':a': r.authorId, ':n': r.authorName, ':r': r.rating, ':t': r.text, ':at': at, ':zero': 0 },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      const review = toReview(Attributes!);
      return { review, created: review.createdAt === at };
    },
    async get(movieId, authorId) {
      const { Item } = await withRetry(() => doc.send(new GetCommand({ TableName, Key: reviewKey(movieId, authorId), ConsistentRead: true })));
      return Item ? toReview(Item) : null;
    },
    async list(movieId) {
      return (await prefixed(movieId, 'BY#')).map(toReview);
    },
    async remove(movieId, authorId) {
      return conditionalWrite(() => doc.send(new DeleteCommand({ TableName, Key: reviewKey(movieId, authorId), ConditionExpression: 'attribute_exists(pk)' })));
    },
    async markHelpful(movieId, authorId, voterId, at) {
      try {
        await withRetry(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName, Item: { pk: pk(movieId), sk: `VOTE#${voterId}#${authorId}`, at }, ConditionExpression: 'attribute_not_exists(pk)' } },
                {
                  Update: {
                    TableName,
                    Key: reviewKey(movieId, authorId),
                    UpdateExpression: 'ADD helpful :one',
                    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#hidden)',
                    ExpressionAttributeNames: { '#hidden': 'hidden' },
                    ExpressionAttributeValues: { ':one': 1 },
                  },
                },
              ],
            }),
          ),
        );
        return 'marked';
      } catch (err) {
        const codes = cancellationCodes(err);
        if (!codes) throw err;
        return codes[0] === 'ConditionalCheckFailed' ? 'already' : 'missing';
      }
    },
    async markedBy(movieId, voterId) {
      const items = await prefixed(movieId, `VOTE#${voterId}#`);
      return new Set(items.map((i) => String(i.sk).slice(`VOTE#${voterId}#`.length)));
    },
    async hide(movieId, authorId, hidden) {
      return conditionalWrite(() =>
        doc.send(
          new UpdateCommand({
            TableName,
            Key: reviewKey(movieId, authorId),
            UpdateExpression: 'SET #hidden = :h',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#hidden': 'hidden' },
            ExpressionAttributeValues: { ':h': hidden },
          }),
        ),
      );
    },
  };
}
