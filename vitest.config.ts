import { defineConfig } from 'vitest/config';

// One throw-away Neo4j for the whole run (test/setup/neo4j-global.ts); test files share it and
// each creates and removes only its own data.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/neo4j-global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
