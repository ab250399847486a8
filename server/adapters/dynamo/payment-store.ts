/**
 * The payment steps as conditional writes and transactions (docs/payments.md). Besides the
 * booking item, three kinds of small items make the background work cheap to find through
 * gsi1 (no new index, no table change): a watch item per booking waiting for money (sorted by
 * its deadline: what the sweeper expires and reconciliation asks about), a job item per
 * refund being carried out (sorted by its next attempt), and a flag item per booking admins
 * must look at. Each is written and removed in the same transaction as the booking change.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { BookingRecord, CaptureRecord, PaymentStore, RefundJob } from '../../ports.js';
import type { Dynamo } from './client.js';
import type { TransactItems } from './confirm-groups.js';
import { entityKey, seatKey, ttlAfter } from './keys.js';
import { outboxPut } from './outbox-store.js';
import { queryAll } from './query.js';
import { cancellationCodes, conditionalWrite, withRetry } from './retry.js';
import { LATER, laterThanSeats } from './seat-store.js';
import { pointsItems } from './loyalty-store.js';

const WATCH_PENDING = 'PAYWATCH#pending';
const WATCH_EXPIRED = 'PAYWATCH#expired';
const REFUNDS_OPEN = 'REFUNDS#open';
const FLAGS = 'PAYFLAGS';
const watchKey = (bookingId: string) => entityKey('PAYWATCH', bookingId);
const jobKey = (refundId: string) => entityKey('REFUNDJOB', refundId);
const sortKey = (at: number, id: string) => `${String(Math.floor(at)).padStart(15, '0')}#${id}`;

/** The watch item a pending_payment booking is written with (see seat-store's confirm). */
export function paymentWatchItem(booking: BookingRecord) {
  const deadline = Date.parse(booking.payment!.expiresAt);
  return { ...watchKey(booking.id), bookingId: booking.id, gsi1pk: WATCH_PENDING, gsi1sk: sortKey(deadline, booking.id) };
}

