import { defineConfig } from 'vitest/config';

// The infra tests (npm run infra:test): synthesizing is slow on a busy box, hence the timeout.
export default defineConfig({
  test: { root: import.meta.dirname, include: ['test/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000, pool: 'forks' },
});
