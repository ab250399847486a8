import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface DynamoSettings {
  region: string;
  /** Optional: DynamoDB Local, or a VPC endpoint. */
  endpoint?: string;
  tablePrefix: string;
  /** Static credentials for DynamoDB Local; omitted on AWS (the default chain applies). */
  localCredentials?: boolean;
  /** Concurrent HTTP connections to the store; requests beyond queue in the agent. */
  maxSockets?: number;
}

export interface Dynamo {
  doc: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  tables: { main: string; seats: string };
}

export function createDynamo(settings: DynamoSettings): Dynamo {
  const raw = new DynamoDBClient({
    region: settings.region,
    endpoint: settings.endpoint,
    // Our own retry loop handles conflicts and throttling with jitter (see retry.ts).
    maxAttempts: 2,
    ...(settings.localCredentials ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    requestHandler: {
      httpAgent: new Agent({ keepAlive: true, maxSockets: settings.maxSockets ?? 64 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: settings.maxSockets ?? 128 }),
      requestTimeout: 10_000,
      connectionTimeout: 10_000,
    },
  });
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { doc, raw, tables: tableNames(settings.tablePrefix) };
}

export const tableNames = (prefix: string) => ({ main: `${prefix}-main`, seats: `${prefix}-seats` });

/** DynamoDB Local (or any loopback endpoint) accepts any key; real AWS is never on loopback. */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}
