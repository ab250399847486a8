/**
 * Loyalty points in the main table, one partition per user (`LOYALTY#<userId>`): a balance
 * item (`BALANCE`) and one ledger item per event (`<kind>#<bookingId>`). The seat and payment
 * stores append `pointsItems` to the booking's own transaction: each entry put only if it is
 * not there (one per event), and the balance changed only if it holds the points the event
 * needs, so it never goes below zero. The balance item is the last item (its failure is 'points').
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry, LoyaltyStore, PointsWrite } from '../../ports.js';
import type { Dynamo } from './client.js';
import type { TransactItems } from './confirm-groups.js';
import { withRetry } from './retry.js';

const pkOf = (userId: string) => `LOYALTY#${userId}`;
const BALANCE = 'BALANCE';

/** The items of one event's points, to append to the transaction that makes the event. */
export function pointsItems(table: string, userId: string, bookingId: string, w: PointsWrite | null | undefined, now: number): TransactItems {
  if (!w) return [];
  const pk = pkOf(userId);
  return [
    ...w.entries.map((e) => ({
      Put: {
        TableName: table,
        Item: { pk, sk: `${e.kind}#${bookingId}`, kind: e.kind, bookingId, points: e.points, at: now },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
    {
      Update: {
        TableName: table,
        Key: { pk, sk: BALANCE },
        UpdateExpression: 'ADD points :delta',
        ...(w.need > 0 ? { ConditionExpression: 'points >= :need', ExpressionAttributeValues: { ':delta': w.delta, ':need': w.need } } : { ExpressionAttributeValues: { ':delta': w.delta } }),
      },
    },
  ];
}

/** Whether a cancelled transaction failed at the balance (the last of `items`, which ended with pointsItems). */
export const pointsRefused = (codes: string[] | null, w: PointsWrite | null | undefined) => !!w && codes?.[codes.length - 1] === 'ConditionalCheckFailed';

export function createLoyaltyStore(dynamo: Dynamo): LoyaltyStore {
  const { doc, tables } = dynamo;
  async function items(userId: string) {
    const out: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await withRetry(() =>
        doc.send(new QueryCommand({ TableName: tables.main, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pkOf(userId) }, ConsistentRead: true, ExclusiveStartKey })),
      );
      out.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }
  const pointsOf = (list: Record<string, unknown>[]) => Number(list.find((i) => i.sk === BALANCE)?.points ?? 0);
  return {
    async balance(userId) {
      const { Item } = await withRetry(() => doc.send(new GetCommand({ TableName: tables.main, Key: { pk: pkOf(userId), sk: BALANCE }, ConsistentRead: true })));
      return Number(Item?.points ?? 0);
    },
    async account(userId) {
      const list = await items(userId);
      const entries = list
        .filter((i) => i.sk !== BALANCE)
        .map((i): LedgerEntry => ({ kind: i.kind as LedgerEntry['kind'], bookingId: i.bookingId as string, points: Number(i.points), at: Number(i.at) }));
      return { points: pointsOf(list), entries };
    },
  };
}
