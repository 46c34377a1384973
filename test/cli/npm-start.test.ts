import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/config.js';
import { freePort } from '../../server/local-neo4j/throwaway.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const dataDir = mkdtempSync(join(tmpdir(), 'kg-npm-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start (server/main.ts) with the bundled Neo4j', () => {
  it('serves health and stats, and Ctrl-C stops everything it started, Neo4j included', async () => {
    const [boltPort, httpPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = { ...process.env, KG_DATA_DIR: dataDir, NEO4J_LOCAL_PORT: String(boltPort), PORT: String(httpPort), NEO4J_LOCAL_HEAP: '512m', NEO4J_LOCAL_PAGECACHE: '128m' };
    delete env.NEO4J_URI;
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repoRoot, 'server', 'main.ts')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A group of its own: tsx runs main.ts in a child process, which a kill of tsx alone would orphan (with its Neo4j).
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      // Generous: the bundled Neo4j's start plus the demo seeding; tests assert behaviour, not timings.
      const deadline = Date.now() + 280_000;
      while (!output.includes('ready: explorer')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not become ready:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      // A new data folder: the demo seeds went through the offline importer before Neo4j's one start.
      expect(output).toContain('loaded the demo seeds with the bulk importer');
      expect(output.match(/starting the bundled Neo4j/g)).toHaveLength(1);
      const base = `http://127.0.0.1:${httpPort}`;
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', neo4j: 'up' });
      const stats = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ stats { nodeCount byType { name count } } }' }),
      });
      const body = (await stats.json()) as { data: { stats: { nodeCount: number; byType: { name: string }[] } } };
      expect(body.data.stats.byType.map((t) => t.name)).toEqual(expect.arrayContaining(['Consumer', 'Product', 'Interest']));

      // Neo4j's store and logs are closed to other local users (issue 17, finding 11).
      expect(statSync(join(dataDir, 'neo4j')).mode & 0o077).toBe(0);
      const javaPid = Number(JSON.parse(readFileSync(join(dataDir, 'neo4j', 'neo4j-local.pid'), 'utf8')).pid);
      expect(alive(javaPid)).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      const gone = Date.now() + 20_000;
      while (alive(javaPid) && Date.now() < gone) await new Promise((r) => setTimeout(r, 200));
      expect(alive(javaPid)).toBe(false);
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The whole group has already exited.
      }
    }
  }, 360_000);
});
