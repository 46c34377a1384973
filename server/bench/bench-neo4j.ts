import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDriver, Database } from '../db/neo4j.js';
import { applySchema } from '../db/setup.js';
import { startLocalNeo4j } from '../local-neo4j/local-neo4j.js';
import { coreVocabulary } from '../schema/vocabulary.js';

export interface BenchNeo4j {
  uri: string;
  user: string;
  password: string;
  /** The Neo4j home (store, logs); removed by `stop`. */
  home: string;
  db: Database;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
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
 * Starts a throw-away Neo4j for the benchmark (temp home, free loopback port, generated
 * password) with the core schema applied; never the user's database.
 */
export async function startBenchNeo4j(log: (line: string) => void, memory = { heap: '1g', pagecache: '1g' }): Promise<BenchNeo4j> {
  const root = mkdtempSync(join(tmpdir(), 'kg-bench-neo4j-'));
  const passwordFile = join(root, 'password');
  writeFileSync(passwordFile, `bench-${Math.random().toString(36).slice(2)}-pw\n`, { mode: 0o600 });
  const home = join(root, 'neo4j');
  let running;
  try {
    running = await startLocalNeo4j({ home, port: await freePort(), passwordFile, ...memory }, { log });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const timeoutMs = 3_600_000;
  const db = new Database(createDriver({ uri: running.uri, user: running.user, password: running.password, database: 'neo4j', queryTimeoutMs: timeoutMs }), 'neo4j', timeoutMs);
  const stop = async () => {
    await db.close().catch(() => undefined);
    await running.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await applySchema(db, coreVocabulary);
  } catch (error) {
    await stop();
    throw error;
  }
  return { uri: running.uri, user: running.user, password: running.password, home, db, stop };
}
