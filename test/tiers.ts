/**
 * Which test file runs in which tier (vitest project, see vitest.config.ts). Every test file
 * is in exactly one; test/unit/tiers.test.ts checks it, so a new or moved file cannot drop out
 * of the run unnoticed. Patterns are paths from the repository root, `**` and `*` only.
 */
export const tiers = {
  /**
   * No database, no browser, no Java: pure logic, the web explorer's graph code, the seed
   * generators, command lines that stop before connecting, and HTTP behaviour (auth, limits,
   * error masking, logs) through `app.fetch` on a tiny in-memory schema or on a database
   * where nothing listens. Nothing here may call `inject('neo4j')`: no project provides it.
   */
  unit: {
    include: [
      'test/unit/**/*.test.ts',
      'test/seeds/**/*.test.ts',
      'test/web/**/*.test.ts',
      'test/bench/percentiles.test.ts',
      'test/cli/db-cli.test.ts',
      'test/cli/refresh-cli.test.ts',
    ],
    // The explorer's API client against the real app and Neo4j.
    exclude: ['test/web/api-client.test.ts', 'test/web/server-scenes-client.test.ts'],
  },
  /**
   * In parallel: on the run's test Neo4j, each file creates its own data under its own ids
   * (testNamespace), removes only that, and neither refreshes derived values nor asserts
   * anything a graph-wide value decides (totals only as "at least my own data"); or on a
   * Neo4j of its own.
   */
  dbParallel: {
    include: [
      // The Neo4j module: own nodes, full-text search filtered to its namespace, schema
      // statements that are idempotent.
      'test/integration/neo4j.test.ts',
      // The loader with refresh: false, every load in a namespace of its own. Its stored-
      // vocabulary test briefly changes the graph's KgMeta vocabulary (and restores it); only
      // `npm run load` and `npm start` read that, and no parallel file runs them on this database.
      'test/integration/ingest.test.ts',
      // The consumer allow-list (issue 17, finding 5): one load in a namespace of its own, refresh: none.
      'test/integration/consumer-pii.test.ts',
      // The ingest lock and source scoping (issue 17, findings 1 and 2): loads in namespaces of
      // their own (they queue behind other files' loads on the graph-wide lock), lock tests on
      // lock keys of their own.
      'test/integration/ingest-exclusive.test.ts',
      // trend() on own links in 1990 (issue 17, finding 7); no refresh, no graph-wide assertion.
      'test/integration/trend-differencing.test.ts',
      // The batch writer splitting a batch Neo4j refuses (issue 17, finding 3): own rows, no lock.
      'test/integration/ingest-refused-row.test.ts',
      // Writes partitioned by node (issue 16): two loads in namespaces of their own, no refresh.
      'test/integration/ingest-partitioned.test.ts',
      // Health, stats as ">= my own nodes", the web explorer files.
      'test/http/app.test.ts',
      // Allowed cells of the role matrix: only "not FORBIDDEN / UNAUTHENTICATED" is asserted
      // (its ingestTriples call has no rows, so it loads nothing and schedules no refresh).
      'test/http/auth-allowed.test.ts',
      // Own entities with a made-up word, so search results are checked on its own data.
      'test/http/browse.test.ts',
      // The reader role's view of consumers (issue 17, finding 4): own consumer and products.
      'test/http/reader-consumers.test.ts',
      // Audiences: own consumers and products, a model learned in memory from them (fixedModel), no refresh.
      'test/http/audience.test.ts',
      // Saved scenes: keys of its own (fresh keys file), so it sees and removes only its own scenes.
      'test/http/saved-scenes.test.ts',
      // Random input, asserts only "no 5xx, every error coded".
      'test/http/fuzz.test.ts',
      // 10,000 requests of every shape over the whole HTTP surface (issue 17's done-when).
      'test/http/fuzz-http.test.ts',
      'test/http/load.test.ts',
      'test/http/neo4j-metrics.test.ts',
      'test/web/api-client.test.ts',
      // The explorer's saved-scenes client: keys of its own (fresh keys file), removes only their scenes.
      'test/web/server-scenes-client.test.ts',
      // A Neo4j of their own each (never the run's): they share nothing with the other files.
      'test/integration/recovery.test.ts',
      // `npm run load -- --bulk`: bundled Neo4j homes of its own (the importer replaces a store).
      'test/integration/bulk-load.test.ts',
      // Identity over `--bulk` and online: bundled Neo4j homes of its own.
      'test/integration/identity-bulk.test.ts',
      'test/cli/npm-start.test.ts',
      'test/cli/eval-cli.test.ts',
    ],
  },
  /**
   * One file at a time and after the parallel group. On the run's test Neo4j, these refresh
   * derived values (insight sets, segments, the recommendation model, consumer counts), which
   * are computed over the whole graph, or read graph-wide figures: a refresh that runs while
   * another file creates or removes data would race that file, and their expected figures
   * would change with other files' data. And the benchmark, which needs the machine to itself.
   */
  dbSequential: {
    include: [
      // refreshDerived, then _consumers of its own nodes.
      'test/integration/derived.test.ts',
      // The identity step's full runs write every consumer's person (graph-wide); asserts on its own consumers.
      'test/integration/identity.test.ts',
      // Same (full identity runs), then a scan of every property value of the graph for raw identifiers.
      'test/integration/identity-privacy.test.ts',
      // scheduleDerivedRefresh: the graph-wide refresh stamp.
      'test/integration/background-refresh.test.ts',
      // A Neo4j of its own, but a 100k-triple load and full refreshes: heavy, so never next to another file.
      'test/integration/incremental-refresh.test.ts',
      // refreshDerived, then segments, opportunities and trends.
      'test/integration/insights-derived.test.ts',
      // Lift and PMI over all consumers of the graph (allConsumers).
      'test/integration/insights-demand-links.test.ts',
      // refreshDerived, then insights counting persons (issue 18) and GraphStats.persons as a before/after difference.
      'test/integration/insights-persons.test.ts',
      // The real loader (refreshes derived values), then insights against planted truth.
      'test/integration/insights-ground-truth.test.ts',
      // refreshDerived, then recommendations from the learned model (and ingestTriples' background refresh).
      'test/integration/recommend.test.ts',
      // The learned model: built over the whole graph, published through KgMeta {key: 'recommend'}.
      'test/integration/recommend-model.test.ts',
      // A person under several ids (issue 18): builds and updates the model over the whole graph.
      'test/integration/recommend-persons.test.ts',
      // `npm run load` as a child process: refreshes derived values, reads the stored vocabulary.
      'test/integration/ingest-kill.test.ts',
      // ingestTriples schedules a derived refresh in the background.
      'test/http/ingest-mutation.test.ts',
      // The whole bench on a Neo4j of its own: it shares no data, but its phases are 1-2 s
      // windows that must complete requests, and next to another file's JVM on a 2-core
      // machine a phase ended with none (run of 2026-12-03), so it runs alone.
      'test/bench/bench-suite.test.ts',
    ],
  },
  /**
   * Chromium end to end, one file at a time and last: the explorer test refreshes derived
   * values on the test Neo4j; the demo-seed test starts a Neo4j of its own.
   */
  e2e: {
    include: ['test/e2e/**/*.test.ts'],
  },
} satisfies Record<string, { include: string[]; exclude?: string[] }>;

export type Tier = keyof typeof tiers;

/** A pattern as a regular expression: `**` any folders, `*` any characters of one name. */
function patternRegExp(pattern: string): RegExp {
  const parts = pattern.split('/');
  const source = parts
    .map((part, i) => {
      if (part === '**') return '(?:[^/]+/)*';
      const name = part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\\*', '[^/]*');
      return i === parts.length - 1 ? name : `${name}/`;
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** The tiers a test file (a path from the repository root) is in; exactly one is right. */
export function tiersOf(file: string): Tier[] {
  return (Object.keys(tiers) as Tier[]).filter((tier) => {
    const { include, exclude = [] } = tiers[tier] as { include: string[]; exclude?: string[] };
    const matches = (patterns: string[]) => patterns.some((p) => patternRegExp(p).test(file));
    return matches(include) && !matches(exclude);
  });
}
