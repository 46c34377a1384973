import { HAS_IDENTIFIER, IDENTIFIER_LABEL } from '../../graph/schema-statements.js';
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
 *   and the totals `weight`, `count`, `firstTs`, `lastTs` (absent without timestamps);
 * - a Consumer row's identifier links as the online writer's MERGE_IDENTIFIER_LINKS gives them:
 *   nodes of type `KgIdentifier` (id = the key; written without `Entity`, see import-files.ts)
 *   and `HAS_IDENTIFIER` relationships in one group per column (`kind`), one row a share.
 *
 * Relationships live in typed-array columns (an open-addressing table keyed by group, subject
 * index and object index, with the first share inline): about 50 bytes a relationship instead
 * of the ~450 that a Map entry, a share object and its array cost, so 10M rows fit in memory.
 */

/** One source's share of a relationship. */
export interface BulkShare {
  src: string;
  w: number;
  n: number;
  first: number;
  last: number;
}

/** The nodes of one entity type: id → index, the ids in index order, and the entity rows' values. */
export interface NodeType {
  indexOf: Map<string, number>;
  ids: string[];
  /** index → name of the last entity row (none: the id). */
  names: Map<number, string>;
  /** index → the entity rows' properties merged. */
  props: Map<number, Record<string, string>>;
}

/** One relation between two endpoint types (each has its importer files). */
export interface RelationshipGroup {
  rel: string;
  sType: string;
  oType: string;
  /** An identifier link group's column (stored as the relationships' `kind`). */
  kind?: string;
}

/** What a worker's graph sends to the main thread (typed arrays transferred, not copied). */
export interface BulkGraphParts {
  nodes: { type: string; ids: string[]; names: [number, string][]; props: [number, Record<string, string>][] }[];
  groups: RelationshipGroup[];
  sources: string[];
  relationships: number;
  columns: { group: Int32Array; s: Int32Array; o: Int32Array; src: Int32Array; w: Float64Array; n: Float64Array; first: Float64Array; last: Float64Array };
  moreShares: [number, { src: number; w: number; n: number; first: number; last: number }[]][];
}

/** Node indexes per type stay below this (the importer's id spaces need no more here). */
const INDEX_SPAN = 2 ** 30;
const FIRST_CAPACITY = 1 << 14;

/** Accumulates validated rows into the graph they give (see the file comment). */
export class BulkGraph {
  /** type → its nodes. */
  readonly nodes = new Map<string, NodeType>();
  /** rel → sType → oType → group index (three lookups of short strings, no key built). */
  private readonly byRel = new Map<string, Map<string, Map<string, number>>>();
  readonly groups: RelationshipGroup[] = [];
  /** Source names in first-seen order; shares refer to them by index. */
  readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();
  /** Distinct (relationship, source) shares: the online writer's relationship rows on one batch. */
  shares = 0;
  relationships = 0;

  // Relationship columns, indexed by relationship number (insertion order).
  private capacity = FIRST_CAPACITY;
  private relGroup = new Int32Array(FIRST_CAPACITY);
  private relS = new Int32Array(FIRST_CAPACITY);
  private relO = new Int32Array(FIRST_CAPACITY);
  /** The first share, inline; the others (a relationship fed by several sources) in `moreShares`. */
  private shareSrc = new Int32Array(FIRST_CAPACITY);
  private shareW = new Float64Array(FIRST_CAPACITY);
  private shareN = new Float64Array(FIRST_CAPACITY);
  private shareFirst = new Float64Array(FIRST_CAPACITY);
  private shareLast = new Float64Array(FIRST_CAPACITY);
  private readonly moreShares = new Map<number, { src: number; w: number; n: number; first: number; last: number }[]>();
  /** Open addressing, linear probing: relationship number + 1, 0 = empty; at most half full. */
  private slots = new Int32Array(FIRST_CAPACITY * 2);

  private nodeType(type: string): NodeType {
    let t = this.nodes.get(type);
    if (!t) this.nodes.set(type, (t = { indexOf: new Map(), ids: [], names: new Map(), props: new Map() }));
    return t;
  }

  private node(t: NodeType, type: string, id: string): number {
    let n = t.indexOf.get(id);
    if (n === undefined) {
      if (t.ids.length >= INDEX_SPAN) throw new RangeError(`more than ${INDEX_SPAN} entities of type ${type} in one bulk load`);
      n = t.ids.length;
      t.indexOf.set(id, n);
      t.ids.push(id);
    }
    return n;
  }

