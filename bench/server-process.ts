import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../server/config.js';

export interface BenchServer {
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  pid: number;
  /** The server process's resident set size now, in MB (from /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  neo4j: { uri: string; user: string; password: string };
  pseudonymSecret: string;
  /**
   * Environment for the app's own config. The bench sets RATE_LIMIT_PER_MINUTE=0 (rate
   * limiting off, by configuration) because the load generator is one client sending
   * thousands of requests a minute.
   */
  env?: Record<string, string>;
  /** Checkout whose app to start (default this one): another worktree, for an A/B run against the same Neo4j. */
  root?: string;
}

/** RSS of a live process in MB, from /proc/PID/status (Linux); 0 when unreadable. */
export function processRssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Starts the real app (bench/app-process.ts) in a child process and waits for its port. */
export function startBenchServer(o: BenchServerOptions): Promise<BenchServer> {
  // BENCH_SERVER_CPU_PROF=DIR writes a V8 CPU profile of the server process to DIR when it stops (where a request's time goes).
  const profile = process.env.BENCH_SERVER_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SERVER_CPU_PROF] : [];
  const root = o.root ?? repoRoot;
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(root, 'bench', 'app-process.ts')], {
    cwd: root,
    env: {
      ...process.env,
      NEO4J_URI: o.neo4j.uri,
      NEO4J_USER: o.neo4j.user,
      NEO4J_PASSWORD: o.neo4j.password,
      NEO4J_DATABASE: 'neo4j',
      PSEUDONYM_SECRET: o.pseudonymSecret,
      RATE_LIMIT_PER_MINUTE: '0',
      // Anonymous callers have their own limit (3,000 a minute by default): the load generator is anonymous.
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...o.env,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the bench server did not start within 120 s'));
    }, 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bench server exited with ${code} before listening`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (!out.includes('\n') || !line) return;
      clearTimeout(timer);
      const { port } = JSON.parse(line) as { port: number };
      const pid = child.pid!;
      resolve({
        url: `http://127.0.0.1:${port}/graphql`,
        pid,
        rssMb: () => processRssMb(pid),
        stop: async () => {
          if (child.exitCode === null) {
            child.kill('SIGTERM');
            const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await exited;
            clearTimeout(timeout);
          }
        },
      });
    });
  });
}
