import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import type { Refresh, Touched, Update } from '../refresh/pipeline.js';
import { BatchWriter, noWrites, type RetryPolicy, type StaleReport } from './batch-writer.js';
import { IngestLock, lockOwner, type LockOptions } from './lock.js';
import { scrubLogText } from '../core/log-scrub.js';
import { readAll, type LoadProgress, type ReadAllResult } from './read-all.js';
import type { EntityRow, LoadSummary, RawRecord, Reject, TripleRow } from './types.js';
import { isReject, RowValidator } from './validate.js';

export type { LoadProgress } from './read-all.js';

export interface LoadOptions {
  pseudonymSecret: string;
  /** Rows per transaction (default 5000). */
  batchSize?: number;
  /** Concurrent write transactions (default 2); no two of them ever touch the same node. */
  lanes?: number;
  /** Node partitions the write schedule keeps apart (default 2 × lanes; see BatchWriter). */
  partitions?: number;
  /** Commits one batch at a time while the lanes' statements overlap (default true; see BatchWriter). */
  serialCommit?: boolean;
  /** Validate only; nothing is written (no database needed). */
  dryRun?: boolean;
  /** Every reject goes here; default: `<PATH>.rejects.csv` beside each PATH argument. */
  rejectsFile?: string;
  onProgress?: (p: LoadProgress) => void;
  retry?: RetryPolicy;
  log?: (line: string) => void;
  /** Reruns the derived values after the writes; the composition root hands it in (none: no refresh). */
  refresh?: Refresh;
  /**
   * The incremental path: with it, a load of at most `incrementalMaxRows` valid rows that
   * dropped no stale shares runs `update` for the keys it touched instead of `refresh`.
   */
  update?: Update;
  /** Largest load (valid rows) that is updated incrementally; default DEFAULT_INCREMENTAL_MAX_ROWS. */
  incrementalMaxRows?: number;
  /** The ingest lock (server/ingest/lock.ts): how long to wait for another load, and its timings. */
  lock?: LockOptions;
  /**
   * Sources whose earlier shares this load replaces wherever they came from (`--replace-source`):
   * a name matches the source itself and every file's scoped share of it (`NAME@folder/file`).
   */
  replaceSources?: string[];
  /**
   * Asked before the end of a file load deletes anything; false keeps the stale shares (and
   * the summary counts them as kept). None: deletions go ahead.
   */
  confirmDeletions?: (stale: StaleReport) => Promise<boolean>;
}

export { DEFAULT_BATCH_SIZE, DEFAULT_LANES } from './batch-writer.js';
/** Above this many valid rows a load refreshes derived values in full (an update would touch most of them anyway). */
export const DEFAULT_INCREMENTAL_MAX_ROWS = 10_000;

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * One load: validates records, collects them into batches and writes them; the single core
 * used by `npm run load`, `npm start`'s seeding and the `ingestTriples` mutation.
 */
class Ingestion {
  readonly validator: RowValidator;
  readonly writer?: BatchWriter;
  readonly started = Date.now();
  read = 0;
  loaded = 0;
  rejected = 0;
  propertiesDropped = 0;
  /** When the writes ended (before the derived refresh). */
  private writesEnded = 0;
  private derivedSeconds = 0;
  /** The process's peak RSS when the writes ended (before the refresh, which has its own). */
  private writePeakRssMb = 0;
  /** Held from the first write until the writes (and stale drops) end: loads are exclusive. */
  private lock?: IngestLock;
  /** Stored keys of what the valid rows touched, kept while the load is small enough to update incrementally. */
  private readonly touchedConsumers = new Set<string>();
  private readonly touchedEntities = new Map<string, string>();
  private readonly touchedDescribed = new Map<string, string>();
  private touchedOverflow = false;

  constructor(
    readonly db: Database | null,
    readonly vocabulary: Vocabulary,
    readonly options: LoadOptions,
  ) {
    this.validator = new RowValidator(vocabulary, options.pseudonymSecret);
    if (db && !options.dryRun) {
      this.writer = new BatchWriter(db, vocabulary, {
        lanes: options.lanes,
        partitions: options.partitions,
        serialCommit: options.serialCommit,
        batchSize: options.batchSize,
        retry: options.retry,
        log: options.log,
      });
      this.writer.beforeWrite = () => this.locked();
      this.writer.onRowRefused = (row, error) => {
        this.loaded--;
        this.rejected++;
        const where = row.origin ?? { file: '(unknown)', line: 0 };
        this.onReject?.({ ...where, field: '(row)', reason: `Neo4j refused the row (${error.code}): ${scrubLogText(error.message).slice(0, 200)}` });
      };
    }
  }

  /** Where rows Neo4j refused are reported (rejects file or the mutation's errors). */
  onReject?: (reject: Reject) => void;

  /** Validates one record; returns its reject, if any. Resolves after a full batch is queued. */
  async add(record: RawRecord): Promise<Reject | null> {
    this.read++;
    const row = record.kind === 'triple' ? this.validator.triple(record) : this.validator.entity(record);
    if (isReject(row)) {
      this.rejected++;
      return row;
    }
    row.origin = { file: record.file, line: record.line };
    this.touch(record.kind === 'triple' ? row as TripleRow : null, record.kind === 'entity' ? row as EntityRow : null);
    this.loaded++;
    if (record.kind === 'triple') {
      await this.writer?.addTriple(row as TripleRow);
    } else {
      const e = row as EntityRow;
      this.propertiesDropped += e.droppedProperties ?? 0;
      await this.writer?.addEntity(e);
      await this.writer?.addIdentifiers(e);
    }
    return null;
  }

