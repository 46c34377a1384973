import { randomUUID } from 'node:crypto';
import {
  CLAIM_BATCH,
  COUNT_STALE_SHARES,
  countRelationshipTypes,
  createRelationships,
  DROP_BATCH_CLAIMS,
  DROP_STALE_SHARES,
  GRAPH_COUNTS,
  ID_CONSTRAINTS,
  KGMETA_KEY_CONSTRAINT,
  MARK_SOURCES,
  mergeEntities,
  MERGE_IDENTIFIER_LINKS,
  mergeRelationships,
  mergeTripleNodes,
  NO_FIRST,
  NO_LAST,
  SOURCES_NAMED,
  SOURCES_OF_FILES,
} from './queries.js';
import { DatabaseError, DatabaseUnavailableError } from '../db/errors.js';
import type { Database, Params } from '../db/neo4j.js';
import { HAS_IDENTIFIER, IDENTIFIER_LABEL } from '../graph/schema-statements.js';
import { applySchema } from '../graph/setup.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import type { EntityRow, TripleRow } from './types.js';

const DEADLOCK = 'Neo.TransientError.Transaction.DeadlockDetected';
/** Deadlocks retried at once before the ordinary back-off applies. */
const DEADLOCK_RETRIES = 5;
/** Code of a lane that gave up waiting for its commit turn (retried like a transient error). */
const COMMIT_WAIT = 'Neo.TransientError.Transaction.CommitTurnTimedOut';
/**
 * Shortest limit on the wait for the commit turn: a lane that waits longer (and longer than a few
 * of the slowest commits so far) may hold a lock the committing one needs, so it rolls back and
 * retries at once. A first commit on a loaded machine took over 30 s.
 */
const COMMIT_WAIT_LIMIT_MS = 60_000;

/** Neo4j stayed unavailable through every retry; rerunning the same load completes it. */
export class LoadInterruptedError extends Error {
  override name = 'LoadInterruptedError';
}

export interface WriteCounts {
  entitiesCreated: number;
  entitiesUpdated: number;
  relationshipsCreated: number;
  relationshipsUpdated: number;
  /** Relationships deleted because no source share was left (issue 17: the summary says so). */
  relationshipsDeleted: number;
  /** Source shares dropped (no longer in their source's new delivery). */
  sharesDropped: number;
  /** Stale shares left in place because the deletion was not confirmed. */
  sharesKept: number;
}

/** What the end of a load would delete, and how much it wrote: the input of a confirmation. */
export interface StaleReport {
  shares: number;
  relationships: number;
  /** Relationship rows this load applied. */
  written: number;
  sources: string[];
}

export interface RetryPolicy {
  /** Waits before each retry (ms); the load stops after the last. */
  delaysMs: number[];
}

export const defaultRetry: RetryPolicy = { delaysMs: [1_000, 2_000, 4_000, 8_000, 16_000] };

/** Remembered node ids, so nodes are merged once per load, not once per row; bounded (memory stays flat). */
const SEEN_LIMIT = 500_000;

export const DEFAULT_LANES = 2;

/** Entity types known to have their id constraint, per database. */
const constrainedLabels = new WeakMap<Database, Set<string>>();
export const DEFAULT_BATCH_SIZE = 5_000;

export interface WriterOptions {
  /** Concurrent write transactions (default 2: the machines have two cores). */
  lanes?: number;
  /** Node partitions (default 2 × lanes): a batch holds the rows of one pair of partitions. */
  partitions?: number;
  /** Rows a batch holds (default 5000). */
  batchSize?: number;
  /**
   * Commits one batch at a time (default true): lanes run their statements concurrently, but
   * Neo4j links new relationships into the endpoints' chains at COMMIT, locking neighbouring
   * relationship records, and two commits at once could deadlock on them.
   */
  serialCommit?: boolean;
  retry?: RetryPolicy;
  log?: (line: string) => void;
}

interface RelAgg {
  s: string;
  o: string;
  src: string;
  w: number;
  n: number;
  first: number;
  last: number;
  /** An identifier link's column (absent on other relationships). */
  kind?: string;
}

