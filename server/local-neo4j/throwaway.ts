import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalNeo4j, type LocalNeo4jOptions, type RunningLocalNeo4j } from './local-neo4j.js';

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

export interface ThrowawayNeo4j {
  running: RunningLocalNeo4j;
  /** The temporary folder: Neo4j's home is `<root>/neo4j`; callers may keep other files here. */
  root: string;
  options: LocalNeo4jOptions;
  /** Stops Neo4j and deletes the temporary folder. */
  stop(): Promise<void>;
}

/**
 * A bundled Neo4j of its own for tests, `npm run eval` and benchmarks: a temporary folder, a
 * generated password and a free loopback port, so it never touches the user's `.data`.
 */
export async function startThrowawayNeo4j({
  prefix,
  heap,
  pagecache,
  log,
}: {
  /** Temporary folder name prefix, e.g. "kg-test-neo4j-". */
  prefix: string;
  heap: string;
  pagecache: string;
  log?: (line: string) => void;
}): Promise<ThrowawayNeo4j> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const passwordFile = join(root, 'password');
  writeFileSync(passwordFile, `tmp-${Math.random().toString(36).slice(2)}-pw\n`, { mode: 0o600 });
  try {
    const options: LocalNeo4jOptions = { home: join(root, 'neo4j'), port: await freePort(), passwordFile, heap, pagecache };
    const running = await startLocalNeo4j(options, { log });
    return {
      running,
      root,
      options,
      async stop() {
        await running.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
