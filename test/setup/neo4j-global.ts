import type { TestProject } from 'vitest/node';
import { createDriver, Database } from '../../server/db/neo4j.js';
import { applySchema } from '../../server/graph/setup.js';
import { startThrowawayNeo4j } from '../../server/local-neo4j/throwaway.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';

export interface TestNeo4j {
  uri: string;
  user: string;
  password: string;
  database: string;
  /** True when the run started this database itself (and may do anything to it). */
  owned: boolean;
}

declare module 'vitest' {
  interface ProvidedContext {
    neo4j: TestNeo4j;
  }
}

/**
 * Starts a throw-away Neo4j (own temp folder, free port) unless NEO4J_URI is given; never
 * the user's `.data/neo4j`.
 */
export default async function setup(project: TestProject) {
  let target: TestNeo4j;
  let stop = async () => undefined as void;
  if (process.env.NEO4J_URI) {
    target = {
      uri: process.env.NEO4J_URI,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? '',
      database: process.env.NEO4J_DATABASE ?? 'neo4j',
      owned: false,
    };
  } else {
    const t0 = Date.now();
    const throwaway = await startThrowawayNeo4j({ prefix: 'kg-test-neo4j-', heap: '1g', pagecache: '512m', log: (line) => console.log(`[test neo4j] ${line}`) });
    const { running } = throwaway;
    console.log(`[test neo4j] up on ${running.uri} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    target = { uri: running.uri, user: running.user, password: running.password, database: 'neo4j', owned: true };
    stop = throwaway.stop;
  }
  const driver = createDriver({ ...target, queryTimeoutMs: 30_000 });
  const db = new Database(driver, target.database, 30_000);
  try {
    await applySchema(db, coreVocabulary);
  } finally {
    await db.close();
  }
  project.provide('neo4j', target);
  return stop;
}