/** What a load that wrote nothing (a dry run) reports. */
export const noWrites = (): WriteCounts => ({
  entitiesCreated: 0,
  entitiesUpdated: 0,
  relationshipsCreated: 0,
  relationshipsUpdated: 0,
  relationshipsDeleted: 0,
  sharesDropped: 0,
  sharesKept: 0,
});

/** The partition of a node (type, id): FNV-1a, so a node always has the same one. */
export function partitionOf(type: string, id: string, partitions: number): number {
  if (partitions === 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < type.length; i++) h = Math.imul(h ^ type.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0xff, 0x01000193);
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % partitions;
}

/**
 * A fixed-size Bloom filter of strings (8 MB, 4 probes by double hashing): "no" is certain,
 * "maybe" may be wrong (about 0.4% of the time at 5M keys, 4% at 10M). Memory does not grow
 * with the load, unlike a set of every key.
 */
export class KeyFilter {
  private readonly bits: Uint8Array;
  private readonly mask: number;
  constructor(log2Bits = 26) {
    this.bits = new Uint8Array(2 ** (log2Bits - 3));
    this.mask = 2 ** log2Bits - 1;
  }

  /** Adds `key`; returns whether it may have been added before. */
  add(key: string): boolean {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h2 |= 1;
    let seen = true;
    for (let k = 0; k < 4; k++) {
      const bit = (h1 + Math.imul(k, h2)) & this.mask;
      const byte = bit >>> 3;
      const flag = 1 << (bit & 7);
      if ((this.bits[byte]! & flag) === 0) {
        seen = false;
        this.bits[byte]! |= flag;
      }
    }
    return seen;
  }
}

interface Cell {
  /** The partitions its rows touch (two, one, or at the end of a load those of several cells). */
  parts: number[];
  /** Its slot in `cells`. */
  at: number;
  triples: TripleRow[];
  entities: EntityRow[];
}

/**
 * Writes validated rows in batches, one transaction each, at most `lanes` at a time, without
 * two concurrent transactions ever touching the same node: every node has a partition
 * (`partitionOf`); a relationship's rows are collected in the cell of its two endpoints'
 * partitions, an entity's in the cell of its own partition twice, and a batch (a full cell)
 * only starts while no running batch holds either of its partitions. So transactions never
 * wait for each other's locks and never deadlock (they did when lanes were keyed by
 * relationship: two lanes locked the same consumer or product). Batches of one cell run in
 * the order they filled, so later rows of a key are applied after earlier ones. Memory is
 * bounded: the cells, a short queue of full batches and the running ones.
 * One instance is one load, with its own load id.
 */
export class BatchWriter {
  readonly loadId = randomUUID();
  readonly counts: WriteCounts = noWrites();
  readonly lanes: number;
  readonly partitions: number;
  readonly batchSize: number;
  /** Transactions retried after a deadlock (zero in a load that only this loader writes to). */
  deadlockRetries = 0;
  /** Transactions retried for any transient reason, deadlocks included. */
  retries = 0;
  private batches = 0;
  private batchesLogged = 0;
  private laneMs = 0;
  private writingMs = 0;
  private tallied = 0;
  private readonly cells: (Cell | undefined)[];
  private readonly queued: Cell[] = [];
  private readonly busy: Uint8Array;
  private running = 0;
  private readonly maxQueued: number;
  private wakers: (() => void)[] = [];
  private readonly seen = new Set<string>();
  private readonly markedSources = new Set<string>();
  private marking: Promise<void> = Promise.resolve();
  /** Sources an earlier load delivered: their shares this load does not touch are dropped at the end. */
  readonly redelivered = new Set<string>();
  private failure: unknown;
  private preparing?: Promise<void>;
  /** Relationship rows applied (after aggregation per batch). */
  private relationshipRows = 0;
  private before?: { entities: number; relationships: number };
  /**
   * Relationship types that had no relationship when this load started, and the keys this load
   * wrote: a row of such a type whose key the filter has not seen is new, so it is created
   * without MERGE's existence check (the ingest lock keeps other loads out meanwhile).
   */
  private freshTypes = new Set<string>();
  private written?: KeyFilter;
  private readonly retry: RetryPolicy;
  private readonly log: (line: string) => void;
  readonly serialCommit: boolean;
  private committing = false;
  private commitWaiters: (() => void)[] = [];
  /** Lane-seconds spent running batch statements, waiting for the commit turn, and committing. */
  readonly timing = { statementsMs: 0, commitWaitMs: 0, commitMs: 0 };
  private slowestCommitMs = 0;