  /** Notes the stored keys a valid row touches (the incremental path's input), up to the threshold. */
  private touch(t: TripleRow | null, e: EntityRow | null): void {
    if (this.touchedOverflow) return;
    if (this.read - this.rejected > (this.options.incrementalMaxRows ?? DEFAULT_INCREMENTAL_MAX_ROWS)) {
      this.touchedOverflow = true;
      this.touchedConsumers.clear();
      this.touchedEntities.clear();
      this.touchedDescribed.clear();
      return;
    }
    if (e?.identifiers?.length) {
      // Identifier columns are links (HAS_IDENTIFIER): the consumer's person may change.
      this.touchedConsumers.add(`${e.type}:${e.id}`);
    }
    if (e) {
      // Otherwise an entity row changes no link: only names and properties the derived values show.
      this.touchedDescribed.set(`${e.type}:${e.id}`, e.type);
      return;
    }
    const ends: [string, string][] = t ? [[t.sType, t.s], [t.oType, t.o]] : [];
    for (const [type, id] of ends) {
      if (type === 'Consumer') this.touchedConsumers.add(`${type}:${id}`);
      else this.touchedEntities.set(`${type}:${id}`, type);
    }
  }

  /** What this load touched, or null when it is too large or dropped stale shares (a full refresh is due). */
  touched(): Touched | null {
    const c = this.writer?.counts;
    if (this.touchedOverflow || (c && c.relationshipsDeleted + c.sharesDropped > 0)) return null;
    const keyed = (m: Map<string, string>) => [...m].map(([key, type]) => ({ type, key }));
    return { consumers: [...this.touchedConsumers], entities: keyed(this.touchedEntities), described: keyed(this.touchedDescribed) };
  }

  rejectOnly(): void {
    this.read++;
    this.rejected++;
  }

  /** Takes the ingest lock before the first write; afterwards checks it is still ours. */
  private async locked(): Promise<void> {
    if (this.lock) return this.lock.check();
    const lock = new IngestLock(this.db!, lockOwner(this.writer!.loadId), { log: this.options.log, ...this.options.lock });
    await lock.acquire();
    this.lock = lock;
  }

  /** Releases the ingest lock, if this load took it. */
  async unlock(): Promise<void> {
    await this.lock?.release();
  }

  /** Writes what is left; with `dropStale`, removes what redelivered sources no longer contain. */
  async finish(dropStale: boolean, files: string[] = []): Promise<void> {
    if (!this.writer) return;
    await this.writer.drain();
    this.lock?.check();
    if (dropStale) await this.writer.dropStaleShares(this.options.replaceSources, this.options.confirmDeletions, files);
    else await this.writer.dropClaims();
    await this.writer.finalCounts();
    await this.unlock();
    this.writesEnded = Date.now();
    this.writePeakRssMb = peakRssMb();
    if (this.options.refresh && this.db) {
      const touched = this.options.update ? this.touched() : null;
      if (touched) await this.options.update!(this.db, this.vocabulary, touched);
      else await this.options.refresh(this.db, this.vocabulary);
      this.derivedSeconds = (Date.now() - this.writesEnded) / 1000;
    }
  }

  summary(extra: { files: number; rejectsFiles: string[]; missing: string[] }): LoadSummary {
    const seconds = ((this.writesEnded || Date.now()) - this.started) / 1000;
    const c = this.writer?.counts ?? noWrites();
    return {
      read: this.read,
      loaded: this.loaded,
      rejected: this.rejected,
      propertiesDropped: this.propertiesDropped,
      ...c,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(this.read / Math.max(seconds, 0.001)),
      derivedSeconds: Math.round(this.derivedSeconds * 100) / 100,
      retries: this.writer?.retries ?? 0,
      deadlockRetries: this.writer?.deadlockRetries ?? 0,
      laneOverlap: this.writer?.overlap ?? 0,
      writePeakRssMb: this.writePeakRssMb || peakRssMb(),
      dryRun: !!this.options.dryRun,
      ...extra,
    };
  }
}

/**
 * Loads triple and entity files (or folders of them). Loading a source again replaces what it
 * contributed; a source is a row's `source` column, else its file name. Rejects go to the
 * rejects file(s); valid rows always load.
 */
export async function loadFiles(db: Database | null, vocabulary: Vocabulary, paths: string[], options: LoadOptions): Promise<LoadSummary> {
  const ingestion = new Ingestion(db, vocabulary, options);
  let result: ReadAllResult;
  try {
    result = await readAll(paths, vocabulary, ingestion, {
      rejectsFile: options.rejectsFile,
      onProgress: options.onProgress,
      afterRead: (files) => ingestion.finish(true, files.map((f) => f.source)),
    });
  } finally {
    await ingestion.unlock();
  }
  return ingestion.summary({ files: result.files.length, rejectsFiles: result.rejectsFiles, missing: result.missing });
}

/**
 * Ingests records given directly (the `ingestTriples` mutation). Same validation and semantics,
 * except that nothing is dropped for keys absent from the request: each call upserts the
 * shares of the (relationship, source) pairs it names. Rejects are returned, not written.
 */
export async function ingestRows(
  db: Database | null,
  vocabulary: Vocabulary,
  records: RawRecord[],
  options: LoadOptions,
): Promise<{ summary: LoadSummary; rejects: Reject[]; touched: Touched | null }> {
  const ingestion = new Ingestion(db, vocabulary, options);
  const rejects: Reject[] = [];
  ingestion.onReject = (reject) => rejects.push(reject);
  try {
    for (const record of records) {
      const reject = await ingestion.add(record);
      if (reject) rejects.push(reject);
    }
    await ingestion.finish(false);
  } finally {
    await ingestion.unlock();
  }
  return { summary: ingestion.summary({ files: 0, rejectsFiles: [], missing: [] }), rejects, touched: ingestion.touched() };
}
