import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { dataDir } from '../config.js';
import { recoverBulkImport } from './bulk-staging.js';
import { ensureLauncherBuilt, launcherJavaArgs } from './launcher-build.js';

export interface LocalNeo4jOptions {
  /** Neo4j home: store files, our pid file and log live here. */
  home: string;
  port: number;
  passwordFile: string;
  /** JVM heap, e.g. "2g". */
  heap: string;
  /** Page cache, e.g. "1g". */
  pagecache: string;
}

export interface LocalNeo4jConnection {
  uri: string;
  user: string;
  password: string;
}

export interface RunningLocalNeo4j extends LocalNeo4jConnection {
  pid: number;
  /** True when this process started it (and so stops it); false when it was already running. */
  startedHere: boolean;
  /** Stops it if we started it; a no-op for an instance somebody else started. */
  stop(): Promise<void>;
}

export interface LocalStatus {
  running: boolean;
  pid?: number;
  port: number;
  boltUp: boolean;
  home: string;
  log: string;
}

type Log = (line: string) => void;

/** The user's bundled Neo4j: `.data/neo4j`, Bolt on 127.0.0.1:7687 (NEO4J_LOCAL_PORT overrides). */
export function defaultLocalOptions(env: NodeJS.ProcessEnv = process.env): LocalNeo4jOptions {
  const port = Number(env.NEO4J_LOCAL_PORT ?? 7687);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`NEO4J_LOCAL_PORT must be a port number, got "${env.NEO4J_LOCAL_PORT}"`);
  }
  return {
    home: join(dataDir, 'neo4j'),
    port,
    passwordFile: join(dataDir, 'neo4j-password'),
    heap: env.NEO4J_LOCAL_HEAP ?? '2g',
    pagecache: env.NEO4J_LOCAL_PAGECACHE ?? '1g',
  };
}

const pidFileOf = (o: LocalNeo4jOptions) => join(o.home, 'neo4j-local.pid');
export const logFileOf = (o: LocalNeo4jOptions) => join(o.home, 'logs', 'neo4j-local.log');

/** The generated password of the bundled Neo4j, created on first use (mode 600). */
export function localPassword(o: LocalNeo4jOptions): string {
  if (!existsSync(o.passwordFile)) {
    mkdirSync(join(o.passwordFile, '..'), { recursive: true });
    writeFileSync(o.passwordFile, randomBytes(18).toString('base64url') + '\n', { mode: 0o600 });
  }
  return readFileSync(o.passwordFile, 'utf8').trim();
}

function connectionOf(o: LocalNeo4jOptions): LocalNeo4jConnection {
  return { uri: `bolt://127.0.0.1:${o.port}`, user: 'neo4j', password: localPassword(o) };
}