  private group(rel: string, sType: string, oType: string, kind?: string): number {
    const relKey = kind === undefined ? rel : `${rel}\u0000${kind}`;
    let bySType = this.byRel.get(relKey);
    if (!bySType) this.byRel.set(relKey, (bySType = new Map()));
    let byOType = bySType.get(sType);
    if (!byOType) bySType.set(sType, (byOType = new Map()));
    let g = byOType.get(oType);
    if (g === undefined) {
      g = this.groups.length;
      byOType.set(oType, g);
      this.groups.push(kind === undefined ? { rel, sType, oType } : { rel, sType, oType, kind });
    }
    return g;
  }

  private source(name: string): number {
    let i = this.sourceIndex.get(name);
    if (i === undefined) {
      i = this.sources.length;
      this.sourceIndex.set(name, i);
      this.sources.push(name);
    }
    return i;
  }

  addEntity(e: EntityRow): void {
    const t = this.nodeType(e.type);
    const n = this.node(t, e.type, e.id);
    t.names.set(n, e.name);
    if (Object.keys(e.props).length > 0) {
      const had = t.props.get(n);
      t.props.set(n, had ? { ...had, ...e.props } : { ...e.props });
    }
    if (e.identifiers?.length) {
      const ids = this.nodeType(IDENTIFIER_LABEL);
      const src = this.source(e.source ?? 'api');
      for (const { kind, key } of e.identifiers) {
        this.addShare(this.group(HAS_IDENTIFIER, e.type, IDENTIFIER_LABEL, kind), n, this.node(ids, IDENTIFIER_LABEL, key), src, 1, 1, NaN, NaN);
      }
    }
  }

  addTriple(t: TripleRow): void {
    const s = this.node(this.nodeType(t.sType), t.sType, t.s);
    const o = this.node(this.nodeType(t.oType), t.oType, t.o);
    const ts = t.ts ?? NaN;
    this.addShare(this.group(t.rel, t.sType, t.oType), s, o, this.source(t.source), t.weight, 1, ts, ts);
  }

  /** Adds rows of source `src` to relationship (g, s, o): their weight, count and timestamp range (NaN: none). */
  private addShare(g: number, s: number, o: number, src: number, w: number, n: number, first: number, last: number): void {
    const r = this.relationship(g, s, o, src);
    if (this.shareSrc[r] === src) {
      this.shareW[r] = this.shareW[r]! + w;
      this.shareN[r] = this.shareN[r]! + n;
      if (first < this.shareFirst[r]!) this.shareFirst[r] = first;
      if (last > this.shareLast[r]!) this.shareLast[r] = last;
      return;
    }
    let more = this.moreShares.get(r);
    if (!more) this.moreShares.set(r, (more = []));
    let share = more.find((x) => x.src === src);
    if (!share) {
      more.push((share = { src, w: 0, n: 0, first: NO_FIRST, last: NO_LAST }));
      this.shares++;
    }
    share.w += w;
    share.n += n;
    if (first < share.first) share.first = first;
    if (last > share.last) share.last = last;
  }

  /** This graph's contents for `merge` in another thread; the graph is not to be used after. */
  toParts(): { parts: BulkGraphParts; transfer: ArrayBuffer[] } {
    const n = this.relationships;
    const columns = {
      group: this.relGroup.slice(0, n),
      s: this.relS.slice(0, n),
      o: this.relO.slice(0, n),
      src: this.shareSrc.slice(0, n),
      w: this.shareW.slice(0, n),
      n: this.shareN.slice(0, n),
      first: this.shareFirst.slice(0, n),
      last: this.shareLast.slice(0, n),
    };
    const nodes = [...this.nodes].map(([type, t]) => ({ type, ids: t.ids, names: [...t.names], props: [...t.props] }));
    const parts = { nodes, groups: this.groups, sources: this.sources, relationships: n, columns, moreShares: [...this.moreShares] };
    return { parts, transfer: Object.values(columns).map((c) => c.buffer as ArrayBuffer) };
  }

