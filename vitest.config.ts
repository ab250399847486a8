import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Integration files drive DynamoDB Local (a JVM) hard; on a 2-core box running them
    // one at a time is as fast overall and keeps latencies honest.
    fileParallelism: false,
    reporters: ['default', './test/support/summary-reporter.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'client',
          include: ['client/src/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['client/src/test-setup.ts'],
        },
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