  constructor(
    private readonly db: Database,
    private readonly vocabulary: Vocabulary,
    options: WriterOptions = {},
  ) {
    this.lanes = Math.max(1, options.lanes ?? DEFAULT_LANES);
    this.partitions = Math.max(1, options.partitions ?? (this.lanes === 1 ? 1 : 2 * this.lanes));
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    this.retry = options.retry ?? defaultRetry;
    this.serialCommit = options.serialCommit ?? true;
    this.log = options.log ?? (() => undefined);
    this.cells = new Array(this.partitions * this.partitions);
    this.busy = new Uint8Array(this.partitions);
    this.maxQueued = 2 * this.lanes;
  }

  /** Queues a triple; resolves at once unless full batches are waiting for Neo4j. */
  addTriple(t: TripleRow): Promise<void> {
    const a = partitionOf(t.sType, t.s, this.partitions);
    const b = partitionOf(t.oType, t.o, this.partitions);
    const cell = this.cell(Math.min(a, b), Math.max(a, b));
    cell.triples.push(t);
    return this.filled(cell);
  }

  /**
   * Queues a Consumer row's identifier links (`HAS_IDENTIFIER` to each hashed key, its source's
   * share), each in the cell of the consumer's and the identifier's partitions like a triple: two
   * lanes never lock one identifier node.
   */
  async addIdentifiers(e: EntityRow): Promise<void> {
    for (const { kind, key } of e.identifiers ?? []) {
      await this.addTriple({ origin: e.origin, s: e.id, sType: 'Consumer', rel: HAS_IDENTIFIER, o: key, oType: IDENTIFIER_LABEL, weight: 1, ts: null, source: e.source ?? 'api', kind });
    }
  }

  /** Queues an entity row (in its node's own cell, so its rows keep their order). */
  addEntity(e: EntityRow): Promise<void> {
    const p = partitionOf(e.type, e.id, this.partitions);
    const cell = this.cell(p, p);
    cell.entities.push(e);
    return this.filled(cell);
  }

  private cell(lo: number, hi: number): Cell {
    const at = lo * this.partitions + hi;
    return (this.cells[at] ??= { parts: lo === hi ? [lo] : [lo, hi], at, triples: [], entities: [] });
  }

  private async filled(cell: Cell): Promise<void> {
    if (this.failure) throw this.failure;
    if (cell.triples.length + cell.entities.length < this.batchSize) return;
    this.cells[cell.at] = undefined;
    await this.enqueue(cell);
  }

  /** Called before each batch is queued (the load takes or checks its ingest lock there). */
  beforeWrite?: () => Promise<void>;

  private async enqueue(cell: Cell): Promise<void> {
    await this.beforeWrite?.();
    if (!this.before) await (this.preparing ??= this.prepare());
    this.queued.push(cell);
    this.dispatch();
    while (this.queued.length > this.maxQueued && !this.failure) await this.changed();
    if (this.failure) throw this.failure;
  }

