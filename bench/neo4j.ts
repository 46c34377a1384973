import { createDriver, Database } from '../server/db/neo4j.js';
import { applySchema } from '../server/graph/setup.js';
import { startThrowawayNeo4j } from '../server/local-neo4j/throwaway.js';
import { coreVocabulary } from '../server/graph/vocabulary.js';

export interface BenchNeo4j {
  uri: string;
  user: string;
  password: string;
  /** The Neo4j home (store, logs); removed by `stop`. */
  home: string;
  db: Database;
  stop(): Promise<void>;
}

/**
 * Starts a throw-away Neo4j for the benchmark (temp home, free loopback port, generated
 * password) with the core schema applied; never the user's database.
 */
export async function startBenchNeo4j(log: (line: string) => void, memory = { heap: '1g', pagecache: '1g' }): Promise<BenchNeo4j> {
  const throwaway = await startThrowawayNeo4j({ prefix: 'kg-bench-neo4j-', ...memory, log });
  const { running } = throwaway;
  const home = throwaway.options.home;
  const timeoutMs = 3_600_000;
  const db = new Database(createDriver({ uri: running.uri, user: running.user, password: running.password, database: 'neo4j', queryTimeoutMs: timeoutMs }), 'neo4j', timeoutMs);
  const stop = async () => {
    await db.close().catch(() => undefined);
    await throwaway.stop();
  };
  try {
    await applySchema(db, coreVocabulary);
  } catch (error) {
    await stop();
    throw error;
  }
  return { uri: running.uri, user: running.user, password: running.password, home, db, stop };
}
