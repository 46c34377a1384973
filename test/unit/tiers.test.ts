import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/config.js';
import { tiersOf } from '../tiers.js';

const testFiles = readdirSync(join(repoRoot, 'test'), { recursive: true, encoding: 'utf8' })
  .map((f) => `test/${f.split('\\').join('/')}`)
  .filter((f) => f.endsWith('.test.ts'))
  .sort();

describe('test tiers (test/tiers.ts)', () => {
  it('put every test file in exactly one tier', () => {
    expect(testFiles.length).toBeGreaterThan(40);
    const misplaced = testFiles.map((f) => ({ f, tiers: tiersOf(f) })).filter((x) => x.tiers.length !== 1);
    expect(misplaced).toEqual([]);
  });

  it('match files as globs do', () => {
    expect(tiersOf('test/unit/tiers.test.ts')).toEqual(['unit']);
    expect(tiersOf('test/unit/http/auth.test.ts')).toEqual(['unit']);
    expect(tiersOf('test/web/api-client.test.ts')).toEqual(['dbParallel']);
    expect(tiersOf('test/web/elements.test.ts')).toEqual(['unit']);
    expect(tiersOf('test/e2e/explorer.test.ts')).toEqual(['e2e']);
    expect(tiersOf('test/http/browse.test.ts')).toEqual(['dbParallel']);
    expect(tiersOf('test/http/browseXtest.ts')).toEqual([]);
    expect(tiersOf('test/cli/db-cli.test.ts')).toEqual(['unit']);
  });
});
