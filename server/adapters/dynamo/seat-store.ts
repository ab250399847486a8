/**
 * Seat holds and bookings as conditional writes. The condition is the lock:
 * a seat is free when its item is absent or its hold has expired
 * (expiresAt <= now); nothing is ever checked first and written after.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { Cart, SeatRecord } from '../../domain/holds.js';
import type { BookingRecord, ConfirmWrite, HoldWrite, SeatStore } from '../../ports.js';
import type { Dynamo } from './client.js';
import { bookingItem } from './booking-store.js';
import { outboxPut } from './outbox-store.js';
import { cartKey, entityKey, idemKey, seatKey, seatShardKeys, sweepKey, sweepShardKeys, ttlAfter } from './keys.js';
import { queryAll } from './query.js';
import { cancellationCodes, conditionalWrite, withRetry } from './retry.js';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

const FREE_OR_EXPIRED = 'attribute_not_exists(pk) OR (#status = :held AND expiresAt <= :now)';

/**
 * Runs a transaction with a ClientRequestToken kept across retries: if a try timed out
 * after DynamoDB applied it, the retry is answered as that success instead of re-running
 * (which would fail its own conditions and hide that the write happened).
 */
function transact(dynamo: Dynamo, items: TransactItems) {
  const ClientRequestToken = randomUUID();
  return withRetry(() => dynamo.doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken })));
}

function toSeatRecord(item: Record<string, unknown>): SeatRecord {
  return {
    showId: item.showId as string,
    seatId: item.seatId as string,
    status: item.status as SeatRecord['status'],
    userId: item.userId as string,
    expiresAt: item.expiresAt as number | undefined,
    bookingId: item.bookingId as string | undefined,
  };
}

