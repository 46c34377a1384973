import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/config.js';

const tsx = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const refresh = (args: string[]) =>
  spawnSync(process.execPath, [tsx, join(repoRoot, 'server', 'cli', 'refresh.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run refresh (before connecting)', () => {
  it('prints its usage with the step names on --help', () => {
    const r = refresh(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--step NAME/);
    expect(r.stdout).toMatch(/degrees, recommend, insights/);
  });

  it('refuses an unknown step or option with exit 2, naming it and the known steps', () => {
    const r = refresh(['--step', 'segments']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown step "segments"; steps: identity, degrees, recommend, insights/);
    expect(refresh(['--bogus']).status).toBe(2);
  });
});
