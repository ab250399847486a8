/**
 * Seat holds and bookings as conditional writes. The condition is the lock: a seat is
 * free when its item is absent, free, or its hold has expired (expiresAt <= now); nothing
 * is ever checked first and written after. A hold is one conditional write per seat; a
 * booking is one transaction (seats -> booked, the booking, its notice), grouped with
 * other users' bookings under load (see confirm-groups.ts).
 *
 * Every write also requires the seat's last change time (`changedAt`) to be earlier than
 * its own: a write refused only for that is retried just after the seat's time, so a seat's
 * times follow its writes in the store (see SeatStore in ports.ts). Released seats keep
 * their item (status free) for that reason; a day later TTL removes it.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import type { SeatRecord, SeatStore } from '../../ports.js';
import type { Dynamo } from './client.js';
import { bookingItem } from './booking-store.js';
import { createConfirmGroups, type TransactItems } from './confirm-groups.js';
import { entityKey, seatKey, seatShardKeys, ttlAfter } from './keys.js';
import { outboxPut } from './outbox-store.js';
import { pointsItems, pointsRefused } from './loyalty-store.js';
import { paymentWatchItem, refundJobPut } from './payment-store.js';
import { queryAll } from './query.js';
import { cancellationCodes, withRetry } from './retry.js';

/** A change made after the seat's last one. */
export const LATER = '(attribute_not_exists(changedAt) OR changedAt < :at)';
/** Free, expired, or already this user's hold (a retry of a write that landed). */
const HOLDABLE = '(attribute_not_exists(pk) OR #status = :free OR (#status = :held AND (expiresAt <= :now OR userId = :user)))';
const FREE_IT = 'SET #status = :free, changedAt = :at, #ttl = :ttl REMOVE userId, expiresAt, bookingId';

/** A write time just after the seat's own, when that was not earlier than ours. */
export const after = (changedAt: unknown) => Number(changedAt ?? 0) + 0.001;

export function toSeatRecord(item: Record<string, unknown>): SeatRecord {
  return {
    showId: item.showId as string,
    seatId: item.seatId as string,
    status: item.status as SeatRecord['status'],
    userId: item.userId as string | undefined,
    expiresAt: item.expiresAt as number | undefined,
    bookingId: item.bookingId as string | undefined,
    at: (item.changedAt as number | undefined) ?? 0,
  };
}

/**
 * One stamped conditional write: the time it used, or null when the seat's state refused it.
 * `accepts(old)` says whether the seat as found would have been fine but for its time.
 */
async function stamped(
  at: number,
  write: (at: number) => Promise<unknown>,
  accepts: (old: Record<string, unknown>) => boolean,
): Promise<number | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await withRetry(() => write(at));
      return at;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const old = err.Item ? unmarshall(err.Item) : null;
      if (!old || !accepts(old) || Number(old.changedAt ?? 0) < at) return null;
      at = after(old.changedAt);
    }
  }
  return null;
}

/** How long the process that wrote a booking keeps its confirmation to send itself (see outboxItem). */
export const NOTICE_CLAIM_MS = 30_000;

