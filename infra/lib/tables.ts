/** The server's CreateTable inputs (server/adapters/dynamo/tables.ts) as CloudFormation table properties. */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { aws_dynamodb as dynamodb } from 'aws-cdk-lib';

/**
 * The DynamoDB actions the server calls (server/adapters/dynamo: Get, Put, Update, Delete,
 * Query, Scan, BatchGet, BatchWrite, TransactWrite, and DescribeTable at startup). A
 * TransactWriteItems call is authorised item by item as PutItem, UpdateItem, DeleteItem and
 * ConditionCheckItem, so those are listed and it is not.
 */
export const DYNAMO_ACTIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'DescribeTable',
] as const;

/** What `npm run create-tables` (scripts/create-tables.ts → ensureTables) needs on top, for an operator. */
export const CREATE_TABLES_ACTIONS = ['CreateTable', 'DescribeTable', 'DescribeTimeToLive', 'UpdateTimeToLive'] as const;

export const indexNames = (def: CreateTableCommandInput) => (def.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName!);

const keys = (schema: CreateTableCommandInput['KeySchema']) => (schema ?? []).map((k) => ({ attributeName: k.AttributeName!, keyType: k.KeyType! }));

export function cfnTableProps(def: CreateTableCommandInput, ttlAttribute: string): dynamodb.CfnTableProps {
  return {
    tableName: def.TableName,
    billingMode: def.BillingMode,
    attributeDefinitions: (def.AttributeDefinitions ?? []).map((a) => ({ attributeName: a.AttributeName!, attributeType: a.AttributeType! })),
    keySchema: keys(def.KeySchema),
    globalSecondaryIndexes: def.GlobalSecondaryIndexes?.map((g) => ({
      indexName: g.IndexName!,
      keySchema: keys(g.KeySchema),
      projection: { projectionType: g.Projection?.ProjectionType, nonKeyAttributes: g.Projection?.NonKeyAttributes },
    })),
    timeToLiveSpecification: { attributeName: ttlAttribute, enabled: true },
  };
}
