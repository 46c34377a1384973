import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/config.js';

const tsx = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const db = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [tsx, join(repoRoot, 'server', 'cli', 'db.ts'), ...args], { encoding: 'utf8', env, timeout: 60_000 });

describe('npm run db', () => {
  it('prints a one-line usage on --help', () => {
    const r = db(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/start\|stop\|status/);
  });

  it('exits non-zero with the usage on a bad argument', () => {
    const r = db(['restart']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage/);
  });

  it('says in one line what to install when Java is missing', () => {
    const r = db(['build'], { ...process.env, PATH: '/nonexistent', NEO4J_URI: '' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/Java 17\+ .*install/);
  });
});
