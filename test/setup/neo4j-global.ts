import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDriver, Database } from '../../server/db/neo4j.js';
import { applySchema } from '../../server/db/setup.js';
import { startLocalNeo4j } from '../../server/local-neo4j/local-neo4j.js';
import { coreVocabulary } from '../../server/schema/vocabulary.js';

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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
    const home = mkdtempSync(join(tmpdir(), 'kg-test-neo4j-'));
    const passwordFile = join(home, 'password');
    writeFileSync(passwordFile, `test-${Math.random().toString(36).slice(2)}-pw\n`, { mode: 0o600 });
    const t0 = Date.now();
    const running = await startLocalNeo4j(
      { home: join(home, 'neo4j'), port: await freePort(), passwordFile, heap: '1g', pagecache: '512m' },
      { log: (line) => console.log(`[test neo4j] ${line}`) },
    );
    console.log(`[test neo4j] up on ${running.uri} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    target = { uri: running.uri, user: running.user, password: running.password, database: 'neo4j', owned: true };
    stop = async () => {
      await running.stop();
      rmSync(home, { recursive: true, force: true });
    };
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
