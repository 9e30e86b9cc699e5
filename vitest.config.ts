import { defineConfig } from 'vitest/config';

// Two cores here: at most two test files at once, and generous timeouts for the training tests.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
