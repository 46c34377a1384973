import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../server/config.js';
import { freePort } from '../server/local-neo4j/throwaway.js';

export interface BulkBenchResult {
  bulk_tps: number;
  bulk_seconds: number;
  /** The phases of the bulk load (see server/ingest/bulk/bulk-load.ts). */
  phases: { read: number; files: number; importer: number; start: number; schema: number; indexes: number };
  derived_seconds: number;
  loader_peak_rss_mb: number;
  graph: { nodes: number; relationships: number };
}

/**
 * `npm run load -- FILE --bulk` (node + tsx, one process) on a bundled Neo4j home of its own
 * (a temporary KG_DATA_DIR and a free port, so it never touches the user's data): reading and
 * validating, Neo4j's offline importer, the start and schema, then the refresh (counted apart,
 * like the online loader's). Throughput counts input rows per second up to the refresh.
 */
export async function runBulkLoader(file: string, rows: number, secret: string, log: (l: string) => void): Promise<BulkBenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kg-bench-bulk-'));
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KG_DATA_DIR: dataDir,
      NEO4J_LOCAL_PORT: String(await freePort()),
      NEO4J_LOCAL_HEAP: process.env.NEO4J_LOCAL_HEAP ?? '2g',
      NEO4J_LOCAL_PAGECACHE: process.env.NEO4J_LOCAL_PAGECACHE ?? '1g',
      PSEUDONYM_SECRET: secret,
    };
    delete env.NEO4J_URI;
    const summary = await new Promise<{
      seconds: number;
      derivedSeconds: number;
      peakRssMb: number;
      bulk: { readSeconds: number; filesSeconds: number; importSeconds: number; startSeconds: number; schemaSeconds: number; indexSeconds: number; nodes: number; relationships: number };
    }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server', 'cli', 'load.ts'), file, '--bulk', '--json'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      // The importer's stage lines only; its dotted progress would flood the bench log.
      child.stderr.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\n')) if (line.trim() && !/^\s*(loading|importer: \.)/.test(line)) log(`  [bulk] ${line.trim()}`);
      });
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`the bulk loader exited with ${code}`))));
    });
    const b = summary.bulk;
    return {
      bulk_tps: Math.round(rows / summary.seconds),
      bulk_seconds: summary.seconds,
      phases: { read: b.readSeconds, files: b.filesSeconds, importer: b.importSeconds, start: b.startSeconds, schema: b.schemaSeconds, indexes: b.indexSeconds },
      derived_seconds: summary.derivedSeconds,
      loader_peak_rss_mb: summary.peakRssMb,
      graph: { nodes: b.nodes, relationships: b.relationships },
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
