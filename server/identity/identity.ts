import type { Database } from '../db/neo4j.js';
import { storedEntityId } from '../privacy/pseudonym.js';
import { DEFAULT_IDENTIFIER_MAX_CONSUMERS, type Vocabulary } from '../graph/vocabulary.js';
import { IDENTITY_OF, PERSONS_BY_KEY } from './queries.js';

/** The person id of a component: `p_` + the 22 characters after `c_` of its smallest consumer id. */
export function personId(smallestConsumerId: string): string {
  return 'p_' + smallestConsumerId.slice(2);
}

/** The crowd cap of a vocabulary: an identifier held by more consumers than this links nobody. */
export function identifierCap(vocabulary: Vocabulary): number {
  return vocabulary.identifierMaxConsumers ?? DEFAULT_IDENTIFIER_MAX_CONSUMERS;
}

/** Disjoint sets over 0 … n−1: union by size, path halving. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
  }

  sizeOf(x: number): number {
    return this.size[this.find(x)]!;
  }
}

/** A consumer's person: the component's id and how many consumer ids it holds. */
export interface Person {
  person: string;
  n: number;
}

/**
 * Connected components of `ids` over `pairs` (two linked ids) and `groups` (ids sharing an
 * identifier); ids not in `ids` are ignored. Every id gets its component's person (a singleton
 * its own) and size.
 */
export function components(ids: readonly string[], pairs: Iterable<readonly [string, string]>, groups: Iterable<readonly string[]>): Map<string, Person> {
  const index = new Map<string, number>();
  for (const id of ids) if (!index.has(id)) index.set(id, index.size);
  const all = [...index.keys()];
  const uf = new UnionFind(all.length);
  for (const [a, b] of pairs) {
    const i = index.get(a);
    const j = index.get(b);
    if (i !== undefined && j !== undefined) uf.union(i, j);
  }
  for (const group of groups) {
    let first: number | undefined;
    for (const id of group) {
      const i = index.get(id);
      if (i === undefined) continue;
      if (first === undefined) first = i;
      else uf.union(first, i);
    }
  }
  const smallest = new Map<number, string>();
  for (let i = 0; i < all.length; i++) {
    const root = uf.find(i);
    const had = smallest.get(root);
    if (had === undefined || all[i]! < had) smallest.set(root, all[i]!);
  }
  const out = new Map<string, Person>();
  for (let i = 0; i < all.length; i++) {
    const root = uf.find(i);
    out.set(all[i]!, { person: personId(smallest.get(root)!), n: uf.sizeOf(i) });
  }
  return out;
}

/** What `identity()` answers: never the linked ids themselves. */
export interface IdentitySummary {
  person: string;
  ids: number;
  sources: { source: string; ids: number }[];
  crowdedIdentifiers: number;
}

/**
 * The person of the consumer a caller names (raw id or pseudonym): its id, how many consumer
 * ids it joins, how many of them each source contributed, how many crowded identifiers they
 * hold. Null for an unknown consumer.
 */
export async function identityOf(db: Database, vocabulary: Vocabulary, secret: string, consumerId: string): Promise<IdentitySummary | null> {
  const id = storedEntityId(secret, 'Consumer', consumerId.trim());
  const [row] = await db.read('identity-of', IDENTITY_OF, { id, max: identifierCap(vocabulary) });
  if (!row) return null;
  return {
    person: String(row.person),
    ids: Number(row.ids),
    sources: (row.sources as { source: string; ids: number }[]).map((s) => ({ source: String(s.source), ids: Number(s.ids) })),
    crowdedIdentifiers: Number(row.crowded),
  };
}

/** Stored persons of consumers by entity key (`Entity.person`, batched per request). */
export async function personsByKeys(db: Database, keys: readonly string[]): Promise<(Person | null)[]> {
  const rows = await db.read('identity-persons-by-key', PERSONS_BY_KEY, { keys: [...new Set(keys)] });
  const byKey = new Map(rows.map((r) => [String(r.key), { person: String(r.person), n: Number(r.n) }]));
  return keys.map((k) => byKey.get(k) ?? null);
}
