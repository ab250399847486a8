/** Named leases in the main table: one process at a time does a job (the schedule's roll-forward). */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeaseStore } from '../../ports.js';
import type { Dynamo } from './client.js';
import { entityKey } from './keys.js';
import { conditionalWrite } from './retry.js';

export function createLeaseStore(dynamo: Dynamo): LeaseStore {
  return {
    take(name, owner, now, ms) {
      return conditionalWrite(() =>
        dynamo.doc.send(
          new UpdateCommand({
            TableName: dynamo.tables.main,
            Key: entityKey('LEASE', name),
            UpdateExpression: 'SET leaseUntil = :until, #owner = :owner',
            ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil <= :now OR #owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':until': now + ms, ':owner': owner, ':now': now },
          }),
        ),
      );
    },
  };
}