/** The job item that carries a refund out, put in the transaction that promises the refund. */
export function refundJobPut(table: string, job: RefundJob) {
  return {
    Put: {
      TableName: table,
      Item: { ...jobKey(job.refundId), ...job, gsi1pk: REFUNDS_OPEN, gsi1sk: sortKey(job.nextAttemptAt, job.refundId) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, ...rest } = item;
  return rest as T;
};

const names = { '#status': 'status', '#p': 'payment', '#ps': 'status' };

export function createPaymentStore(dynamo: Dynamo): PaymentStore {
  const { doc, tables } = dynamo;
  const bookingKey = (id: string) => entityKey('BOOKING', id);

  const update = (input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) =>
    conditionalWrite(() => doc.send(new UpdateCommand({ TableName: tables.main, ...input })));

  /** One transaction: true, or false when the booking's own condition (item 0) failed. */
  async function transact(items: TransactItems): Promise<boolean> {
    try {
      await withRetry(() => doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() })));
      return true;
    } catch (err) {
      if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return false;
      throw err;
    }
  }

  /**
   * A transaction touching seats, stamped `at`: the time used; `booking` when the booking's
   * condition failed; `seats` when a seat's state (not only its time) refused it.
   */
  async function transactSeats(items: (at: number) => TransactItems, at: number): Promise<number | 'booking' | 'seats'> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await withRetry(() => doc.send(new TransactWriteCommand({ TransactItems: items(at), ClientRequestToken: randomUUID() })));
        return at;
      } catch (err) {
        const codes = cancellationCodes(err);
        if (!codes) throw err;
        if (codes[0] === 'ConditionalCheckFailed') return 'booking';
        const later = laterThanSeats(err, at);
        if (later !== null) at = later;
        else if (codes.includes('ConditionalCheckFailed')) return 'seats';
        else throw err;
      }
    }
    throw new Error('payment write: the seats kept changing');
  }

  const bookingUpdate = (id: string, set: string, condition: string, values: Record<string, unknown>) => ({
    Update: {
      TableName: tables.main,
      Key: bookingKey(id),
      UpdateExpression: set,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  });
  const deleteWatch = (id: string) => ({ Delete: { TableName: tables.main, Key: watchKey(id) } });
  const notice = (kind: 'booking.confirmed' | 'booking.expired' | 'booking.refunded', b: BookingRecord, now: number) =>
    outboxPut(tables.main, { id: `${kind}:${b.id}`, kind, bookingId: b.id, userId: b.userId }, now);

  const paid = (b: BookingRecord, c: CaptureRecord, from: 'pending_payment' | 'expired') =>
    bookingUpdate(
      b.id,
      `SET #status = :confirmed, #p.#ps = :captured, #p.capturedAt = :at, #p.orderRef = :order${c.captureRef ? ', #p.captureRef = :ref' : ''}`,
      `#status = :from AND #p.#ps = :was`,
      {
        ':confirmed': 'confirmed',
        ':captured': 'captured',
        ':at': c.capturedAt,
        ':order': c.orderRef,
        ':from': from,
        ':was': from === 'pending_payment' ? 'pending' : 'expired',
        ...(c.captureRef ? { ':ref': c.captureRef } : {}),
      },
    );

  const seatWrite = (b: BookingRecord, seatId: string, at: number, kind: 'free' | 'book', now: number) => ({
    Update: {
      TableName: tables.seats,
      Key: seatKey(b.showId, seatId),
      ...(kind === 'free'
        ? {
            UpdateExpression: 'SET #status = :free, changedAt = :at, #ttl = :ttl REMOVE userId, expiresAt, bookingId',
            ConditionExpression: `#status = :booked AND bookingId = :booking AND ${LATER}`,
            ExpressionAttributeValues: { ':booked': 'booked', ':booking': b.id, ':free': 'free', ':at': at, ':ttl': ttlAfter(at) },
          }
        : {
            UpdateExpression: 'SET #status = :booked, bookingId = :booking, userId = :user, showId = :show, seatId = :seat, changedAt = :at REMOVE expiresAt, #ttl',
            ConditionExpression: `(attribute_not_exists(pk) OR #status = :free OR (#status = :held AND expiresAt <= :now)) AND ${LATER}`,
            ExpressionAttributeValues: { ':booked': 'booked', ':booking': b.id, ':user': b.userId, ':show': b.showId, ':seat': seatId, ':free': 'free', ':held': 'held', ':now': now, ':at': at },
          }),
      ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  });

  async function index(pk: string, opts: { until?: number; limit?: number } = {}) {
    const until = opts.until !== undefined;
    return queryAll(
      doc,
      {
        TableName: tables.main,
        IndexName: 'gsi1',
        KeyConditionExpression: until ? 'gsi1pk = :pk AND gsi1sk <= :until' : 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(until ? { ':until': sortKey(opts.until!, '~') } : {}) },
        Limit: opts.limit,
      },
      opts.limit,
    );
  }

  return {
    setOrder: (bookingId, orderRef, payUrl) =>
      update({
        Key: bookingKey(bookingId),
        UpdateExpression: 'SET #p.orderRef = :ref, #p.payUrl = :url',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', '#p': 'payment' },
        ExpressionAttributeValues: { ':ref': orderRef, ':url': payUrl, ':pending': 'pending_payment' },
      }),

    setDeclined: (bookingId, error) =>
      update({
        Key: bookingKey(bookingId),
        UpdateExpression: 'SET #p.lastError = :err',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', '#p': 'payment' },
        ExpressionAttributeValues: { ':err': error.slice(0, 300), ':pending': 'pending_payment' },
      }),

    markPaid: (booking, capture, now, points) =>
      transact([paid(booking, capture, 'pending_payment'), deleteWatch(booking.id), notice('booking.confirmed', booking, now), ...pointsItems(tables.main, booking.userId, booking.id, points, now)]),

    async expire({ booking, seatIds, now, at, watchUntil, points }) {
      const items = (t: number): TransactItems => [
        bookingUpdate(booking.id, 'SET #status = :expired, #p.#ps = :expired', '#status = :pending AND #p.#ps = :waiting', {
          ':expired': 'expired',
          ':pending': 'pending_payment',
          ':waiting': 'pending',
        }),
        ...seatIds.map((s) => seatWrite(booking, s, t, 'free', now)),
        { Put: { TableName: tables.main, Item: { ...watchKey(booking.id), bookingId: booking.id, gsi1pk: WATCH_EXPIRED, gsi1sk: sortKey(watchUntil, booking.id) } } },
        notice('booking.expired', booking, now),
        ...pointsItems(tables.main, booking.userId, booking.id, points, now),
      ];
      const r = await transactSeats(items, at);
      if (r === 'seats') throw new Error(`expire ${booking.id}: a seat of the booking is not its own`);
      return r === 'booking' ? null : r;
    },

    async rebookLate({ booking, capture, now, at, points }) {
      const items = (t: number): TransactItems => [
        paid(booking, capture, 'expired'),
        ...booking.seats.map((s) => seatWrite(booking, s, t, 'book', now)),
        deleteWatch(booking.id),
        notice('booking.confirmed', booking, now),
        // Its points were returned when it expired: they pay again, or it is refunded (seats-taken).
        ...pointsItems(tables.main, booking.userId, booking.id, points, now),
      ];
      const r = await transactSeats(items, at);
      if (r === 'booking') return { ok: false, reason: 'not-expired' };
      if (r === 'seats') return { ok: false, reason: 'seats-taken' };
      return { ok: true, at: r };
    },

    refundLate: ({ booking, capture, refund, job, now }) =>
      transact([
        bookingUpdate(
          booking.id,
          `SET #p.#ps = :captured, #p.capturedAt = :at, #p.orderRef = :order, #p.refunds = list_append(#p.refunds, :refund)${capture.captureRef ? ', #p.captureRef = :ref' : ''}`,
          '#status = :expired AND #p.#ps = :expired',
          { ':captured': 'captured', ':at': capture.capturedAt, ':order': capture.orderRef, ':refund': [refund], ':expired': 'expired', ...(capture.captureRef ? { ':ref': capture.captureRef } : {}) },
        ),
        refundJobPut(tables.main, job),
        deleteWatch(booking.id),
        notice('booking.refunded', booking, now),
      ]),

    async refundMismatch({ booking, refund, job }) {
      try {
        await withRetry(() =>
          doc.send(
            new TransactWriteCommand({
              ClientRequestToken: randomUUID(),
              TransactItems: [
                {
                  Update: {
                    TableName: tables.main,
                    Key: bookingKey(booking.id),
                    UpdateExpression: 'SET #p.refunds = list_append(#p.refunds, :refund)',
                    ConditionExpression: 'attribute_exists(#p)',
                    ExpressionAttributeNames: { '#p': 'payment' },
                    ExpressionAttributeValues: { ':refund': [refund] },
                  },
                },
                refundJobPut(tables.main, job),
              ],
            }),
          ),
        );
        return true;
      } catch (err) {
        if (cancellationCodes(err)?.includes('ConditionalCheckFailed')) return false;
        throw err;
      }
    },

    overdue: async (now, limit) => (await index(WATCH_PENDING, { until: now, limit })).map((i) => i.bookingId as string),

    async watched(now, limit) {
      const [pending, expired] = await Promise.all([index(WATCH_PENDING, { limit }), index(WATCH_EXPIRED, { limit })]);
      // Expired bookings past their watch time are dropped; those still within it are asked about.
      const lapsed = expired.filter((i) => String(i.gsi1sk) <= sortKey(now, '~'));
      await Promise.all(lapsed.map((i) => doc.send(new DeleteCommand({ TableName: tables.main, Key: watchKey(i.bookingId as string) }))));
      return [...pending, ...expired.filter((i) => !lapsed.includes(i))].map((i) => i.bookingId as string);
    },

    async unwatch(bookingId) {
      await withRetry(() => doc.send(new DeleteCommand({ TableName: tables.main, Key: watchKey(bookingId) })));
    },

    dueRefunds: async (now, limit) => (await index(REFUNDS_OPEN, { until: now, limit })).map((i) => strip<RefundJob>(i)),

    async claimRefund(refundId, now, leaseMs) {
      try {
        const out = await withRetry(() =>
          doc.send(
            new UpdateCommand({
              TableName: tables.main,
              Key: jobKey(refundId),
              UpdateExpression: 'SET leaseUntil = :lease, attempts = attempts + :one',
              ConditionExpression: 'attribute_exists(pk) AND nextAttemptAt <= :now AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
              ExpressionAttributeValues: { ':lease': now + leaseMs, ':one': 1, ':now': now },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return strip<RefundJob>(out.Attributes!);
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) return null;
        throw err;
      }
    },

    async settleRefund(job, outcome, now, nextAttemptAt) {
      const at = new Date(now).toISOString();
      const i = job.index;
      const status = outcome.state;
      const refundSet = [`#p.refunds[${i}].#rs = :state`, ...(outcome.refundRef ? [`#p.refunds[${i}].refundRef = :rref`] : []), ...(status === 'succeeded' ? [`#p.refunds[${i}].settledAt = :at`] : [])];
      const refundRemove = outcome.error ? [] : [`#p.refunds[${i}].lastError`];
      const bookingSet =
        `SET ${[...refundSet, ...(outcome.error ? [`#p.refunds[${i}].lastError = :err`] : [])].join(', ')}` + (refundRemove.length ? ` REMOVE ${refundRemove.join(', ')}` : '');
      const values = { ':state': status, ':rid': job.refundId, ...(outcome.refundRef ? { ':rref': outcome.refundRef } : {}), ...(status === 'succeeded' ? { ':at': at } : {}), ...(outcome.error ? { ':err': outcome.error.slice(0, 300) } : {}) };
      const jobWrite =
        status === 'succeeded'
          ? { Delete: { TableName: tables.main, Key: jobKey(job.refundId) } }
          : {
              Update: {
                TableName: tables.main,
                Key: jobKey(job.refundId),
                // A failed refund is asked for again (same refund id) rather than followed.
                UpdateExpression: `SET nextAttemptAt = :next, gsi1sk = :sk${outcome.refundRef ? ', refundRef = :rref' : ''}${outcome.error ? ', lastError = :err' : ''} REMOVE leaseUntil${outcome.error ? ', refundRef' : ', lastError'}`,
                ExpressionAttributeValues: { ':next': nextAttemptAt, ':sk': sortKey(nextAttemptAt, job.refundId), ...(outcome.refundRef ? { ':rref': outcome.refundRef } : {}), ...(outcome.error ? { ':err': outcome.error.slice(0, 300) } : {}) },
              },
            };
      await transact([
        {
          Update: {
            TableName: tables.main,
            Key: bookingKey(job.bookingId),
            UpdateExpression: bookingSet,
            ConditionExpression: `#p.refunds[${i}].id = :rid`,
            ExpressionAttributeNames: { '#p': 'payment', '#rs': 'status' },
            ExpressionAttributeValues: values,
          },
        },
        jobWrite,
      ]);
    },

    failedRefunds: async () => (await index(REFUNDS_OPEN)).map((i) => strip<RefundJob>(i)).filter((j) => !!j.lastError),

    async flag(bookingId, reason, now) {
      await withRetry(() =>
        doc.send(new PutCommand({ TableName: tables.main, Item: { ...entityKey('PAYFLAG', bookingId), bookingId, reason, at: new Date(now).toISOString(), gsi1pk: FLAGS, gsi1sk: bookingId } })),
      );
    },

    flagged: async () => (await index(FLAGS)).map((i) => ({ bookingId: i.bookingId as string, reason: i.reason as string, at: i.at as string })),

    async confirmedUncaptured() {
      const out: string[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await withRetry(() =>
          doc.send(
            new ScanCommand({
              TableName: tables.main,
              FilterExpression: 'sk = :booking AND #status = :confirmed AND attribute_exists(#p) AND #p.#ps <> :captured',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ':booking': 'BOOKING', ':confirmed': 'confirmed', ':captured': 'captured' },
              ProjectionExpression: 'id',
              ExclusiveStartKey,
            }),
          ),
        );
        out.push(...(page.Items ?? []).map((i) => i.id as string));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return out;
    },

    lease: (name, owner, now, ms) =>
      conditionalWrite(() =>
        doc.send(
          new PutCommand({
            TableName: tables.main,
            Item: { ...entityKey('LEASE', name), owner, until: now + ms },
            ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now OR #owner = :owner',
            ExpressionAttributeNames: { '#until': 'until', '#owner': 'owner' },
            ExpressionAttributeValues: { ':now': now, ':owner': owner },
          }),
        ),
      ),
  };
}
