import { defineConfig } from 'vitest/config';

// One throw-away Neo4j for the whole run (test/setup/neo4j-global.ts); test files share it and
// each creates and removes only its own data. Files run one at a time: derived values (insight
// sets, segments, affinities) are graph-wide, so one file's refresh would race another's asserts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/neo4j-global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