  /**
   * Adds another graph's contents as if its rows had been added after this graph's: merging the
   * graphs of consecutive parts of a file in order gives the graph of the whole file (the same
   * nodes, relationships, share order and last-row-wins names and properties).
   */
  merge(p: BulkGraphParts): void {
    const remap = new Map<string, Int32Array>();
    for (const { type, ids, names, props } of p.nodes) {
      const t = this.nodeType(type);
      const to = new Int32Array(ids.length);
      for (let i = 0; i < ids.length; i++) to[i] = this.node(t, type, ids[i]!);
      for (const [i, name] of names) t.names.set(to[i]!, name);
      for (const [i, values] of props) {
        const had = t.props.get(to[i]!);
        t.props.set(to[i]!, had ? { ...had, ...values } : values);
      }
      remap.set(type, to);
    }
    const groups = p.groups.map((g) => this.group(g.rel, g.sType, g.oType, g.kind));
    const sMaps = p.groups.map((g) => remap.get(g.sType)!);
    const oMaps = p.groups.map((g) => remap.get(g.oType)!);
    const sources = p.sources.map((name) => this.source(name));
    const c = p.columns;
    const more = new Map(p.moreShares);
    // At most all of them are new; one table of that size (a merge of millions would otherwise rehash at every doubling).
    this.reserve(this.relationships + p.relationships);
    for (let r = 0; r < p.relationships; r++) {
      const pg = c.group[r]!;
      const g = groups[pg]!;
      const s = sMaps[pg]![c.s[r]!]!;
      const o = oMaps[pg]![c.o[r]!]!;
      this.addShare(g, s, o, sources[c.src[r]!]!, c.w[r]!, c.n[r]!, c.first[r]!, c.last[r]!);
      for (const x of more.get(r) ?? []) this.addShare(g, s, o, sources[x.src]!, x.w, x.n, x.first, x.last);
    }
  }

  /** The relationship (g, s, o), created with `src` as its first share when new. */
  private relationship(g: number, s: number, o: number, src: number): number {
    const mask = this.slots.length - 1;
    let slot = hash(g, s, o) & mask;
    for (;;) {
      const held = this.slots[slot]!;
      if (held === 0) break;
      const r = held - 1;
      if (this.relS[r] === s && this.relO[r] === o && this.relGroup[r] === g) return r;
      slot = (slot + 1) & mask;
    }
    const r = this.relationships++;
    this.shares++;
    if (r >= this.capacity) this.grow();
    this.relGroup[r] = g;
    this.relS[r] = s;
    this.relO[r] = o;
    this.shareSrc[r] = src;
    this.shareFirst[r] = NO_FIRST;
    this.shareLast[r] = NO_LAST;
    if (this.slots.length < this.capacity * 2) this.rehash();
    else this.slots[slot] = r + 1;
    return r;
  }

  /** Makes room for `n` relationships in all (one rehash, instead of one per doubling on the way). */
  private reserve(n: number): void {
    if (n <= this.capacity) return;
    while (this.capacity < n) this.grow();
    this.rehash();
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const widen = <A extends Int32Array | Float64Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(capacity);
      b.set(a);
      return b;
    };
    this.relGroup = widen(this.relGroup);
    this.relS = widen(this.relS);
    this.relO = widen(this.relO);
    this.shareSrc = widen(this.shareSrc);
    this.shareW = widen(this.shareW);
    this.shareN = widen(this.shareN);
    this.shareFirst = widen(this.shareFirst);
    this.shareLast = widen(this.shareLast);
    this.capacity = capacity;
  }

  /** Rebuilds the slots for the current capacity (twice as many slots as relationships fit). */
  private rehash(): void {
    this.slots = new Int32Array(this.capacity * 2);
    const mask = this.slots.length - 1;
    for (let r = 0; r < this.relationships; r++) {
      let slot = hash(this.relGroup[r]!, this.relS[r]!, this.relO[r]!) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = r + 1;
    }
  }

  /** Relationship `r`: its group, endpoint indexes and shares in first-seen order. */
  relationshipAt(r: number): { group: number; s: number; o: number; shares: BulkShare[] } {
    const shares: BulkShare[] = [{ src: this.sources[this.shareSrc[r]!]!, w: this.shareW[r]!, n: this.shareN[r]!, first: this.shareFirst[r]!, last: this.shareLast[r]! }];
    for (const x of this.moreShares.get(r) ?? []) shares.push({ src: this.sources[x.src]!, w: x.w, n: x.n, first: x.first, last: x.last });
    return { group: this.relGroup[r]!, s: this.relS[r]!, o: this.relO[r]!, shares };
  }

  get nodeCount(): number {
    let n = 0;
    for (const t of this.nodes.values()) n += t.ids.length;
    return n;
  }
}

/** Mixes the three parts of a relationship key into 32 bits (murmur3's finaliser). */
function hash(g: number, s: number, o: number): number {
  let h = Math.imul(s, 0x9e3779b1) ^ Math.imul(o + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(g + 1, 0xc2b2ae3d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
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
