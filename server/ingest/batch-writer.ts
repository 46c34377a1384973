import { randomUUID } from 'node:crypto';
import { DROP_STALE_SHARES, MARK_SOURCES, mergeEntities, mergeRelationships, mergeTripleNodes, NO_FIRST, NO_LAST } from '../cypher/ingest.js';
import { DatabaseUnavailableError } from '../db/errors.js';
import type { Database, Params } from '../db/neo4j.js';
import type { Vocabulary } from '../schema/vocabulary.js';
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

/**
 * Writes validated rows in batches, one transaction each, committed in order (the next batch
 * is prepared while the previous one commits). One instance is one load: it has a load id,
 * and batch sequence numbers make a replayed batch a no-op (see cypher/ingest.ts).
 */
export class BatchWriter {
  readonly loadId = randomUUID();
  readonly counts: WriteCounts = { entitiesCreated: 0, entitiesUpdated: 0, relationshipsCreated: 0, relationshipsUpdated: 0 };
  private seq = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly seen = new Set<string>();
  private readonly markedSources = new Set<string>();
  /** Sources an earlier load delivered: their shares this load does not touch are dropped at the end. */
  readonly redelivered = new Set<string>();
  private failure: unknown;

  constructor(
    private readonly db: Database,
    private readonly vocabulary: Vocabulary,
    private readonly retry: RetryPolicy = defaultRetry,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Queues a batch behind the one in flight; resolves once the previous batch committed. */
  async submit(triples: TripleRow[], entities: EntityRow[]): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
    const seq = ++this.seq;
    this.inFlight = this.write(seq, triples, entities).catch((error: unknown) => {
      this.failure = error;
    });
  }

  /** Waits for the last batch; throws if any batch failed. */
  async drain(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }

  /** After a complete load: drops what redelivered sources no longer contain. */
  async dropStaleShares(): Promise<void> {
    await this.drain();
    if (this.redelivered.size === 0) return;
    const params = { sources: [...this.redelivered], load: this.loadId };
    await this.withRetry('drop-stale', () => this.db.autoCommit('ingest-drop-stale', DROP_STALE_SHARES, params, { timeoutMs: 3_600_000 }));
  }

  private async write(seq: number, triples: TripleRow[], entities: EntityRow[]): Promise<void> {
    const plan = this.plan(seq, triples, entities, false);
    let results = await this.withRetry(`batch ${seq}`, () => this.db.writeAll('ingest-batch', plan.statements, { timeoutMs: 300_000 }));
    if (this.lostRows(plan, results)) {
      // An endpoint we believed present is gone (deleted meanwhile): merge every node and replay;
      // rows already applied in this batch are skipped by their sequence number.
      this.seen.clear();
      const full = this.plan(seq, triples, entities, true);
      results = await this.withRetry(`batch ${seq}`, () => this.db.writeAll('ingest-batch', full.statements, { timeoutMs: 300_000 }));
      if (this.lostRows(full, results)) throw new Error(`batch ${seq}: relationships without endpoint nodes`);
      this.count(full, results);
    } else {
      this.count(plan, results);
    }
    for (const id of plan.newNodes) this.seen.add(id);
    if (this.seen.size > SEEN_LIMIT) this.seen.clear();
  }

  private plan(seq: number, triples: TripleRow[], entities: EntityRow[], allNodes: boolean) {
    const statements: { cypher: string; params: Params; kind: 'marks' | 'entities' | 'nodes' | 'rels'; rows: number }[] = [];
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
      if (!allNodes && this.seen.has(k)) return;
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
      for (const rows of perLayer) statements.push({ cypher, params: { rows, load: this.loadId, seq }, kind: 'rels', rows: rows.length });
    }
    return { statements, newNodes, newSources };
  }

  private lostRows(plan: ReturnType<BatchWriter['plan']>, results: Record<string, unknown>[][]): boolean {
    return plan.statements.some((s, i) => s.kind === 'rels' && Number(results[i]![0]?.matched ?? 0) < s.rows);
  }

  private count(plan: ReturnType<BatchWriter['plan']>, results: Record<string, unknown>[][]) {
    plan.statements.forEach((s, i) => {
      const rows = results[i]!;
      const r = rows[0] ?? {};
      if (s.kind === 'marks') {
        for (const m of rows) if (m.prevLoad !== null && m.prevLoad !== undefined && m.prevLoad !== this.loadId) this.redelivered.add(String(m.source));
      } else if (s.kind === 'entities') {
        this.counts.entitiesCreated += Number(r.created ?? 0);
        this.counts.entitiesUpdated += Number(r.updated ?? 0);
      } else if (s.kind === 'nodes') {
        this.counts.entitiesCreated += Number(r.created ?? 0);
      } else {
        this.counts.relationshipsCreated += Number(r.created ?? 0);
        this.counts.relationshipsUpdated += Number(r.matched ?? 0) - Number(r.created ?? 0);
      }
    });
    for (const s of plan.newSources) this.markedSources.add(s);
  }

  private async withRetry<T>(what: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof DatabaseUnavailableError)) throw error;
        const delay = this.retry.delaysMs[attempt];
        if (delay === undefined) {
          throw new LoadInterruptedError(
            `Neo4j became unavailable during ${what} and did not come back after ${attempt} retries (${error.message}). ` +
              'Everything before this batch is committed; rerun the same command to complete the load.',
          );
        }
        this.log(`Neo4j unavailable during ${what}; retrying in ${delay / 1000} s`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
