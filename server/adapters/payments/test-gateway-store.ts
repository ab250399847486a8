/**
 * The test gateway's own records in the main table (docs/data-model.md): its orders, its
 * refunds and one control item (refunds armed to fail). Every change is one conditional
 * write, so several processes driving the same order agree on what happened once.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TestGatewayOrder } from '../../../protocol/index.js';
import type { Dynamo } from '../dynamo/client.js';
import { entityKey, ttlAfter } from '../dynamo/keys.js';
import { withRetry } from '../dynamo/retry.js';

/** Kept a month after the order's deadline: long enough for late refunds in any demo or load test. */
const KEEP_MS = 30 * 86_400_000;

export interface TestOrderRecord extends TestGatewayOrder {
  description: string;
  returnUrl: string;
  expiresAt: number;
  createdAt: number;
  capturedAt?: number;
  /** Set at capture: what is left to refund. */
  refundable?: number;
}

export interface TestRefundRecord {
  refundRef: string;
  refundId: string;
  orderRef: string;
  captureRef: string;
  amount: number;
  currency: string;
  state: 'pending' | 'succeeded' | 'failed';
  createdAt: number;
  /** Epoch ms when a pending refund settles. */
  settleAt: number;
  error?: string;
}

const orderKey = (ref: string) => entityKey('TGORDER', ref);
const refundKey = (ref: string) => entityKey('TGREFUND', ref);
const CONTROL_KEY = entityKey('TGCONTROL', 'refunds');

function strip<T>(item: Record<string, unknown> | undefined): T | null {
  if (!item) return null;
  const { pk: _pk, sk: _sk, ttl: _ttl, ...rest } = item;
  return rest as T;
}

/** Runs a conditional write: its new item, or null when the condition failed. */
async function conditional<T>(op: () => Promise<{ Attributes?: Record<string, unknown> }>): Promise<T | null> {
  try {
    return strip<T>((await withRetry(op)).Attributes);
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return null;
    throw err;
  }
}

