import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../db/neo4j.js';
import { applySchema } from '../../graph/setup.js';
import { loadStoredVocabulary, mergeVocabulary, storeVocabulary } from '../../graph/stored-vocabulary.js';
import type { Vocabulary } from '../../graph/vocabulary.js';
import { importIntoLocalNeo4j } from '../../local-neo4j/bulk-import.js';
import { recoverBulkImport } from '../../local-neo4j/bulk-staging.js';
import type { LocalNeo4jOptions } from '../../local-neo4j/local-neo4j.js';
import type { Refresh } from '../../refresh/pipeline.js';
import { noWrites } from '../batch-writer.js';
import type { LoadProgress } from '../load.js';
import { GRAPH_COUNTS, KGMETA_KEY_CONSTRAINT, MARK_SOURCES } from '../queries.js';
import { readAll, type RecordTarget } from '../read-all.js';
import type { EntityRow, LoadSummary, RawRecord, Reject, TripleRow } from '../types.js';
import { isReject, RowValidator } from '../validate.js';
import { BulkGraph } from './bulk-graph.js';
import { writeImportFiles } from './import-files.js';
import { readInParallel } from './parallel-read.js';
import { BULK_GRAPH_CONTENTS } from './queries.js';

/** A connection to the bundled Neo4j; `startedHere`: this process started it (and `close` stops it). */
export interface BulkConnection {
  db: Database;
  startedHere: boolean;
  pid?: number;
  close(): Promise<void>;
}

export interface BulkLoadOptions {
  pseudonymSecret: string;
  /** The bundled Neo4j whose store the importer writes. */
  local: LocalNeo4jOptions;
  /** The database to import (the bundled one has one: `neo4j`). */
  database: string;
  /** Connects to the bundled Neo4j, starting it when it is not running. */
  connect: () => Promise<BulkConnection>;
  rejectsFile?: string;
  onProgress?: (p: LoadProgress) => void;
  /** The files are read: progress from here on is the importer's own lines (through `log`). */
  onReadDone?: () => void;
  log?: (line: string) => void;
  refresh?: Refresh;
  /** Told the pid of the importer's JVM (tests kill it). */
  onImporter?: (pid: number) => void;
  /** Threads and smallest file of the parallel reader (parallel-read.ts); default: its own. */
  readThreads?: number;
  parallelMinBytes?: number;
}

/**
 * A load summary with the bulk path's phases (seconds); `indexSeconds` is the part of
 * `schemaSeconds` spent creating the constraints and indexes and waiting until they are online
 * (waited for: a search or keyed lookup right after the load must see the whole graph).
 */
export interface BulkSummary extends LoadSummary {
  bulk: { readSeconds: number; filesSeconds: number; importSeconds: number; startSeconds: number; schemaSeconds: number; indexSeconds: number; nodes: number; relationships: number };
}

/** The bulk path refused to run (not empty, not stopped, not the bundled one); nothing changed. */
export class BulkRefusedError extends Error {
  override name = 'BulkRefusedError';
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Validates records as the online loader does and adds the valid ones to the in-memory graph. */
class GraphTarget implements RecordTarget {
  readonly graph = new BulkGraph();
  private readonly validator: RowValidator;
  read = 0;
  loaded = 0;
  rejected = 0;
  propertiesDropped = 0;

  constructor(vocabulary: Vocabulary, pseudonymSecret: string) {
    this.validator = new RowValidator(vocabulary, pseudonymSecret);
  }

  add(record: RawRecord): Reject | null {
    this.read++;
    const row = record.kind === 'triple' ? this.validator.triple(record) : this.validator.entity(record);
    if (isReject(row)) {
      this.rejected++;
      return row;
    }
    this.loaded++;
    if (record.kind === 'triple') this.graph.addTriple(row as TripleRow);
    else {
      const e = row as EntityRow;
      this.propertiesDropped += e.droppedProperties ?? 0;
      this.graph.addEntity(e);
    }
    return null;
  }

  rejectOnly(): void {
    this.read++;
    this.rejected++;
  }
}

/** The store folder of `database` in the bundled Neo4j: absent until its first start or import. */
export const storeDirOf = (local: LocalNeo4jOptions, database: string) => join(local.home, 'data', 'databases', database);

/** Checks the store is empty and Neo4j can be stopped; returns the vocabulary stored in it. */
async function checkEmpty(options: BulkLoadOptions, fileVocabulary: Vocabulary): Promise<Vocabulary> {
  // A fresh data folder has no store yet: empty without starting Neo4j.
  if (!existsSync(storeDirOf(options.local, options.database))) return fileVocabulary;
  const c = await options.connect();
  try {
    const [row] = await c.db.read('bulk-contents', BULK_GRAPH_CONTENTS);
    const nodes = Number(row?.nodes ?? 0);
    const relationships = Number(row?.relationships ?? 0);
    if (nodes > 0 || relationships > 0) {
      throw new BulkRefusedError(
        `--bulk loads only into an empty database, and the bundled Neo4j (data ${options.local.home}) holds ${nodes} node(s) and ${relationships} relationship(s); ` +
          'load without --bulk to add to it',
      );
    }
    if (!c.startedHere) {
      throw new BulkRefusedError(
        `the bundled Neo4j is running (pid ${c.pid ?? '?'}) for another command; the offline importer needs it stopped: run \`npm run db -- stop\` (or stop \`npm start\`) and rerun`,
      );
    }
    return mergeVocabulary(await loadStoredVocabulary(c.db), fileVocabulary);
  } finally {
    await c.close();
  }
}

/**
 * `npm run load -- --bulk`: reads, validates and pseudonymises the files exactly as the online
 * loader does (same readers, validator, rejects file), builds the graph the online writer
 * would build on an empty database, writes it with Neo4j's offline importer into the stopped
 * bundled Neo4j, then starts it, applies the schema, stores the vocabulary and source marks
 * as a load does, and runs the refresh.
 */
export async function bulkLoadFiles(fileVocabulary: Vocabulary, paths: string[], options: BulkLoadOptions): Promise<BulkSummary> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const recovered = existsSync(options.local.home) ? recoverBulkImport(options.local.home) : null;
  if (recovered) log(recovered);
  const vocabulary = await checkEmpty(options, fileVocabulary);

