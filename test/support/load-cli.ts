import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../server/config.js';

export interface LoadCliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; out: string; err: string }>;
}

/** `npm run load` as a child process (node --import tsx: one process, so a test can kill it). */
export function spawnLoadCli(args: string[], env: NodeJS.ProcessEnv): LoadCliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server', 'cli', 'load.ts'), ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { child, done };
}
