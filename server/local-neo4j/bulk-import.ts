import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureLauncherBuilt, launcherJavaArgs } from './launcher-build.js';
import { importerPidOf, markSwap, recoverBulkImport, stagingOf, swapIn } from './bulk-staging.js';
import { localStatus, type LocalNeo4jOptions } from './local-neo4j.js';

/*
 * Neo4j's offline importer against the bundled Neo4j's store. The importer writes a new store
 * into a staging home (`<home>/bulk-import`); only a complete one is swapped into place, with a
 * marker file (`<home>/bulk-import.swap`) written first, so a process killed at any moment
 * leaves either the store as it was (staging is cleared on the next start) or a swap that the
 * next start finishes (roll forward): never a half-written store that Neo4j would open.
 */

/** An importer input: `--nodes=LABELS=path` or `--relationships=TYPE=path`. */
export interface ImporterInput {
  kind: 'nodes' | 'relationships';
  what: string;
  path: string;
  /** Has values with line breaks (read as multi-line fields). */
  multiline: boolean;
}

type Log = (line: string) => void;

/** Thrown when the importer cannot run or refuses the input; nothing of the store changed. */
export class BulkImportError extends Error {
  override name = 'BulkImportError';
}

/**
 * Runs the offline importer for `database` of the bundled Neo4j `o` (which must be stopped) on
 * `inputs`, and swaps the new store in. `onChild` gets the importer's pid (tests kill it).
 */
export async function importIntoLocalNeo4j(
  o: LocalNeo4jOptions,
  database: string,
  inputs: ImporterInput[],
  { log = () => undefined, onChild }: { log?: Log; onChild?: (pid: number) => void } = {},
): Promise<void> {
  if ((await localStatus(o)).running) throw new BulkImportError(`the bundled Neo4j (data ${o.home}) is running; the offline importer needs it stopped`);
  const recovered = recoverBulkImport(o.home);
  if (recovered) log(recovered);
  ensureLauncherBuilt(log);
  const staging = stagingOf(o.home);
  mkdirSync(staging, { recursive: true });
  const args = [
    ...launcherJavaArgs(o.heap),
    'import',
    '--exit-on-stdin-close',
    '--home',
    staging,
    // The database first: the last --nodes/--relationships option would take it for a file.
    database,
    `--array-delimiter=U+001F`,
    // Node ids are their index within their type (import-files.ts): integer id spaces.
    '--id-type=integer',
    // Our rows are validated: any bad entry is a bug to stop on, not to skip.
    '--bad-tolerance=0',
    `--max-off-heap-memory=${o.pagecache}`,
    `--report-file=${join(staging, 'import.report')}`,
  ];
  for (const input of inputs) args.push(`--${input.kind}=${input.what}=${input.path}`);
  const multiline = inputs.filter((i) => i.multiline).map((i) => i.path);
  if (multiline.length) args.push('--multiline-fields-format=v2', `--multiline-fields=${multiline.join(',')}`);

  log(`importing with Neo4j's offline importer into ${staging}…`);
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid !== undefined) {
    // A Neo4j start meanwhile must not clear the staging store under a live importer.
    writeFileSync(importerPidOf(o.home), String(child.pid));
    onChild?.(child.pid);
  }
  const tail: string[] = [];
  let done = false;
  const keep = (line: string) => {
    if (!line.trim()) return;
    if (line.includes('NEO4J_IMPORT_DONE')) done = true;
    tail.push(line);
    if (tail.length > 60) tail.shift();
    // The importer's report: its stage lines, and of its dotted progress lines every half.
    const t = line.trim();
    if (t === 'NEO4J_IMPORT_DONE' || /^\s*at /.test(line)) return;
    if (!t.startsWith('.') || / (50|100)% /.test(t)) log(`  importer: ${t}`);
  };
  createInterface({ input: child.stdout! }).on('line', keep);
  createInterface({ input: child.stderr! }).on('line', keep);
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0 || !done) {
    rmSync(staging, { recursive: true, force: true });
    throw new BulkImportError(`Neo4j's importer failed (exit ${code}); the database was not changed:\n${tail.slice(0, 8).concat(["…"], tail.slice(-6)).join('\n')}`);
  }
  if ((await localStatus(o)).running) {
    rmSync(staging, { recursive: true, force: true });
    throw new BulkImportError(`the bundled Neo4j (data ${o.home}) was started while the importer ran; the imported store was discarded: stop Neo4j and rerun`);
  }
  markSwap(o.home, database);
  swapIn(o.home, database);
}