  const { read, loaded, rejected, propertiesDropped, files, missing, rejectsFiles, sources, shares, nodeCount, relationships, loadId, readEnded, filesEnded, importEnded } =
    await readAndImport(vocabulary, paths, options, log);

  const c = await options.connect();
  let writesEnded: number;
  let startEnded = 0;
  let indexesEnded = 0;
  let derivedSeconds = 0;
  const counts = noWrites();
  try {
    startEnded = Date.now();
    // The same set-up an online load runs before its first write, now on the imported graph.
    await applySchema(c.db, vocabulary);
    indexesEnded = Date.now();
    await storeVocabulary(c.db, vocabulary);
    await c.db.autoCommit('ingest-setup', KGMETA_KEY_CONSTRAINT);
    for (let i = 0; i < sources.length; i += 1_000) {
      await c.db.write('bulk-mark-sources', MARK_SOURCES, { sources: sources.slice(i, i + 1_000), load: loadId });
    }
    const [row] = await c.db.read('ingest-counts', GRAPH_COUNTS);
    counts.entitiesCreated = Number(row?.entities ?? 0);
    counts.relationshipsCreated = Number(row?.relationships ?? 0);
    counts.relationshipsUpdated = Math.max(0, shares - counts.relationshipsCreated);
    writesEnded = Date.now();
    log(`imported graph online: schema, vocabulary and source marks in ${round((writesEnded - startEnded) / 1000)} s`);
    log(
      `bulk load before the refresh: ${round((writesEnded - started) / 1000)} s (read ${round((readEnded - started) / 1000)}, files ${round((filesEnded - readEnded) / 1000)}, ` +
        `importer ${round((importEnded - filesEnded) / 1000)}, Neo4j start ${round((startEnded - importEnded) / 1000)}, schema ${round((writesEnded - startEnded) / 1000)} s); loader peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    );
    if (options.refresh) {
      await options.refresh(c.db, vocabulary);
      derivedSeconds = (Date.now() - writesEnded) / 1000;
    }
    const seconds = (writesEnded - started) / 1000;
    return {
      read,
      loaded,
      rejected,
      propertiesDropped,
      ...counts,
      seconds: round(seconds),
      rowsPerSecond: Math.round(read / Math.max(seconds, 0.001)),
      derivedSeconds: round(derivedSeconds),
      // The importer writes offline: no transactions to retry; its memory is the importer's.
      retries: 0,
      deadlockRetries: 0,
      writePeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      dryRun: false,
      files: files.length,
      rejectsFiles,
      missing,
      bulk: {
        readSeconds: round((readEnded - started) / 1000),
        filesSeconds: round((filesEnded - readEnded) / 1000),
        importSeconds: round((importEnded - filesEnded) / 1000),
        startSeconds: round((startEnded - importEnded) / 1000),
        schemaSeconds: round((writesEnded - startEnded) / 1000),
        indexSeconds: round((indexesEnded - startEnded) / 1000),
        nodes: nodeCount,
        relationships,
      },
    };
  } finally {
    await c.close();
  }
}

/**
 * Reads the files into the in-memory graph and imports it, returning only what the rest of
 * the load needs: the graph (about 1.5 GB at 10M rows) is garbage before the refresh runs.
 */
async function readAndImport(vocabulary: Vocabulary, paths: string[], options: BulkLoadOptions, log: (line: string) => void) {
  const target = new GraphTarget(vocabulary, options.pseudonymSecret);
  const graph = target.graph;
  const { files, missing, rejectsFiles } = await readAll(paths, vocabulary, target, {
    rejectsFile: options.rejectsFile,
    onProgress: options.onProgress,
    readWhole: (file, reject, onBytes, onProgress) =>
      readInParallel(file, graph, target, reject, { vocabulary, pseudonymSecret: options.pseudonymSecret, threads: options.readThreads, minBytes: options.parallelMinBytes }, onBytes, onProgress),
  });
  const { read, loaded, rejected, propertiesDropped } = target;
  const readEnded = Date.now();
  options.onReadDone?.();

  const loadId = randomUUID();
  const inputDir = join(options.local.home, 'bulk-input');
  rmSync(inputDir, { recursive: true, force: true });
  let filesEnded = readEnded;
  let importEnded = readEnded;
  try {
    if (graph.nodeCount > 0) {
      const inputs = await writeImportFiles(graph, inputDir, loadId);
      filesEnded = Date.now();
      log(`wrote ${graph.nodeCount} nodes and ${graph.relationships} relationships for the importer in ${round((filesEnded - readEnded) / 1000)} s`);
      await importIntoLocalNeo4j(options.local, options.database, inputs, { log, onChild: options.onImporter });
      importEnded = Date.now();
    }
  } finally {
    rmSync(inputDir, { recursive: true, force: true });
  }

  return {
    read,
    loaded,
    rejected,
    propertiesDropped,
    files,
    missing,
    rejectsFiles,
    loadId,
    readEnded,
    filesEnded,
    importEnded,
    sources: graph.sources,
    shares: graph.shares,
    nodeCount: graph.nodeCount,
    relationships: graph.relationships,
  };
}
