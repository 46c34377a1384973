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

/** Relationships of one relation between two endpoint types: `s \0 o` → shares. */
export interface RelationshipGroup {
  rel: string;
  sType: string;
  oType: string;
  byEnds: Map<string, BulkShare[]>;
}

/** Accumulates validated rows into the graph they give (see the file comment). */
export class BulkGraph {
  /** type → id → node. */
  readonly nodes = new Map<string, Map<string, BulkNode>>();
  /** `rel \0 sType \0 oType` → its relationships. */
  readonly groups = new Map<string, RelationshipGroup>();
  /** Distinct (relationship, source) shares: the online writer's relationship rows on one batch. */
  shares = 0;
  relationships = 0;
  readonly sources = new Set<string>();

  private node(type: string, id: string): BulkNode {
    let byId = this.nodes.get(type);
    if (!byId) this.nodes.set(type, (byId = new Map()));
    let n = byId.get(id);
    if (!n) byId.set(id, (n = { name: null, props: null }));
    return n;
  }

  addEntity(e: EntityRow): void {
    const n = this.node(e.type, e.id);
    n.name = e.name;
    if (Object.keys(e.props).length > 0) n.props = n.props ? { ...n.props, ...e.props } : { ...e.props };
  }

  addTriple(t: TripleRow): void {
    this.node(t.sType, t.s);
    this.node(t.oType, t.o);
    const groupKey = `${t.rel}\u0000${t.sType}\u0000${t.oType}`;
    let group = this.groups.get(groupKey);
    if (!group) this.groups.set(groupKey, (group = { rel: t.rel, sType: t.sType, oType: t.oType, byEnds: new Map() }));
    const ends = `${t.s}\u0000${t.o}`;
    let shares = group.byEnds.get(ends);
    if (!shares) {
      group.byEnds.set(ends, (shares = []));
      this.relationships++;
    }
    let share = shares.find((x) => x.src === t.source);
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
    for (const byId of this.nodes.values()) n += byId.size;
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