export function createSeatStore(dynamo: Dynamo): SeatStore {
  const { doc, tables } = dynamo;

  const cartPut = (showId: string, userId: string, prevRev: string | null, cart: Omit<Cart, 'rev'>, rev: string) => ({
    Put: {
      TableName: tables.seats,
      Item: {
        ...cartKey(showId, userId),
        showId,
        userId,
        seatIds: cart.seatIds,
        expiresAt: cart.expiresAt,
        rev,
        ttl: ttlAfter(cart.expiresAt),
      },
      ConditionExpression: prevRev === null ? 'attribute_not_exists(pk)' : 'rev = :rev',
      ExpressionAttributeValues: prevRev === null ? undefined : { ':rev': prevRev },
    },
  });

  return {
    async getCart(showId, userId) {
      const { Item } = await withRetry(() =>
        doc.send(new GetCommand({ TableName: tables.seats, Key: cartKey(showId, userId), ConsistentRead: true })),
      );
      if (!Item) return null;
      return { seatIds: Item.seatIds as string[], expiresAt: Item.expiresAt as number, rev: Item.rev as string };
    },

    async hold({ showId, userId, prevRev, cart, newSeats, now }): Promise<HoldWrite> {
      const rev = randomUUID();
      const items: TransactItems = [cartPut(showId, userId, prevRev, cart, rev)];
      for (const seatId of newSeats) {
        items.push({
          Put: {
            TableName: tables.seats,
            Item: {
              ...seatKey(showId, seatId),
              showId,
              seatId,
              status: 'held',
              userId,
              expiresAt: cart.expiresAt,
              sweepPk: sweepKey(showId, seatId),
              ttl: ttlAfter(cart.expiresAt),
            },
            ConditionExpression: FREE_OR_EXPIRED,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':held': 'held', ':now': now },
          },
        });
      }
      try {
        await transact(dynamo, items);
        return { ok: true, rev };
      } catch (err) {
        const codes = cancellationCodes(err);
        if (!codes) throw err;
        if (codes[0] === 'ConditionalCheckFailed') return { ok: false, reason: 'cart-changed' };
        const taken = newSeats.filter((_, i) => codes[i + 1] === 'ConditionalCheckFailed');
        if (taken.length > 0) return { ok: false, reason: 'seats-taken', seatIds: taken };
        throw err;
      }
    },

    async release({ showId, userId, prevRev, cart, released }) {
      const rev = randomUUID();
      const items: TransactItems = [cartPut(showId, userId, prevRev, cart, rev)];
      for (const seatId of released) {
        items.push({
          Delete: {
            TableName: tables.seats,
            Key: seatKey(showId, seatId),
            // Only this user's hold of this cart: never another user's, never a booking.
            ConditionExpression: '#status = :held AND userId = :user AND expiresAt = :exp',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':held': 'held', ':user': userId, ':exp': cart.expiresAt },
          },
        });
      }
      try {
        await transact(dynamo, items);
        return { ok: true, rev };
      } catch (err) {
        const codes = cancellationCodes(err);
        if (!codes) throw err;
        // A seat failing here means the hold expired and was swept meanwhile: re-read and retry.
        return { ok: false, reason: 'cart-changed' };
      }
    },

    async confirm({ booking, cartRev, now }): Promise<ConfirmWrite> {
      const { showId, userId } = booking;
      const items: TransactItems = [
        {
          Delete: {
            TableName: tables.seats,
            Key: cartKey(showId, userId),
            ConditionExpression: 'rev = :rev',
            ExpressionAttributeValues: { ':rev': cartRev },
          },
        },
        {
          Put: {
            TableName: tables.main,
            Item: { ...idemKey(userId, booking.idempotencyKey), bookingId: booking.id, showId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tables.main,
            Item: bookingItem(booking),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      for (const seatId of booking.seats) {
        items.push({
          Update: {
            TableName: tables.seats,
            Key: seatKey(showId, seatId),
            UpdateExpression: 'SET #status = :booked, bookingId = :booking REMOVE expiresAt, sweepPk, #ttl',
            ConditionExpression: '#status = :held AND userId = :user AND expiresAt > :now',
            ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':booked': 'booked',
              ':booking': booking.id,
              ':held': 'held',
              ':user': userId,
              ':now': now,
            },
          },
        });
      }
      // Last, so the indices above stay put: the confirmation, in the same atomic write.
      items.push(outboxPut(tables.main, { id: `booking.confirmed:${booking.id}`, kind: 'booking.confirmed', bookingId: booking.id, userId }, now));
      try {
        await transact(dynamo, items);
        return { ok: true };
      } catch (err) {
        const codes = cancellationCodes(err);
        if (!codes) throw err;
        if (codes[1] === 'ConditionalCheckFailed') return { ok: false, reason: 'duplicate-key' };
        const expired = booking.seats.filter((_, i) => codes[i + 3] === 'ConditionalCheckFailed');
        if (expired.length > 0) return { ok: false, reason: 'expired', seatIds: expired };
        if (codes[0] === 'ConditionalCheckFailed') return { ok: false, reason: 'cart-changed' };
        throw err;
      }
    },

    async cancel({ booking, refund, now, unusedOnly }) {
      const cancelledAt = new Date(now).toISOString();
      const items: TransactItems = [
        {
          Update: {
            TableName: tables.main,
            Key: entityKey('BOOKING', booking.id),
            UpdateExpression: 'SET #status = :cancelled, cancelledAt = :at, refund = :refund',
            ConditionExpression: unusedOnly ? '#status = :confirmed AND attribute_not_exists(usedAt)' : '#status = :confirmed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':cancelled': 'cancelled', ':at': cancelledAt, ':refund': refund, ':confirmed': 'confirmed' },
          },
        },
        ...booking.seats.map((seatId) => ({
          Delete: {
            TableName: tables.seats,
            Key: seatKey(booking.showId, seatId),
            ConditionExpression: '#status = :booked AND bookingId = :booking',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':booked': 'booked', ':booking': booking.id },
          },
        })),
        outboxPut(tables.main, { id: `booking.cancelled:${booking.id}`, kind: 'booking.cancelled', bookingId: booking.id, userId: booking.userId }, now),
      ];
      try {
        await transact(dynamo, items);
        return { ok: true, cancelledAt };
      } catch (err) {
        const codes = cancellationCodes(err);
        if (codes?.[0] === 'ConditionalCheckFailed') return { ok: false, reason: 'not-cancellable' };
        throw err;
      }
    },

    async seats(showId) {
      const pages = await Promise.all(
        seatShardKeys(showId).map((pk) =>
          queryAll(doc, {
            TableName: tables.seats,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ConsistentRead: true,
          }),
        ),
      );
      return pages.flat().map(toSeatRecord);
    },

    async expiredHolds(now, limit) {
      const pages = await Promise.all(
        sweepShardKeys().map((sweepPk) =>
          withRetry(() =>
            doc.send(
              new QueryCommand({
                TableName: tables.seats,
                IndexName: 'byExpiry',
                KeyConditionExpression: 'sweepPk = :pk AND expiresAt <= :now',
                ExpressionAttributeValues: { ':pk': sweepPk, ':now': now },
                Limit: limit,
              }),
            ),
          ),
        ),
      );
      return pages
        .flatMap((p) => p.Items ?? [])
        .map(toSeatRecord)
        .sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0))
        .slice(0, limit);
    },

    async releaseExpired(record, now) {
      return conditionalWrite(() =>
        doc.send(
          new DeleteCommand({
            TableName: tables.seats,
            Key: seatKey(record.showId, record.seatId),
            ConditionExpression: '#status = :held AND userId = :user AND expiresAt = :exp AND expiresAt <= :now',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':held': 'held',
              ':user': record.userId,
              ':exp': record.expiresAt,
              ':now': now,
            },
          }),
        ),
      );
    },
  };
}