function readPid(o: LocalNeo4jOptions): number | undefined {
  try {
    const pid = Number(JSON.parse(readFileSync(pidFileOf(o), 'utf8')).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Alive and really our launcher (guards against a recycled pid). */
function isOurProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('neo4j-local');
  } catch {
    return true; // no /proc (macOS): trust the live pid
  }
}

async function boltAnswers(c: LocalNeo4jConnection): Promise<boolean> {
  const driver = neo4j.driver(c.uri, neo4j.auth.basic(c.user, c.password), { connectionTimeout: 2_000 });
  try {
    await driver.verifyConnectivity();
    return true;
  } catch {
    return false;
  } finally {
    await driver.close();
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Reports whether the bundled Neo4j of `o` runs and answers Bolt. */
export async function localStatus(o: LocalNeo4jOptions): Promise<LocalStatus> {
  const pid = readPid(o);
  const running = pid !== undefined && isOurProcess(pid);
  const boltUp = running ? await boltAnswers(connectionOf(o)) : false;
  return { running, pid: running ? pid : undefined, port: o.port, boltUp, home: o.home, log: logFileOf(o) };
}

/** How long a start may take: NEO4J_LOCAL_START_TIMEOUT_MS, else 180 s (a loaded machine can need more). */
export function startTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.NEO4J_LOCAL_START_TIMEOUT_MS;
  if (raw === undefined || raw === '') return 180_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1000) throw new Error(`NEO4J_LOCAL_START_TIMEOUT_MS must be a whole number of milliseconds ≥ 1000, got "${raw}"`);
  return ms;
}

/**
 * Starts the bundled Neo4j and resolves once Bolt answers with our password.
 * `detached`: it outlives this process (`npm run db -- start`); otherwise it is tied to us
 * through its stdin and exits when we do, even if we are killed.
 */
export async function startLocalNeo4j(
  o: LocalNeo4jOptions,
  { detached = false, log = () => undefined, timeoutMs = startTimeoutMs() }: { detached?: boolean; log?: Log; timeoutMs?: number } = {},
): Promise<RunningLocalNeo4j> {
  const status = await localStatus(o);
  if (status.running) throw new Error(`the bundled Neo4j already runs (pid ${status.pid}, data ${o.home})`);
  if (!(await portIsFree(o.port))) {
    throw new Error(`port ${o.port} on 127.0.0.1 is taken by another program; stop it or set NEO4J_LOCAL_PORT to a free port`);
  }
  ensureLauncherBuilt(log);
  // An interrupted bulk import never leaves a half store for Neo4j to open (bulk-staging.ts).
  const recovered = existsSync(o.home) ? recoverBulkImport(o.home) : null;
  if (recovered) log(recovered);
  const conn = connectionOf(o);
  const logFile = logFileOf(o);
  mkdirSync(join(logFile, '..'), { recursive: true });
  // The store and logs hold consumer pseudonyms and query text: closed to other local users.
  chmodSync(o.home, 0o700);
  if (existsSync(logFile)) renameSync(logFile, `${logFile}.1`);
  const logFd = openSync(logFile, 'a');

  const args = [
    ...launcherJavaArgs(o.heap),
    '--home',
    o.home,
    '--port',
    String(o.port),
    '--password-file',
    o.passwordFile,
    '--pagecache',
    o.pagecache,
  ];
  if (!detached) args.push('--exit-on-stdin-close');
  log(`starting the bundled Neo4j on 127.0.0.1:${o.port} (data ${o.home}, log ${logFile})…`);
  const child: ChildProcess = spawn('java', args, {
    detached,
    stdio: [detached ? 'ignore' : 'pipe', logFd, logFd],
  });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start java for the bundled Neo4j');
  writeFileSync(pidFileOf(o), JSON.stringify({ pid, port: o.port, startedAt: new Date().toISOString() }));

  let exited: number | null | undefined;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  if (detached) child.unref();

  try {
    await waitForReady(logFile, conn, () => exited !== undefined, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(pidFileOf(o), { force: true });
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-12).join('\n') : '';
    throw new Error(`${(error as Error).message}\n--- last lines of ${logFile} ---\n${tail}`);
  }

  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await exitPromise;
    clearTimeout(killer);
    rmSync(pidFileOf(o), { force: true });
  };
  return { ...conn, pid, startedHere: true, stop };
}

async function waitForReady(logFile: string, conn: LocalNeo4jConnection, hasExited: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  // The launcher prints NEO4J_READY after setting the password; before that Bolt may refuse us.
  while (!readFileSync(logFile, 'utf8').includes('NEO4J_READY')) {
    if (hasExited()) throw new Error('the bundled Neo4j exited during start');
    if (Date.now() > deadline) throw new Error(`the bundled Neo4j did not start within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  while (!(await boltAnswers(conn))) {
    if (hasExited()) throw new Error('the bundled Neo4j exited during start');
    if (Date.now() > deadline) throw new Error(`Bolt on ${conn.uri} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stops a bundled Neo4j started by anyone (`npm run db -- stop`); true if one was running. */
export async function stopLocalNeo4j(o: LocalNeo4jOptions, timeoutMs = 60_000): Promise<boolean> {
  const pid = readPid(o);
  if (pid === undefined || !isOurProcess(pid)) {
    rmSync(pidFileOf(o), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isOurProcess(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  rmSync(pidFileOf(o), { force: true });
  return true;
}

/**
 * Uses the bundled Neo4j if it already runs (and leaves it running), or starts it tied to
 * this process (stopped by `stop()` or when we exit).
 */
export async function useOrStartLocalNeo4j(o: LocalNeo4jOptions, log: Log = () => undefined): Promise<RunningLocalNeo4j> {
  const status = await localStatus(o);
  if (status.running) {
    const conn = connectionOf(o);
    if (!status.boltUp && !(await waitBolt(conn, 60_000))) {
      throw new Error(`the bundled Neo4j (pid ${status.pid}) runs but Bolt on ${conn.uri} does not answer; see ${logFileOf(o)}`);
    }
    log(`using the bundled Neo4j already running (pid ${status.pid}) on ${conn.uri}`);
    return { ...conn, pid: status.pid!, startedHere: false, stop: async () => undefined };
  }
  return startLocalNeo4j(o, { log });
}

async function waitBolt(conn: LocalNeo4jConnection, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await boltAnswers(conn)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}
