import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Where the offline importer stages a new store of the bundled Neo4j, and how it is swapped in
 * (see bulk-import.ts). Apart from local-neo4j.ts so that its start can recover without a cycle.
 */

export const stagingOf = (home: string) => join(home, 'bulk-import');
export const swapMarkerOf = (home: string) => join(home, 'bulk-import.swap');
/** The store folders of one database in a Neo4j home. */
const storeDirs = (home: string, database: string) => [join(home, 'data', 'databases', database), join(home, 'data', 'transactions', database)];

/**
 * Finishes or clears what an interrupted bulk import left (run before Neo4j starts): a swap
 * that had begun is completed; a staging store without a swap marker is deleted. Returns what
 * was done, for the caller to say, or null when nothing was left.
 */
export function recoverBulkImport(home: string): string | null {
  const staging = stagingOf(home);
  const marker = swapMarkerOf(home);
  let importer = runningImporter(home);
  // An importer whose parent was just killed halts within moments (it watches its stdin).
  for (let waited = 0; importer && waited < 10_000; waited += 200) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    importer = runningImporter(home);
  }
  if (importer) throw new Error(`a bulk import into ${home} is running (pid ${importer}); wait for it to finish`);
  if (existsSync(marker)) {
    const database = readMarker(marker);
    swapIn(home, database);
    return `an earlier bulk import had finished but was interrupted while its store was moved into place; the move is now complete (database ${database})`;
  }
  if (existsSync(staging)) {
    rmSync(staging, { recursive: true, force: true });
    return 'an earlier bulk import was interrupted before it finished; its partial store was deleted and the database is as it was before that import';
  }
  return null;
}

/** The pid file of the importer writing the staging store. */
export const importerPidOf = (home: string) => join(stagingOf(home), 'importer.pid');

/** The pid of a live importer JVM writing this home's staging store, if any. */
function runningImporter(home: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(importerPidOf(home), 'utf8'));
    process.kill(pid, 0);
  } catch {
    return null;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('neo4j-local') ? pid : null;
  } catch {
    return pid; // no /proc (macOS): trust the live pid
  }
}

function readMarker(marker: string): string {
  return String(JSON.parse(readFileSync(marker, 'utf8')).database);
}

/** Moves the staged store folders over the live ones (each move idempotent), then clears up. */
export function swapIn(home: string, database: string): void {
  const staged = storeDirs(stagingOf(home), database);
  const live = storeDirs(home, database);
  for (let i = 0; i < live.length; i++) {
    if (!existsSync(staged[i]!)) continue; // already moved before the interruption
    rmSync(live[i]!, { recursive: true, force: true });
    mkdirSync(join(live[i]!, '..'), { recursive: true });
    renameSync(staged[i]!, live[i]!);
  }
  rmSync(swapMarkerOf(home), { force: true });
  rmSync(stagingOf(home), { recursive: true, force: true });
}

/** Records that the staged store is complete: from here on, a restart finishes the swap. */
export function markSwap(home: string, database: string): void {
  writeFileSync(swapMarkerOf(home), JSON.stringify({ database, at: new Date().toISOString() }));
}
