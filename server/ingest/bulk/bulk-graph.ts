import { NO_FIRST, NO_LAST } from '../queries.js';
import type { EntityRow, TripleRow } from '../types.js';

/*
 * The graph a load of validated rows gives on an empty database, built in memory the way the
 * online writer (batch-writer.ts, queries.ts) builds it in Neo4j, so the offline importer can
 * write it in one pass:
 * - a node per (type, id), labels `type` and `Entity`, `key = "type:id"`, `name` = the last
 *   entity row's name (else the id), the entity rows' properties merged, later rows winning;
 * - a relationship per (relation, subject, object) with one share per source, in the order the
 *   sources first appear: `_src`, `_srcW` (summed weights), `_srcN` (row count), `_srcFirst` /
 *   `_srcLast` (timestamp range, NO_FIRST / NO_LAST without one), `_srcLoad` (the load id),
 *   and the totals `weight`, `count`, `firstTs`, `lastTs` (absent without timestamps).
 */

export interface BulkNode {
  /** Its index among the nodes of its type (relationship keys are made of these). */
  index: number;
  name: string | null;
  props: Record<string, string> | null;
}

/** One source's share of a relationship. */
export interface BulkShare {
  src: string;
  w: number;
  n: number;
  first: number;
  last: number;
}

/** The nodes of one entity type: id → node, and the ids in index order. */
export interface NodeType {
  byId: Map<string, BulkNode>;
  ids: string[];
}

/** Relationships of one relation between two endpoint types: endsKey(s, o) → shares. */
export interface RelationshipGroup {
  rel: string;
  sType: string;
  oType: string;
  byEnds: Map<number, BulkShare[]>;
}

/**
 * A relationship's key within its group: both endpoints' indexes in one number (exact below
 * 2^53), so the hot path hashes a number instead of building a string of two ids a row.
 */
const INDEX_SPAN = 2 ** 26;
const endsKey = (s: number, o: number) => s * INDEX_SPAN + o;

/** The subject's and the object's index of a relationship key. */
export function endsOf(key: number): [number, number] {
  const o = key % INDEX_SPAN;
  return [(key - o) / INDEX_SPAN, o];
}

/** Accumulates validated rows into the graph they give (see the file comment). */
export class BulkGraph {
  /** type → its nodes. */
  readonly nodes = new Map<string, NodeType>();
  /** rel → sType → oType → its relationships (three lookups of short strings, no key built). */
  private readonly byRel = new Map<string, Map<string, Map<string, RelationshipGroup>>>();
  readonly groups: RelationshipGroup[] = [];
  /** Distinct (relationship, source) shares: the online writer's relationship rows on one batch. */
  shares = 0;
  relationships = 0;
  readonly sources = new Set<string>();

  private node(type: string, id: string): BulkNode {
    let t = this.nodes.get(type);
    if (!t) this.nodes.set(type, (t = { byId: new Map(), ids: [] }));
    let n = t.byId.get(id);
    if (!n) {
      if (t.ids.length >= INDEX_SPAN) throw new RangeError(`more than ${INDEX_SPAN} entities of type ${type} in one bulk load`);
      t.byId.set(id, (n = { index: t.ids.length, name: null, props: null }));
      t.ids.push(id);
    }
    return n;
  }

  private group(rel: string, sType: string, oType: string): RelationshipGroup {
    let bySType = this.byRel.get(rel);
    if (!bySType) this.byRel.set(rel, (bySType = new Map()));
    let byOType = bySType.get(sType);
    if (!byOType) bySType.set(sType, (byOType = new Map()));
    let g = byOType.get(oType);
    if (!g) {
      byOType.set(oType, (g = { rel, sType, oType, byEnds: new Map() }));
      this.groups.push(g);
    }
    return g;
  }

  addEntity(e: EntityRow): void {
    const n = this.node(e.type, e.id);
    n.name = e.name;
    if (Object.keys(e.props).length > 0) n.props = n.props ? { ...n.props, ...e.props } : { ...e.props };
  }

  addTriple(t: TripleRow): void {
    const s = this.node(t.sType, t.s).index;
    const o = this.node(t.oType, t.o).index;
    const byEnds = this.group(t.rel, t.sType, t.oType).byEnds;
    const ends = endsKey(s, o);
    let shares = byEnds.get(ends);
    if (!shares) {
      byEnds.set(ends, (shares = []));
      this.relationships++;
    }
    let share = shares.length === 1 && shares[0]!.src === t.source ? shares[0] : shares.find((x) => x.src === t.source);
    if (!share) {
      shares.push((share = { src: t.source, w: 0, n: 0, first: NO_FIRST, last: NO_LAST }));
      this.shares++;
      this.sources.add(t.source);
    }
    share.w += t.weight;
    share.n += 1;
    if (t.ts !== null) {
      if (t.ts < share.first) share.first = t.ts;
      if (t.ts > share.last) share.last = t.ts;
    }
  }

  get nodeCount(): number {
    let n = 0;
    for (const t of this.nodes.values()) n += t.ids.length;
    return n;
  }
}

/** The totals of a relationship from its shares, as the online writer computes them. */
export function totals(shares: BulkShare[]): { weight: number; count: number; firstTs: number | null; lastTs: number | null } {
  let weight = 0;
  let count = 0;
  let firstTs: number | null = null;
  let lastTs: number | null = null;
  for (const s of shares) {
    weight += s.w;
    count += s.n;
    if (s.first < NO_FIRST / 10 && (firstTs === null || s.first < firstTs)) firstTs = s.first;
    if (s.last > NO_LAST / 10 && (lastTs === null || s.last > lastTs)) lastTs = s.last;
  }
  return { weight, count, firstTs, lastTs };
}
