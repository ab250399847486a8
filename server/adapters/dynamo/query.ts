import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Dynamo } from './client.js';
import { withRetry } from './retry.js';

/** The items of a Query, page after page (each page retried on transient failures), stopping once `max` are in. */
export async function queryAll(
  doc: Dynamo['doc'],
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  max = Infinity,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await withRetry(() => doc.send(new QueryCommand({ ...input, ExclusiveStartKey })));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = items.length >= max ? undefined : page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
