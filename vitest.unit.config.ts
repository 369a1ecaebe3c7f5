import { defineConfig } from 'vitest/config';

// The security core's unit tests alone: no HTTP, no store. Mutation testing (stryker.config.json) runs these.
export default defineConfig({
  test: { include: ['test/unit/**/*.test.ts'] },
});