  /** Before the first write: the constraints MERGE and batch claims rely on, and the counts before. */
  private async prepare(): Promise<void> {
    await this.withRetry('setup', () => this.db.autoCommit('ingest-setup', KGMETA_KEY_CONSTRAINT));
    // Without the id constraints every MERGE would scan its label. Checked once a process per
    // database (again when a vocabulary names a type not seen constrained).
    const known = constrainedLabels.get(this.db);
    if (!known || this.vocabulary.entityTypes.some((t) => !known.has(t))) {
      const rows = await this.withRetry('constraints', () => this.db.read('ingest-id-constraints', ID_CONSTRAINTS));
      const constrained = new Set(rows.flatMap((r) => (r.labels as string[] | null) ?? []));
      if (this.vocabulary.entityTypes.some((t) => !constrained.has(t))) {
        await applySchema(this.db, this.vocabulary);
        for (const t of this.vocabulary.entityTypes) constrained.add(t);
      }
      constrainedLabels.set(this.db, constrained);
    }
    this.before = await this.graphCounts();
    const perType = await this.withRetry('relationship-counts', () => this.db.read('ingest-relationship-counts', countRelationshipTypes(this.vocabulary)));
    for (const row of perType) if (Number(row.n) === 0) this.freshTypes.add(String(row.type));
    if (this.freshTypes.size > 0) this.written = new KeyFilter();
  }

  /** Starts queued batches, oldest first, whose partitions no running batch holds. */
  private dispatch(): void {
    for (let i = 0; i < this.queued.length && this.running < this.lanes && !this.failure; ) {
      const cell = this.queued[i]!;
      if (cell.parts.some((p) => this.busy[p])) {
        i++;
        continue;
      }
      this.queued.splice(i, 1);
      for (const p of cell.parts) this.busy[p] = 1;
      this.tally();
      this.running++;
      this.write(++this.batches, cell.triples, cell.entities)
        .catch((error: unknown) => {
          this.failure ??= error;
        })
        .finally(() => {
          for (const p of cell.parts) this.busy[p] = 0;
          this.tally();
          this.running--;
          this.dispatch();
          const wakers = this.wakers;
          this.wakers = [];
          for (const wake of wakers) wake();
        });
    }
  }

  /** Adds the time since the last change of `running` to the lane-time figures. */
  private tally(): void {
    const now = performance.now();
    if (this.running > 0) {
      this.laneMs += this.running * (now - this.tallied);
      this.writingMs += now - this.tallied;
    }
    this.tallied = now;
  }

  /** Average number of batches running while any ran (1 … lanes): how well the lanes overlap. */
  get overlap(): number {
    return this.writingMs > 0 ? Math.round((this.laneMs / this.writingMs) * 100) / 100 : 0;
  }

