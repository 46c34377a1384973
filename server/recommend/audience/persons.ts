import type { Database } from '../../db/neo4j.js';
import type { Vocabulary } from '../../graph/vocabulary.js';
import type { RecommendModel } from '../model/model.js';
import { damp } from '../score.js';
import { defaultSettings, roleParams, type RecommendSettings } from '../settings.js';
import { personRowsQuery } from './queries.js';

/**
 * Every person's engagements and interests, as the audience scorer reads them: one row per
 * person (all its consumer ids merged: `coalesce(c.person, c.id)`), products and interests as
 * positions in the model (−1: a product the model does not hold). Compressed rows, so scoring
 * a whole graph's persons is arithmetic over arrays.
 */
export interface PersonIndex {
  /** Group key of each person: `coalesce(c.person, c.id)`. */
  keys: string[];
  /** Person id shown to callers: `c.person`, else `'p_' + c.id without its 'c_'`. */
  persons: string[];
  byKey: Map<string, number>;
  /** Consumer id → its person's position. */
  byConsumer: Map<string, number>;
  /** Engagements per person, one per product: model position, damped role-weighted weight, purchase flag, first timestamp (NaN: none). */
  ptr: Int32Array;
  item: Int32Array;
  w: Float32Array;
  strong: Uint8Array;
  ts: Float64Array;
  /** Product ids of engagements the model does not hold (item −1), by engagement position. */
  unknown: Map<number, string>;
  /** Interests per person: model position, damped weight (strongest first, at most `interestCap`). */
  iPtr: Int32Array;
  iIdx: Int32Array;
  iW: Float32Array;
}

/** One row of personRowsQuery. */
export interface ConsumerRow {
  id: string;
  person: string | null;
  engaged: [string, string, unknown, unknown][];
  interests: [string, string, unknown][];
}

/** The person id of a consumer: its `person`, or `p_` + its pseudonym's 22 characters (what the identity step gives a singleton). */
export const personName = (id: string, person: string | null | undefined): string => person ?? `p_${id.startsWith('c_') ? id.slice(2) : id}`;

/**
 * Builds the index from consumer rows: consumers of one person merged (weights add up, a
 * purchase under any id counts, the earliest timestamp is kept), role factors as the
 * recommendations use them (purchase 1, view 0.3, then log1p of the weight).
 */
export function buildPersonIndex(
  m: RecommendModel,
  rows: readonly ConsumerRow[],
  o: { factors: Record<string, number>; strongRels: readonly string[]; interestCap?: number },
): PersonIndex {
  const strongRels = new Set(o.strongRels);
  const interestCap = o.interestCap ?? defaultSettings.interestCap;
  const consumerKey = new Map<string, string>();
  const groups = new Map<string, { person: string; eng: Map<string, { w: number; strong: boolean; ts: number }>; ints: Map<string, number> }>();
  for (const r of rows) {
    const key = r.person ?? r.id;
    consumerKey.set(r.id, key);
    const g = groups.get(key) ?? groups.set(key, { person: personName(r.id, r.person), eng: new Map(), ints: new Map() }).get(key)!;
    for (const [pid, rel, w, ts] of r.engaged) {
      const e = g.eng.get(pid) ?? g.eng.set(pid, { w: 0, strong: false, ts: NaN }).get(pid)!;
      e.w += (o.factors[rel] ?? 1) * damp(w);
      if (strongRels.has(rel)) e.strong = true;
      const t = ts == null ? NaN : Number(ts);
      if (Number.isFinite(t) && !(e.ts <= t)) e.ts = t;
    }
    for (const [tid, , w] of r.interests) g.ints.set(tid, (g.ints.get(tid) ?? 0) + damp(w));
  }
  const keys = [...groups.keys()].sort();
  const persons: string[] = [];
  const ptr = [0];
  const item: number[] = [];
  const w: number[] = [];
  const strong: number[] = [];
  const ts: number[] = [];
  const unknown = new Map<number, string>();
  const iPtr = [0];
  const iIdx: number[] = [];
  const iW: number[] = [];
  for (const key of keys) {
    const g = groups.get(key)!;
    persons.push(g.person);
    for (const [pid, e] of [...g.eng].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const j = m.itemIndex.get(pid);
      if (j === undefined) unknown.set(item.length, pid);
      item.push(j ?? -1);
      w.push(e.w || 1e-6);
      strong.push(e.strong ? 1 : 0);
      ts.push(e.ts);
    }
    ptr.push(item.length);
    const ints = [...g.ints]
      .map(([tid, x]) => [m.interestIndex.get(tid), x] as const)
      .filter((x): x is readonly [number, number] => x[0] !== undefined)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, interestCap);
    for (const [t, x] of ints) {
      iIdx.push(t);
      iW.push(x);
    }
    iPtr.push(iIdx.length);
  }
  const byKey = new Map(keys.map((k, u) => [k, u]));
  return {
    keys,
    persons,
    byKey,
    byConsumer: new Map([...consumerKey].map(([id, key]) => [id, byKey.get(key)!])),
    ptr: Int32Array.from(ptr),
    item: Int32Array.from(item),
    w: Float32Array.from(w),
    strong: Uint8Array.from(strong),
    ts: Float64Array.from(ts),
    unknown,
    iPtr: Int32Array.from(iPtr),
    iIdx: Int32Array.from(iIdx),
    iW: Float32Array.from(iW),
  };
}

/** Reads every person's engagements and interests (one batched read) into an index over `m`. */
export async function readPersonIndex(db: Database, vocabulary: Vocabulary, m: RecommendModel, s: RecommendSettings = defaultSettings): Promise<PersonIndex> {
  const roles = roleParams(vocabulary, s);
  const rows = await db.read('audience-persons', personRowsQuery(vocabulary), { scan: s.scan }, { timeoutMs: 600_000 });
  const consumers = rows.map((r) => ({
    id: String(r.id),
    person: r.person == null ? null : String(r.person),
    engaged: r.engaged as ConsumerRow['engaged'],
    interests: r.interests as ConsumerRow['interests'],
  }));
  return buildPersonIndex(m, consumers, { factors: roles.factors, strongRels: roles.strongRels, interestCap: s.interestCap });
}

/**
 * The index of the served model's version, read once per model object and per database and
 * kept while that model is served: a new version (every load publishes one, a full relearn or
 * a partial update) is a new object, so the persons are read again with it. What changed since
 * (a purchase just made) is caught by the live exclusion read of each request (service.ts).
 */
const cache = new WeakMap<RecommendModel, WeakMap<Database, Promise<PersonIndex>>>();
export function cachedPersonIndex(db: Database, vocabulary: Vocabulary, m: RecommendModel, s: RecommendSettings = defaultSettings): Promise<PersonIndex> {
  const byDb = cache.get(m) ?? cache.set(m, new WeakMap()).get(m)!;
  let p = byDb.get(db);
  if (!p) {
    p = readPersonIndex(db, vocabulary, m, s);
    byDb.set(db, p);
    // A failed read is not kept: the next request reads again.
    p.catch(() => byDb.delete(db));
  }
  return p;
}
