import { defineConfig } from 'vitest/config';

// The whole suite runs twice: once on the embedded SQLite store and once on a real PostgreSQL
// that test/support/postgres-setup.ts starts for the run. The unit tests need no store and run once. The Portal
// is built first when its build is stale, for the browser tests (test/portal/).
const shared = {
  include: ['test/**/*.test.ts'],
  exclude: ['test/unit/**'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          ...shared,
          name: 'sqlite',
          env: { ORRERY_TEST_STORE: 'sqlite' },
          globalSetup: ['test/support/portal-build.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'postgres',
          env: { ORRERY_TEST_STORE: 'postgres' },
          globalSetup: ['test/support/postgres-setup.ts', 'test/support/portal-build.ts'],
        },
      },
    ],
  },
});
