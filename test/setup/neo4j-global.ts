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

interface Shared {
  ready: Promise<{ target: TestNeo4j; stop: () => Promise<void> }>;
  projects: number;
}
// Each vitest project that needs the database lists this file, and vitest runs it once per
// project, each in a module instance of its own; the main process's globalThis is what they
// share, so the run starts one database and the last project's teardown stops it.
const sharedKey = Symbol.for('kg-insight-explorer/test-neo4j');
const shared = globalThis as { [sharedKey]?: Shared };

/**
 * Starts a throw-away Neo4j (own temp folder, free port) unless NEO4J_URI is given; never
 * the user's `.data/neo4j`. One for the whole run, whichever projects need it.
 */
export default async function setup(project: TestProject) {
  const run = (shared[sharedKey] ??= { ready: start(), projects: 0 });
  run.projects++;
  const { target } = await run.ready;
  project.provide('neo4j', target);
  return async () => {
    if (--run.projects > 0) return;
    delete shared[sharedKey];
    await (await run.ready).stop();
  };
}

async function start(): Promise<{ target: TestNeo4j; stop: () => Promise<void> }> {
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
  } catch (error) {
    await stop();
    throw error;
  } finally {
    await db.close();
  }
  return { target, stop };
}
