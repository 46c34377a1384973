import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { importerPidOf, markSwap, recoverBulkImport, stagingOf } from '../../server/local-neo4j/bulk-staging.js';

const root = mkdtempSync(join(tmpdir(), 'kg-bulk-staging-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A Neo4j home with a live store and a staged one, each marked by a file's text. */
function home(name: string): string {
  const h = join(root, name);
  for (const [base, text] of [[h, 'live'], [stagingOf(h), 'staged']] as const) {
    for (const dir of ['databases', 'transactions']) {
      mkdirSync(join(base, 'data', dir, 'neo4j'), { recursive: true });
      writeFileSync(join(base, 'data', dir, 'neo4j', 'store'), text);
    }
  }
  mkdirSync(join(h, 'data', 'databases', 'system'), { recursive: true });
  return h;
}
const store = (h: string, dir: string) => readFileSync(join(h, 'data', dir, 'neo4j', 'store'), 'utf8');

describe('recovering an interrupted bulk import (bulk-staging)', () => {
  it('deletes a staged store that was never marked complete and keeps the live one', () => {
    const h = home('unmarked');
    expect(recoverBulkImport(h)).toMatch(/interrupted before it finished; its partial store was deleted/);
    expect(existsSync(stagingOf(h))).toBe(false);
    expect([store(h, 'databases'), store(h, 'transactions')]).toEqual(['live', 'live']);
    expect(recoverBulkImport(h)).toBeNull();
  });

  it('finishes a marked swap that stopped half-way (one folder already moved)', () => {
    const h = home('half');
    markSwap(h, 'neo4j');
    // As if killed after the first move: the live store folder is the staged one already.
    rmSync(join(h, 'data', 'databases', 'neo4j'), { recursive: true });
    mkdirSync(join(h, 'data', 'databases', 'neo4j'));
    writeFileSync(join(h, 'data', 'databases', 'neo4j', 'store'), 'staged');
    rmSync(join(stagingOf(h), 'data', 'databases', 'neo4j'), { recursive: true });
    expect(recoverBulkImport(h)).toMatch(/the move is now complete/);
    expect([store(h, 'databases'), store(h, 'transactions')]).toEqual(['staged', 'staged']);
    expect(existsSync(join(h, 'data', 'databases', 'system'))).toBe(true);
    expect(existsSync(stagingOf(h))).toBe(false);
    expect(recoverBulkImport(h)).toBeNull();
  });

  it('leaves the staging store of a live importer alone and says one is running', async () => {
    const h = home('live');
    // A stand-in for the importer's JVM: a live process whose command line names neo4j-local.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', 'neo4j-local'], { stdio: 'ignore' });
    try {
      writeFileSync(importerPidOf(h), String(child.pid));
      expect(() => recoverBulkImport(h)).toThrow(/a bulk import into .* is running \(pid \d+\)/);
      expect(store(stagingOf(h), 'databases')).toBe('staged');
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});
