import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Metrics } from '../../ports.js';
import { throttleReason } from './retry.js';

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

const CALLS = 'moviemagic-store-calls';
const THROTTLES = 'moviemagic-store-throttles';
const COUNTED = Symbol('throttle counted');

/**
 * Reports every store command to `metrics`: its latency and outcome by operation, and each
 * attempt that was throttled or hit a transaction conflict: inside the SDK's own retry, so
 * none is hidden, and once more outside for an error that never passed the inside (one made
 * before the request left, as the test faults are). The document client shares the raw client's middleware, so both are
 * covered. A second call (another app on the same client) replaces the first.
 */
export function observeDynamo(dynamo: Dynamo, metrics: Pick<Metrics, 'storeCall' | 'storeThrottled'>): void {
  const stack = dynamo.raw.middlewareStack;
  stack.remove(CALLS);
  stack.remove(THROTTLES);
  const operationOf = (context: { commandName?: string }) => (context.commandName ?? 'unknown').replace(/Command$/, '');
  const countThrottle = (operation: string, err: unknown) => {
    const reason = throttleReason(err);
    if (!reason || typeof err !== 'object' || err === null || COUNTED in err) return;
    metrics.storeThrottled(operation, reason);
    Object.defineProperty(err, COUNTED, { value: true });
  };
  stack.add(
    (next, context) => async (args) => {
      const started = performance.now();
      try {
        const out = await next(args);
        metrics.storeCall(operationOf(context), (performance.now() - started) / 1000, 'ok');
        return out;
      } catch (err) {
        metrics.storeCall(operationOf(context), (performance.now() - started) / 1000, (err as { name?: string }).name ?? 'Error');
        countThrottle(operationOf(context), err);
        throw err;
      }
    },
    { step: 'initialize', name: CALLS, priority: 'high' },
  );
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        countThrottle(operationOf(context), err);
        throw err;
      }
    },
    { step: 'deserialize', name: THROTTLES, priority: 'high' },
  );
}