  /** Resolves when a running batch ends. */
  private changed(): Promise<void> {
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  private async graphCounts(): Promise<{ entities: number; relationships: number }> {
    const [row] = await this.withRetry('counts', () => this.db.read('ingest-counts', GRAPH_COUNTS));
    return { entities: Number(row?.entities ?? 0), relationships: Number(row?.relationships ?? 0) };
  }

  /**
   * Final figures: created = growth of the graph during the load (from the count store, so
   * exact unless someone else writes at the same time); updated = the rest of the rows applied.
   */
  async finalCounts(): Promise<WriteCounts> {
    if (!this.before) return this.counts;
    const after = await this.graphCounts();
    this.counts.entitiesCreated = Math.max(0, after.entities - this.before.entities);
    this.counts.relationshipsCreated = Math.max(0, after.relationships - this.before.relationships + this.counts.relationshipsDeleted);
    this.counts.relationshipsUpdated = Math.max(0, this.relationshipRows - this.counts.relationshipsCreated);
    return this.counts;
  }

  /**
   * Writes what the cells hold and waits for every batch; throws if any batch failed. The
   * partly filled cells go together, up to a batch each (holding all their partitions), so a
   * small load stays one transaction.
   */
  async drain(): Promise<void> {
    let group: Cell | undefined;
    for (let at = 0; at < this.cells.length; at++) {
      const cell = this.cells[at];
      if (!cell) continue;
      this.cells[at] = undefined;
      const rows = cell.triples.length + cell.entities.length;
      if (rows === 0) continue;
      if (group && group.triples.length + group.entities.length + rows > this.batchSize) {
        await this.enqueue(group);
        group = undefined;
      }
      if (!group) group = cell;
      else {
        group.parts = [...new Set([...group.parts, ...cell.parts])];
        for (const t of cell.triples) group.triples.push(t);
        for (const e of cell.entities) group.entities.push(e);
      }
    }
    if (group) await this.enqueue(group);
    this.dispatch();
    while ((this.queued.length > 0 || this.running > 0) && !(this.failure && this.running === 0)) await this.changed();
    if (this.failure) throw this.failure;
    if (this.batches > this.batchesLogged) {
      this.batchesLogged = this.batches;
      const s = (ms: number) => (ms / 1000).toFixed(1);
      const t = this.timing;
      this.log(`writes: ${this.batches} batches, lane overlap ${this.overlap}; lane-seconds: statements ${s(t.statementsMs)}, waiting to commit ${s(t.commitWaitMs)}, committing ${s(t.commitMs)}`);
    }
  }

  /** Resolves (with its release) when no other lane is committing; gives up after COMMIT_WAIT_LIMIT_MS. */
  private commitTurn(): Promise<() => void> {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.commitWaiters.shift();
      if (next) next();
      else this.committing = false;
    };
    if (!this.committing) {
      this.committing = true;
      return Promise.resolve(release);
    }
    const limitMs = Math.max(COMMIT_WAIT_LIMIT_MS, 3 * this.lanes * this.slowestCommitMs);
    return new Promise((resolve, reject) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        this.commitWaiters = this.commitWaiters.filter((w) => w !== waiter);
        reject(new DatabaseError(`waited over ${Math.round(limitMs / 1000)} s for the commit turn`, COMMIT_WAIT));
      }, limitMs);
      this.commitWaiters.push(waiter);
    });
  }

  /** The batch transaction's options: no driver retry (ours counts), and with serialCommit the commit turn. */
  private batchOptions() {
    let t = performance.now();
    const lap = (into: 'statementsMs' | 'commitWaitMs' | 'commitMs') => {
      const now = performance.now();
      this.timing[into] += now - t;
      if (into === 'commitMs') this.slowestCommitMs = Math.max(this.slowestCommitMs, now - t);
      t = now;
    };
    return {
      timeoutMs: 300_000,
      retry: false as const,
      beforeCommit: async () => {
        lap('statementsMs');
        const release = this.serialCommit ? await this.commitTurn() : () => undefined;
        lap('commitWaitMs');
        return () => {
          lap('commitMs');
          release();
        };
      },
    };
  }

  /**
   * After a complete load: drops what redelivered sources (those of the loaded `files`, and the
   * sources named in `replace`) no longer contain, counted first; `confirm` may refuse (the shares stay), and
   * the batch claims.
   */
  async dropStaleShares(replace: string[] = [], confirm?: (stale: StaleReport) => Promise<boolean>, files: string[] = []): Promise<void> {
    await this.drain();
    if (files.length > 0) {
      // A file delivered again replaces all it contributed, also sources its new version lacks.
      const earlier = await this.withRetry('file-sources', () => this.db.read('ingest-sources-of-files', SOURCES_OF_FILES, { files }));
      for (const row of earlier) this.redelivered.add(String(row.source));
    }
    if (replace.length > 0) {
      const named = await this.withRetry('replace-sources', () => this.db.read('ingest-sources-named', SOURCES_NAMED, { names: replace }));
      for (const row of named) this.redelivered.add(String(row.source));
    }
    if (this.redelivered.size > 0) {
      const params = { sources: [...this.redelivered], load: this.loadId };
      const [stale] = await this.withRetry('count-stale', () => this.db.read('ingest-count-stale', COUNT_STALE_SHARES, params, { timeoutMs: 3_600_000 }));
      const report = { shares: Number(stale?.shares ?? 0), relationships: Number(stale?.relationships ?? 0), written: this.relationshipRows, sources: params.sources };
      if (report.shares > 0 && confirm && !(await confirm(report))) {
        this.counts.sharesKept = report.shares;
      } else if (report.shares > 0) {
        await this.withRetry('drop-stale', () => this.db.autoCommit('ingest-drop-stale', DROP_STALE_SHARES, params, { timeoutMs: 3_600_000 }));
        this.counts.sharesDropped = report.shares;
        this.counts.relationshipsDeleted = report.relationships;
      }
    }
    await this.dropClaims();
  }

  /** Removes this load's batch claims (the load is over; nothing will replay). */
  async dropClaims(): Promise<void> {
    if (this.batches === 0) return;
    await this.withRetry('drop-claims', () => this.db.autoCommit('ingest-drop-claims', DROP_BATCH_CLAIMS, { load: this.loadId }, { timeoutMs: 600_000 }));
  }

  /**
   * Called for a row Neo4j refused on its own (found by splitting its failed batch); set, a
   * batch that fails for a reason other than availability is split in halves until the
   * offending rows are found, and every other row is written (issue 17, finding 3: one 100 kB
   * id failed its batch and stopped the load). Unset: the failure stops the load.
   */
  onRowRefused?: (row: TripleRow | EntityRow, error: DatabaseError) => void;

  private async write(batch: number, triples: TripleRow[], entities: EntityRow[]): Promise<void> {
    try {
      await this.writeOnce(batch, triples, entities);
    } catch (error) {
      // A failed batch transaction rolled back entirely, so its halves can be written afresh.
      if (!this.onRowRefused || !(error instanceof DatabaseError)) throw error;
      const rows = triples.length + entities.length;
      if (rows === 1) {
        this.onRowRefused(triples[0] ?? entities[0]!, error);
        return;
      }
      this.log(`batch ${batch} was refused by Neo4j (${error.code}); splitting it to find the offending row`);
      const t = Math.ceil(triples.length / 2);
      const e = Math.ceil(entities.length / 2);
      const halves: [TripleRow[], EntityRow[]][] = triples.length > 1 || entities.length > 1
        ? [[triples.slice(0, t), entities.slice(0, e)], [triples.slice(t), entities.slice(e)]]
        : [[triples, []], [[], entities]];
      for (const [ts, es] of halves) if (ts.length + es.length > 0) await this.write(++this.batches, ts, es);
    }
  }

  private async writeOnce(batch: number, triples: TripleRow[], entities: EntityRow[]): Promise<void> {
    await this.markSources(triples);
    const plan = this.plan(batch, triples, entities);
    const results = await this.apply(batch, plan);
    if (results && this.lostRows(plan, results)) {
      // Nodes this load had written were deleted by someone else meanwhile; a rerun (new load
      // id, so every share is replaced) gives the right graph.
      this.seen.clear();
      throw new Error(`batch ${batch}: endpoint nodes written earlier in this load were deleted meanwhile; run the load again`);
    }
    if (results) this.count(plan, results);
    for (const id of plan.newNodes) this.seen.add(id);
    if (this.seen.size > SEEN_LIMIT) this.seen.clear();
  }

  /** Runs a batch; null when an earlier attempt of it had committed after all. */
  private async apply(batch: number, plan: ReturnType<BatchWriter['plan']>): Promise<Record<string, unknown>[][] | null> {
    try {
      const results = await this.withRetry(`batch ${batch}`, () => this.db.writeAll('ingest-batch', plan.statements, this.batchOptions()));
      return results.slice(1);
    } catch (error) {
      if (error instanceof DatabaseError && error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed' && /KgMeta/.test(error.message)) {
        this.log(`batch ${batch} had been committed before its acknowledgement was lost; not applied again`);
        return null;
      }
      throw error;
    }
  }

  private plan(batch: number, triples: TripleRow[], entities: EntityRow[]) {
    const statements: { cypher: string; params: Params; kind: 'claim' | 'entities' | 'nodes' | 'rels'; rows: number }[] = [
      { cypher: CLAIM_BATCH, params: { load: this.loadId, batch }, kind: 'claim', rows: 0 },
    ];
    const entityByType = new Map<string, Map<string, EntityRow>>();
    for (const e of entities) {
      const byId = entityByType.get(e.type) ?? new Map<string, EntityRow>();
      const prev = byId.get(e.id);
      byId.set(e.id, prev ? { ...e, props: { ...prev.props, ...e.props } } : e);
      entityByType.set(e.type, byId);
    }
    for (const [type, byId] of entityByType) {
      const rows = [...byId.values()].map((e) => ({ id: e.id, name: e.name, props: e.props }));
      statements.push({ cypher: mergeEntities(this.vocabulary, type), params: { rows, type }, kind: 'entities', rows: rows.length });
    }
    const nodeIds = new Map<string, Set<string>>();
    const newNodes: string[] = [];
    const addNode = (type: string, id: string) => {
      const k = `${type}\u0000${id}`;
      if (this.seen.has(k)) return;
      const ids = nodeIds.get(type) ?? new Set<string>();
      if (!ids.has(id)) newNodes.push(k);
      ids.add(id);
      nodeIds.set(type, ids);
    };
    // Aggregate rows with the same (relationship, source); one statement per relation and
    // endpoint types, and a further "layer" when one relationship has several sources here.
    const aggs = new Map<string, RelAgg>();
    const groupOf = new Map<string, { rel: string; sType: string; oType: string }>();
    for (const t of triples) {
      // An identifier link merges its own endpoints (MERGE_IDENTIFIER_LINKS).
      if (t.kind === undefined) {
        addNode(t.sType, t.s);
        addNode(t.oType, t.o);
      }
      const group = `${t.rel}\u0000${t.sType}\u0000${t.oType}`;
      const key = `${group}\u0000${t.s}\u0000${t.o}\u0000${t.source}`;
      let a = aggs.get(key);
      if (!a) {
        a = { s: t.s, o: t.o, src: t.source, w: 0, n: 0, first: NO_FIRST, last: NO_LAST };
        if (t.kind !== undefined) a.kind = t.kind;
        aggs.set(key, a);
        groupOf.set(group, { rel: t.rel, sType: t.sType, oType: t.oType });
      }
      a.w += t.weight;
      a.n += 1;
      if (t.ts !== null) {
        if (t.ts < a.first) a.first = t.ts;
        if (t.ts > a.last) a.last = t.ts;
      }
    }
    for (const [type, ids] of nodeIds) {
      statements.push({ cypher: mergeTripleNodes(this.vocabulary, type), params: { ids: [...ids], type }, kind: 'nodes', rows: ids.size });
    }
    const layers = new Map<string, RelAgg[][]>();
    const layerOf = new Map<string, number>();
    for (const [key, a] of aggs) {
      const cut = key.lastIndexOf('\u0000');
      const relKey = key.slice(0, cut);
      const group = relKey.split('\u0000', 3).join('\u0000');
      const layer = layerOf.get(relKey) ?? 0;
      layerOf.set(relKey, layer + 1);
      const perGroup = layers.get(group) ?? [];
      (perGroup[layer] ??= []).push(a);
      layers.set(group, perGroup);
    }
    for (const [group, perLayer] of layers) {
      const { rel, sType, oType } = groupOf.get(group)!;
      if (oType === IDENTIFIER_LABEL) {
        for (const rows of perLayer) {
          if (rows.length > 0) statements.push({ cypher: MERGE_IDENTIFIER_LINKS, params: { rows, load: this.loadId }, kind: 'rels', rows: rows.length });
        }
        continue;
      }
      const cypher = mergeRelationships(this.vocabulary, rel, sType, oType);
      const [first, ...later] = perLayer;
      // The first layer holds each key once: those never written (see freshTypes) are created.
      const created: RelAgg[] = [];
      const merged: RelAgg[] = [];
      const fresh = this.written && this.freshTypes.has(rel) ? this.written : undefined;
      for (const a of first ?? []) {
        if (fresh && !fresh.add(`${group}\u0000${a.s}\u0000${a.o}`)) created.push(a);
        else merged.push(a);
      }
      if (created.length > 0) {
        statements.push({ cypher: createRelationships(this.vocabulary, rel, sType, oType), params: { rows: created, load: this.loadId }, kind: 'rels', rows: created.length });
      }
      for (const rows of [merged, ...later]) {
        if (rows.length > 0) statements.push({ cypher, params: { rows, load: this.loadId }, kind: 'rels', rows: rows.length });
      }
    }
    return { statements, newNodes };
  }

  /**
   * Marks the sources of a batch's rows that this load has not marked yet, in a transaction of
   * its own and one at a time: every batch of a source would otherwise lock its one KgMeta node.
   * Committed before the batch, which is safe: a load that stops after it is rerun, and the rerun
   * sees the mark's earlier load as well.
   */
  private markSources(triples: TripleRow[]): Promise<void> {
    const next = this.marking.then(async () => {
      const sources = [...new Set(triples.map((t) => t.source))].filter((s) => !this.markedSources.has(s)).sort();
      if (sources.length === 0) return;
      const rows = await this.withRetry('mark-sources', () => this.db.write('ingest-mark-sources', MARK_SOURCES, { sources, load: this.loadId }, { onRetry: (cause) => this.retried(cause, 'mark-sources') }));
      for (const m of rows) if (m.prevLoad !== null && m.prevLoad !== undefined && m.prevLoad !== this.loadId) this.redelivered.add(String(m.source));
      for (const s of sources) this.markedSources.add(s);
    });
    this.marking = next.catch(() => undefined);
    return next;
  }

  /** Counts a retried transaction; `quiet` when the caller logs it already. */
  private retried(cause: unknown, what?: string): void {
    this.retries++;
    const code = (cause as { code?: string } | undefined)?.code;
    if (code === DEADLOCK) this.deadlockRetries++;
    if (what) this.log(`transient Neo4j error (${code ?? 'no code'}) during ${what}; the driver retried it`);
  }

  private lostRows(plan: ReturnType<BatchWriter['plan']>, results: Record<string, unknown>[][]): boolean {
    return plan.statements.slice(1).some((s, i) => s.kind === 'rels' && Number(results[i]![0]?.matched ?? 0) < s.rows);
  }

  private count(plan: ReturnType<BatchWriter['plan']>, results: Record<string, unknown>[][]) {
    plan.statements.slice(1).forEach((s, i) => {
      const rows = results[i]!;
      const r = rows[0] ?? {};
      if (s.kind === 'entities') {
        this.counts.entitiesUpdated += Number(r.updated ?? 0);
      } else if (s.kind === 'rels') {
        this.relationshipRows += Number(r.matched ?? 0);
      }
    });
  }

  private async withRetry<T>(what: string, work: () => Promise<T>): Promise<T> {
    let quickRetries = 0;
    let waits = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        // Deadlocks between lanes (a pool that could not open a connection in time is DatabaseUnavailableError).
        const transient =
          error instanceof DatabaseError && (error.code.startsWith('Neo.TransientError') || /acquisition timed out/i.test(error.message));
        if (!(error instanceof DatabaseUnavailableError) && !transient) throw error;
        const deadlock = error instanceof DatabaseError && (error.code === DEADLOCK || error.code === COMMIT_WAIT);
        // A deadlock (or a commit turn given up) is over once one side rolled back: retry at once (jittered).
        const delay = deadlock && quickRetries++ < DEADLOCK_RETRIES ? 20 + Math.random() * 200 : this.retry.delaysMs[waits++];
        if (delay === undefined) {
          throw new LoadInterruptedError(
            `Neo4j became unavailable during ${what} and did not come back after ${attempt} retries (${error.message}). ` +
              'Everything before this batch is committed; rerun the same command to complete the load.',
          );
        }
        if (transient) this.retried(error);
        const why = error instanceof DatabaseUnavailableError ? 'Neo4j unavailable' : `transient Neo4j error (${error.code})`;
        this.log(`${why} during ${what}; retrying in ${(delay / 1000).toFixed(deadlock ? 2 : 0)} s`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
