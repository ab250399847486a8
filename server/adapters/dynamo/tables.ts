/** Table definitions (see docs/data-model.md). The same code creates them locally and on AWS. */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { Dynamo } from './client.js';

export const TTL_ATTRIBUTE = 'ttl';

/** The tables' keys, indexes and billing; `ensureTables` creates them and the CDK stack (infra/) builds its tables from them. */
export function tableDefinitions(tables: Dynamo['tables']): CreateTableCommandInput[] {
  return [
    {
      TableName: tables.main,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
        { AttributeName: 'gsi2pk', AttributeType: 'S' },
        { AttributeName: 'gsi2sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'gsi2',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
    {
      TableName: tables.seats,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    },
  ];
}

async function waitActive(dynamo: Dynamo, table: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const { Table } = await dynamo.raw.send(new DescribeTableCommand({ TableName: table }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`table ${table} did not become active`);
}

/** Creates missing tables with TTL enabled; returns the names it created. */
export async function ensureTables(dynamo: Dynamo): Promise<string[]> {
  const created: string[] = [];
  for (const def of tableDefinitions(dynamo.tables)) {
    try {
      await dynamo.raw.send(new CreateTableCommand(def));
      created.push(def.TableName!);
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
    await waitActive(dynamo, def.TableName!);
    const ttl = await dynamo.raw.send(new DescribeTimeToLiveCommand({ TableName: def.TableName }));
    const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
    if (status !== 'ENABLED' && status !== 'ENABLING') {
      await dynamo.raw.send(
        new UpdateTimeToLiveCommand({
          TableName: def.TableName,
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        }),
      );
    }
  }
  return created;
}

/**
 * The tables this server needs that are missing or not ACTIVE, by DescribeTable on each
 * (an IAM policy can allow exactly that on exactly these tables; ListTables cannot be limited).
 */
export async function missingTables(dynamo: Dynamo): Promise<string[]> {
  const missing: string[] = [];
  for (const table of Object.values(dynamo.tables)) {
    try {
      const { Table } = await dynamo.raw.send(new DescribeTableCommand({ TableName: table }));
      if (Table?.TableStatus !== 'ACTIVE' && Table?.TableStatus !== 'UPDATING') missing.push(table);
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
      missing.push(table);
    }
  }
  return missing;
}

export const missingTablesMessage = (missing: string[], prefix: string) =>
  `DynamoDB table${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found (TABLE_PREFIX=${prefix}). ` +
  `Create them with \`STORE=aws AWS_REGION=... TABLE_PREFIX=${prefix} npm run create-tables\`, or check TABLE_PREFIX and AWS_REGION.`;

export async function dropTables(dynamo: Dynamo): Promise<void> {
  for (const table of Object.values(dynamo.tables)) {
    try {
      await dynamo.raw.send(new DeleteTableCommand({ TableName: table }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
}
