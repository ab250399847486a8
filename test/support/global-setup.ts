/** One DynamoDB Local (in memory) for the whole run; each test file uses its own table prefix. */
import type { TestProject } from 'vitest/node';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../server/adapters/dynamo/embedded.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
let store: EmbeddedDynamo | undefined;

export async function setup(project: TestProject) {
  store = await startEmbeddedDynamo({ dataDir: null });
  project.provide('dynamoEndpoint', store.endpoint);
}

export async function teardown() {
  await store?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
