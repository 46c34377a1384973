import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { tiers } from './test/tiers.js';

// Tests in tiers (docs: README "Tests"); which file is in which tier, and why, is test/tiers.ts.
//
//   group 0  unit           no database, no browser, no Java; runs alone as `npm run test:unit`
//            db-parallel    the run's test Neo4j, files side by side (own data, nothing graph-wide)
//   group 1  db-sequential  the same Neo4j, one file at a time: refreshes of derived values
//   group 2  e2e            Chromium, one file at a time
//
// Groups run one after the other (sequence.groupOrder), so no parallel file is running while a
// sequential file refreshes the graph-wide derived values, and the browser tests come last.
// The database projects list the same globalSetup, which starts one throw-away Neo4j for all
// of them (test/setup/neo4j-global.ts); unit lists none, so it never starts Java.

/** Workers of group 0; vitest wants one count for the projects of a group. */
const workers = Math.min(4, Math.max(2, availableParallelism()));
const neo4j = ['test/setup/neo4j-global.ts'];
const timeouts = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          ...tiers.unit,
          ...timeouts,
          pool: 'forks',
          maxWorkers: workers,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'db-parallel',
          ...tiers.dbParallel,
          ...timeouts,
          globalSetup: neo4j,
          pool: 'forks',
          maxWorkers: workers,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'db-sequential',
          ...tiers.dbSequential,
          ...timeouts,
          globalSetup: neo4j,
          pool: 'forks',
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          ...tiers.e2e,
          ...timeouts,
          globalSetup: neo4j,
          pool: 'forks',
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
