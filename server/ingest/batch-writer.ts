import { randomUUID } from 'node:crypto';
import {
  CLAIM_BATCH,
  COUNT_STALE_SHARES,
  DROP_BATCH_CLAIMS,
  DROP_STALE_SHARES,
  GRAPH_COUNTS,
  KGMETA_KEY_CONSTRAINT,
  MARK_SOURCES,
  mergeEntities,
  mergeRelationships,
  mergeTripleNodes,
  NO_FIRST,
  NO_LAST,
  SOURCES_NAMED,
  SOURCES_OF_FILES,
} from './queries.js';
import { DatabaseError, DatabaseUnavailableError } from '../db/errors.js';
import type { Database, Params } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import type { EntityRow, TripleRow } from './types.js';

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

/** Remembered node ids, so nodes are merged once per load, not once per row; bounded. */
const SEEN_LIMIT = 1_000_000;

interface RelAgg {
  s: string;
  o: string;
  src: string;
  w: number;
  n: number;
  first: number;
  last: number;
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

/**
 * Writes validated rows in batches, one transaction each, on `lanes` concurrent lanes. A lane
 * commits its batches in order while the caller prepares the next ones. Callers route every
 * relationship key to a fixed lane (see `laneOf`), so no two transactions ever update the same
 * relationship at once. One instance is one load, with its own load id.
 */
export class BatchWriter {
  readonly loadId = randomUUID();
  readonly counts: WriteCounts = noWrites();
  private batches = 0;
  private readonly inFlight: Promise<void>[];
  private readonly seen = new Set<string>();
  private readonly markedSources = new Set<string>();
  /** Sources an earlier load delivered: their shares this load does not touch are dropped at the end. */
  readonly redelivered = new Set<string>();
  private failure: unknown;
  private prepared = false;
  /** Relationship rows applied (after aggregation per batch). */
  private relationshipRows = 0;
  private before?: { entities: number; relationships: number };

  constructor(
    private readonly db: Database,
    private readonly vocabulary: Vocabulary,
    readonly lanes = 1,
    private readonly retry: RetryPolicy = defaultRetry,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.inFlight = Array.from({ length: lanes }, () => Promise.resolve());
  }

  /** Queues a batch on a lane behind the lane's batch in flight; resolves once that one committed. */
  async submit(lane: number, triples: TripleRow[], entities: EntityRow[]): Promise<void> {
    if (!this.prepared) {
      await this.withRetry('setup', () => this.db.autoCommit('ingest-setup', KGMETA_KEY_CONSTRAINT));
      this.before = await this.graphCounts();
      this.prepared = true;
    }
    await this.inFlight[lane];
    if (this.failure) throw this.failure;
    const batch = ++this.batches;
    this.inFlight[lane] = this.write(batch, triples, entities).catch((error: unknown) => {
      this.failure ??= error;
    });
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

  /** Waits for every lane; throws if any batch failed. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
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
      const results = await this.withRetry(`batch ${batch}`, () => this.db.writeAll('ingest-batch', plan.statements, { timeoutMs: 300_000 }));
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
    const statements: { cypher: string; params: Params; kind: 'claim' | 'marks' | 'entities' | 'nodes' | 'rels'; rows: number }[] = [
      { cypher: CLAIM_BATCH, params: { load: this.loadId, batch }, kind: 'claim', rows: 0 },
    ];
    const sources = new Set(triples.map((t) => t.source));
    const newSources = [...sources].filter((s) => !this.markedSources.has(s));
    if (newSources.length) {
      statements.push({ cypher: MARK_SOURCES, params: { sources: newSources, load: this.loadId }, kind: 'marks', rows: 0 });
    }
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
      addNode(t.sType, t.s);
      addNode(t.oType, t.o);
      const group = `${t.rel}\u0000${t.sType}\u0000${t.oType}`;
      const key = `${group}\u0000${t.s}\u0000${t.o}\u0000${t.source}`;
      let a = aggs.get(key);
      if (!a) {
        a = { s: t.s, o: t.o, src: t.source, w: 0, n: 0, first: NO_FIRST, last: NO_LAST };
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
      const cypher = mergeRelationships(this.vocabulary, rel, sType, oType);
      for (const rows of perLayer) statements.push({ cypher, params: { rows, load: this.loadId }, kind: 'rels', rows: rows.length });
    }
    return { statements, newNodes, newSources };
  }

  private lostRows(plan: ReturnType<BatchWriter['plan']>, results: Record<string, unknown>[][]): boolean {
    return plan.statements.slice(1).some((s, i) => s.kind === 'rels' && Number(results[i]![0]?.matched ?? 0) < s.rows);
  }

  private count(plan: ReturnType<BatchWriter['plan']>, results: Record<string, unknown>[][]) {
    plan.statements.slice(1).forEach((s, i) => {
      const rows = results[i]!;
      const r = rows[0] ?? {};
      if (s.kind === 'marks') {
        for (const m of rows) if (m.prevLoad !== null && m.prevLoad !== undefined && m.prevLoad !== this.loadId) this.redelivered.add(String(m.source));
      } else if (s.kind === 'entities') {
        this.counts.entitiesUpdated += Number(r.updated ?? 0);
      } else if (s.kind === 'rels') {
        this.relationshipRows += Number(r.matched ?? 0);
      }
    });
    for (const s of plan.newSources) this.markedSources.add(s);
  }

  private async withRetry<T>(what: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        // Deadlocks between lanes (a pool that could not open a connection in time is DatabaseUnavailableError).
        const transient =
          error instanceof DatabaseError && (error.code.startsWith('Neo.TransientError') || /acquisition timed out/i.test(error.message));
        if (!(error instanceof DatabaseUnavailableError) && !transient) throw error;
        const delay = this.retry.delaysMs[attempt];
        if (delay === undefined) {
          throw new LoadInterruptedError(
            `Neo4j became unavailable during ${what} and did not come back after ${attempt} retries (${error.message}). ` +
              'Everything before this batch is committed; rerun the same command to complete the load.',
          );
        }
        const why = error instanceof DatabaseUnavailableError ? 'Neo4j unavailable' : `transient Neo4j error (${error.code})`;
        this.log(`${why} during ${what}; retrying in ${delay / 1000} s`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