export function createTestGatewayStore(dynamo: Dynamo) {
  const { doc, tables } = dynamo;
  const TableName = tables.main;
  const updateOrder = (ref: string, input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key' | 'ReturnValues'>) =>
    conditional<TestOrderRecord>(() => doc.send(new UpdateCommand({ TableName, Key: orderKey(ref), ReturnValues: 'ALL_NEW', ...input })));
  const notCaptured = { ConditionExpression: 'attribute_exists(pk) AND #state <> :captured', ExpressionAttributeNames: { '#state': 'state' } };

  return {
    /** Writes the order unless one with its ref exists; false when it did. */
    async putOrder(order: TestOrderRecord): Promise<boolean> {
      const Item = { ...orderKey(order.orderRef), ...order, ttl: ttlAfter(order.expiresAt + KEEP_MS) };
      try {
        await withRetry(() => doc.send(new PutCommand({ TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' })));
        return true;
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) return false;
        throw err;
      }
    },

    async getOrder(ref: string): Promise<TestOrderRecord | null> {
      const { Item } = await withRetry(() => doc.send(new GetCommand({ TableName, Key: orderKey(ref), ConsistentRead: true })));
      return strip<TestOrderRecord>(Item);
    },

    /** Captures the order once; null when it was captured already (or is gone). `onlyIfApproving`: an "approve later" attempt's own capture. */
    capture(ref: string, captureRef: string, now: number, onlyIfApproving = false) {
      return updateOrder(ref, {
        UpdateExpression: 'SET #state = :captured, captureRef = :ref, capturedAt = :now, refundable = amount REMOVE #error, approveAt',
        ConditionExpression: notCaptured.ConditionExpression + (onlyIfApproving ? ' AND attribute_exists(approveAt)' : ''),
        ExpressionAttributeNames: { ...notCaptured.ExpressionAttributeNames, '#error': 'error' },
        ExpressionAttributeValues: { ':captured': 'captured', ':ref': captureRef, ':now': now },
      });
    },

    /** Records a declined attempt; null when the order is captured (a decline cannot undo money). */
    decline(ref: string, error: string) {
      return updateOrder(ref, {
        UpdateExpression: 'SET #state = :failed, #error = :error',
        ...notCaptured,
        ExpressionAttributeNames: { ...notCaptured.ExpressionAttributeNames, '#error': 'error' },
        ExpressionAttributeValues: { ':captured': 'captured', ':failed': 'failed', ':error': error.slice(0, 200) },
      });
    },

    /** An attempt the bank approves later (a UPI collect): captured at `approveAt`. */
    approveAt(ref: string, at: number) {
      return updateOrder(ref, {
        UpdateExpression: 'SET approveAt = :at',
        ...notCaptured,
        ExpressionAttributeValues: { ':captured': 'captured', ':at': at },
      });
    },

    async getRefund(ref: string): Promise<TestRefundRecord | null> {
      const { Item } = await withRetry(() => doc.send(new GetCommand({ TableName, Key: refundKey(ref), ConsistentRead: true })));
      return strip<TestRefundRecord>(Item);
    },

    /**
     * Records a refund and takes its amount off the capture, in one transaction, if the order
     * is captured by `captureRef` in `currency` with at least `amount` left and the refund is
     * new (or failed before: a retry). 'exists': another call recorded it; 'refused': the
     * order does not allow it.
     */
    async addRefund(refund: TestRefundRecord): Promise<'added' | 'exists' | 'refused'> {
      try {
        await withRetry(() =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName,
                    Item: { ...refundKey(refund.refundRef), ...refund, ttl: ttlAfter(refund.createdAt + KEEP_MS) },
                    ConditionExpression: 'attribute_not_exists(pk) OR #state = :failed',
                    ExpressionAttributeNames: { '#state': 'state' },
                    ExpressionAttributeValues: { ':failed': 'failed' },
                  },
                },
                {
                  Update: {
                    TableName,
                    Key: orderKey(refund.orderRef),
                    // Conditions cannot add: `refundable` (set at capture) is what is left to refund.
                    UpdateExpression: 'SET refunded = refunded + :amount, refundable = refundable - :amount',
                    ConditionExpression: '#state = :captured AND captureRef = :capture AND currency = :currency AND refundable >= :amount',
                    ExpressionAttributeNames: { '#state': 'state' },
                    ExpressionAttributeValues: { ':amount': refund.amount, ':captured': 'captured', ':capture': refund.captureRef, ':currency': refund.currency },
                  },
                },
              ],
            }),
          ),
        );
        return 'added';
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const [refundReason, orderReason] = (err.CancellationReasons ?? []).map((r) => r.Code);
        if (refundReason === 'ConditionalCheckFailed') return 'exists';
        if (orderReason === 'ConditionalCheckFailed') return 'refused';
        throw err;
      }
    },

    /** Records a refund the bank refused (no money moved); never over one that went through. */
    async putFailedRefund(refund: TestRefundRecord): Promise<void> {
      await conditional(() =>
        doc.send(
          new PutCommand({
            TableName,
            Item: { ...refundKey(refund.refundRef), ...refund, state: 'failed', ttl: ttlAfter(refund.createdAt + KEEP_MS) },
            ConditionExpression: 'attribute_not_exists(pk) OR #state = :failed',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':failed': 'failed' },
          }),
        ),
      );
    },

    /** A pending refund whose time came: succeeded (once). */
    settleRefund(ref: string, now: number) {
      return conditional<TestRefundRecord>(() =>
        doc.send(
          new UpdateCommand({
            TableName,
            Key: refundKey(ref),
            UpdateExpression: 'SET #state = :succeeded',
            ConditionExpression: '#state = :pending AND settleAt <= :now',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':succeeded': 'succeeded', ':pending': 'pending', ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
    },

    /** Arms the next `count` refunds to fail in `mode` (replacing what was armed). */
    async armRefundFailures(count: number, mode: 'failed' | 'error'): Promise<void> {
      await withRetry(() => doc.send(new PutCommand({ TableName, Item: { ...CONTROL_KEY, failRefunds: count, mode } })));
    },

    /** Takes one armed refund failure, if any: its mode, or null. */
    async takeRefundFailure(): Promise<'failed' | 'error' | null> {
      const item = await conditional<{ mode: 'failed' | 'error' }>(() =>
        doc.send(
          new UpdateCommand({
            TableName,
            Key: CONTROL_KEY,
            UpdateExpression: 'SET failRefunds = failRefunds - :one',
            ConditionExpression: 'failRefunds > :zero',
            ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return item?.mode ?? null;
    },
  };
}

export type TestGatewayStore = ReturnType<typeof createTestGatewayStore>;