export function createSeatStore(dynamo: Dynamo): SeatStore {
  const { doc, tables } = dynamo;
  const confirmGroups = createConfirmGroups(dynamo, (booking, now, at, points): TransactItems => [
    { Put: { TableName: tables.main, Item: bookingItem(booking), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...booking.seats.map((seatId) => ({
      Update: {
        TableName: tables.seats,
        Key: seatKey(booking.showId, seatId),
        UpdateExpression: 'SET #status = :booked, bookingId = :booking, changedAt = :at REMOVE expiresAt, #ttl',
        ConditionExpression: `#status = :held AND userId = :user AND expiresAt > :now AND ${LATER}`,
        ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':booked': 'booked', ':booking': booking.id, ':held': 'held', ':user': booking.userId, ':now': now, ':at': at },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    })),
    // A booking waiting for its money is watched (expiry, reconciliation); a paid one is announced.
    booking.status === 'pending_payment'
      ? { Put: { TableName: tables.main, Item: paymentWatchItem(booking) } }
      : outboxPut(tables.main, { id: `booking.confirmed:${booking.id}`, kind: 'booking.confirmed', bookingId: booking.id, userId: booking.userId }, now, NOTICE_CLAIM_MS),
    ...pointsItems(tables.main, booking.userId, booking.id, points, now),
  ]);

  /** Frees a seat held by `userId` with exactly `expiresAt` (and, for the sweeper, expired by `now`). */
  const freeHold = (r: { showId: string; seatId: string; userId: string; expiresAt: number }, at: number, expiredBy?: number) =>
    stamped(
      at,
      (t) =>
        doc.send(
          new UpdateCommand({
            TableName: tables.seats,
            Key: seatKey(r.showId, r.seatId),
            UpdateExpression: FREE_IT,
            // Only this user's hold of this cart: never another user's, never a booking.
            ConditionExpression: `#status = :held AND userId = :user AND expiresAt = :exp${expiredBy === undefined ? '' : ' AND expiresAt <= :now'} AND ${LATER}`,
            ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':held': 'held',
              ':free': 'free',
              ':user': r.userId,
              ':exp': r.expiresAt,
              ':at': t,
              ':ttl': ttlAfter(t),
              ...(expiredBy === undefined ? {} : { ':now': expiredBy }),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      (old) => old.status === 'held' && old.userId === r.userId && old.expiresAt === r.expiresAt,
    );

  return {
    hold({ showId, seatId, userId, expiresAt, now, at }) {
      return stamped(
        at,
        (t) =>
          doc.send(
            new PutCommand({
              TableName: tables.seats,
              Item: { ...seatKey(showId, seatId), showId, seatId, status: 'held', userId, expiresAt, changedAt: t, ttl: ttlAfter(expiresAt) },
              ConditionExpression: `${HOLDABLE} AND ${LATER}`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':held': 'held', ':free': 'free', ':now': now, ':user': userId, ':at': t },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        (old) => old.status === 'free' || (old.status === 'held' && (Number(old.expiresAt) <= now || old.userId === userId)),
      );
    },

    release: ({ at, ...hold }) => freeHold(hold, at),

    async releaseAll({ showId, userId, holds, at }) {
      const items = (t: number): TransactItems =>
        holds.map(({ seatId, expiresAt }) => ({
          Update: {
            TableName: tables.seats,
            Key: seatKey(showId, seatId),
            UpdateExpression: FREE_IT,
            ConditionExpression: `#status = :held AND userId = :user AND expiresAt = :exp AND ${LATER}`,
            ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':held': 'held', ':free': 'free', ':user': userId, ':exp': expiresAt, ':at': t, ':ttl': ttlAfter(t) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
          },
        }));
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await withRetry(() => doc.send(new TransactWriteCommand({ TransactItems: items(at), ClientRequestToken: randomUUID() })));
          return at;
        } catch (err) {
          if (!cancellationCodes(err)) throw err;
          const later = laterThanSeats(err, at);
          if (later === null) return null; // some hold is not there any more
          at = later;
        }
      }
      return null;
    },

    confirm: ({ booking, now, at, points }) => confirmGroups.confirm(booking, now, at, points ?? null),

    async cancel({ booking, refund, now, at, unusedOnly, payment, points }) {
      const cancelledAt = new Date(now).toISOString();
      // A paid booking's refund is promised in the same write (and carried out by settleRefunds).
      const promise = payment ? ', #p.refunds = list_append(#p.refunds, :gatewayRefund)' : '';
      const items = (t: number): TransactItems => [
        {
          Update: {
            TableName: tables.main,
            Key: entityKey('BOOKING', booking.id),
            UpdateExpression: `SET #status = :cancelled, cancelledAt = :at, refund = :refund${promise}`,
            ConditionExpression: `${unusedOnly ? '#status = :confirmed AND attribute_not_exists(usedAt)' : '#status = :confirmed'}${payment ? ' AND #p.#ps = :captured' : ''}`,
            ExpressionAttributeNames: { '#status': 'status', ...(payment ? { '#p': 'payment', '#ps': 'status' } : {}) },
            ExpressionAttributeValues: {
              ':cancelled': 'cancelled',
              ':at': cancelledAt,
              ':refund': refund,
              ':confirmed': 'confirmed',
              ...(payment ? { ':gatewayRefund': [payment.refund], ':captured': 'captured' } : {}),
            },
          },
        },
        ...booking.seats.map((seatId) => ({
          Update: {
            TableName: tables.seats,
            Key: seatKey(booking.showId, seatId),
            UpdateExpression: FREE_IT,
            ConditionExpression: `#status = :booked AND bookingId = :booking AND ${LATER}`,
            ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':booked': 'booked', ':booking': booking.id, ':free': 'free', ':at': t, ':ttl': ttlAfter(t) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
          },
        })),
        outboxPut(tables.main, { id: `booking.cancelled:${booking.id}`, kind: 'booking.cancelled', bookingId: booking.id, userId: booking.userId }, now),
        ...(payment ? [refundJobPut(tables.main, payment.job)] : []),
        ...pointsItems(tables.main, booking.userId, booking.id, points, now),
      ];
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          const ClientRequestToken = randomUUID();
          await withRetry(() => doc.send(new TransactWriteCommand({ TransactItems: items(at), ClientRequestToken })));
          return { ok: true, cancelledAt, at };
        } catch (err) {
          const codes = cancellationCodes(err);
          if (codes?.[0] === 'ConditionalCheckFailed') return { ok: false, reason: 'not-cancellable' };
          if (pointsRefused(codes, points)) return { ok: false, reason: 'points' };
          const later = laterThanSeats(err, at);
          if (later === null) throw err;
          at = later;
        }
      }
      throw new Error(`cancel ${booking.id}: the seats' change times kept moving`);
    },

    async seats(showId) {
      const pages = await Promise.all(
        seatShardKeys(showId).map((pk) =>
          queryAll(doc, { TableName: tables.seats, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }),
        ),
      );
      return pages.flat().map(toSeatRecord);
    },

    async seat(showId, seatId) {
      const { Item } = await withRetry(() => doc.send(new GetCommand({ TableName: tables.seats, Key: seatKey(showId, seatId), ConsistentRead: true })));
      return Item ? toSeatRecord(Item) : null;
    },

    releaseExpired: (record, now, at) =>
      freeHold({ showId: record.showId, seatId: record.seatId, userId: record.userId!, expiresAt: record.expiresAt! }, at, now),
  };
}

/**
 * When a transaction was refused only because some seat had a later change time than ours:
 * the time to try again with (just after the latest of them); else null.
 */
export function laterThanSeats(err: unknown, at: number): number | null {
  const reasons = (err as { CancellationReasons?: { Code?: string; Item?: Record<string, never> }[] }).CancellationReasons;
  if (!reasons) return null;
  let latest: number | null = null;
  for (const r of reasons) {
    if (r.Code !== 'ConditionalCheckFailed') continue;
    const old = r.Item ? unmarshall(r.Item) : null;
    if (!old || Number(old.changedAt ?? 0) < at) return null; // refused for its state, not its time
    latest = Math.max(latest ?? 0, after(old.changedAt));
  }
  return latest;
}
