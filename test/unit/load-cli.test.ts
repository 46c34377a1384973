import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/config.js';
import { fixturesDir } from '../support/ingest-fixtures.js';

/** `npm run load` as node + tsx; dry runs need no database. */
const load = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'server', 'cli', 'load.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, PSEUDONYM_SECRET: 'cli-secret-cli-secret-cli' },
    timeout: 60_000,
  });

describe('npm run load (command line)', { timeout: 180_000 }, () => {
  it('prints a one-line usage on --help', () => {
    const r = load('--help');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/^usage: npm run load -- PATH\.\.\./);
  });

  it('exits 2 with a clear message on bad arguments', () => {
    const unknown = load('--frobnicate', 'x.csv');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/frobnicate/);
    expect(load().stderr).toMatch(/give at least one PATH/);
    const batch = load('x.csv', '--batch-size', 'lots');
    expect(batch.status).toBe(2);
    expect(batch.stderr).toMatch(/--batch-size must be a whole number/);
  });

  it('validates without a database on --dry-run and prints one JSON summary', () => {
    const r = load(join(fixturesDir, 'csv'), join(fixturesDir, 'jsonl'), '--dry-run', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 32, loaded: 32, rejected: 0, dryRun: true, files: 3 });
  });

  it('explains a bad schema file', () => {
    const r = load(join(fixturesDir, 'csv'), '--dry-run', '--schema', join(fixturesDir, 'csv', 'triples.csv'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/schema file .*triples\.csv/);
  });
});
