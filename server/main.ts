import { createServer } from 'node:http';
import { join } from 'node:path';
import { createApp } from './app.js';
import { modelBytes } from './recommend/model/model.js';
import { precomputeSteps, refreshDerived } from './domains.js';
import { refreshIfStale, startRefreshSchedule } from './refresh/background.js';
import { ConfigError, loadConfig, repoRoot } from './config.js';
import { connectNeo4j } from './db/connect.js';
import { applySchema } from './graph/setup.js';
import { createLogger } from './logger.js';
import { MissingToolError } from './local-neo4j/launcher-build.js';
import { seedIfEmpty } from './ingest/seed.js';
import { bulkSeedIfNew } from './ingest/bulk/bulk-seed.js';
import { defaultLocalOptions } from './local-neo4j/local-neo4j.js';
import { loadStoredVocabulary } from './graph/stored-vocabulary.js';
import { coreVocabulary, type Vocabulary } from './graph/vocabulary.js';

/** `npm start`: Neo4j (bundled unless NEO4J_URI is set), schema, then the API and web explorer. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const seedDir = join(repoRoot, 'seeds', 'demo');
  // First run on the bundled Neo4j (no store yet): the demo seeds through the offline importer,
  // before Neo4j's one start; otherwise connect, and an empty graph is seeded online below.
  const bulkSeeded = config.neo4j.uri
    ? null
    : await bulkSeedIfNew(seedDir, coreVocabulary, {
        pseudonymSecret: config.pseudonymSecret,
        local: defaultLocalOptions(),
        database: config.neo4j.database,
        connect: () => connectNeo4j(config.neo4j, (line) => logger.info(line)),
        refresh: refreshDerived,
        log: (line) => logger.info(line),
      });
  if (bulkSeeded) {
    const s = bulkSeeded.summary;
    logger.info({ loaded: s.loaded, rejected: s.rejected, seconds: s.seconds, phases: s.bulk, rejects: s.rejectsFiles }, 'new database: loaded the demo seeds with the bulk importer');
  }
  const connected = bulkSeeded?.connected ?? (await connectNeo4j(config.neo4j, (line) => logger.info(line)));
  let vocabulary: Vocabulary = bulkSeeded?.vocabulary ?? coreVocabulary;

  let closingSince = 0;
  let stopSchedule: () => void = () => undefined;
  let app: ReturnType<typeof createApp> | undefined;
  const server = createServer();
  const shutdown = async (signal: string) => {
    // Ctrl-C reaches npm, tsx and us at once; only a later, deliberate second one forces exit.
    if (closingSince) {
      if (Date.now() - closingSince < 3_000) return;
      logger.warn('second signal: exiting now');
      process.exit(1);
    }
    closingSince = Date.now();
    logger.info({ signal }, 'shutting down');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    stopSchedule();
    app?.recommendModel.stop();
    await connected.close();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let seededNow = bulkSeeded !== null;
  try {
    await applySchema(connected.db, vocabulary);
    // Types a schema file added in an earlier load; then the demo seeds on an empty graph.
    vocabulary = await loadStoredVocabulary(connected.db);
    await applySchema(connected.db, vocabulary);
    const seeded = await seedIfEmpty(connected.db, vocabulary, seedDir, {
      pseudonymSecret: config.pseudonymSecret,
      log: (line) => logger.warn(line),
      refresh: refreshDerived,
    });
    vocabulary = seeded.vocabulary;
    seededNow ||= seeded.summary !== undefined;
    if (seeded.summary) {
      const s = seeded.summary;
      logger.info({ loaded: s.loaded, rejected: s.rejected, seconds: s.seconds, rejects: s.rejectsFiles }, 'empty graph: loaded the demo seeds');
    }
  } catch (error) {
    await connected.close();
    throw error;
  }
  app = createApp({ db: connected.db, config, logger, vocabulary });
  // Recommendation model hook: serve the published model from the first request on (createApp polls for newer ones).
  const model = await app.recommendModel.sync().catch(() => null);
  if (model) logger.info({ version: model.version, mb: Number((modelBytes(model) / 2 ** 20).toFixed(1)) }, 'recommendation model loaded');
  else logger.warn('no recommendation model yet: recommendations are the most popular products until the first refresh');
  server.on('request', app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = `http://${config.host}:${config.port}`;
  logger.info({ neo4j: connected.uri, ms: Date.now() - started }, `ready: explorer at ${address}/ and GraphQL at ${address}/graphql`);
  // Segments and the other global structures: a full refresh on a schedule (small writes
  // update the rest incrementally); REFRESH_INTERVAL_SECONDS=0 leaves it to `npm run refresh`.
  const intervalSeconds = config.refresh?.intervalSeconds ?? 0;
  stopSchedule = startRefreshSchedule(connected.db, () => vocabulary, refreshDerived, intervalSeconds * 1000, (error) =>
    logger.error({ err: error }, 'scheduled derived refresh failed'),
  );
  if (intervalSeconds > 0) logger.info({ everySeconds: intervalSeconds }, 'derived values are refreshed in full on a schedule');
  if (!seededNow) {
    // A graph derived by an older version (or never) is refreshed while the API already serves.
    await refreshIfStale(connected.db, vocabulary, precomputeSteps, refreshDerived, logger).catch((error) =>
      logger.error({ err: error }, 'could not check the derived values'),
    );
    await app.recommendModel.sync().catch(() => null);
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof MissingToolError;
  console.error(`npm start: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}`);
  process.exit(1);
});
