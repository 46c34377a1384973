import type { Database } from '../../server/db/neo4j.js';

export interface TinyGraph {
  consumers?: string[];
  products?: string[];
  interests?: string[];
  /** [consumer, relation, target, weight?, firstTs?] with ids before namespacing. */
  links: [string, string, string, number?, number?][];
}

/**
 * Creates a small graph exactly as docs/DATA-MODEL.md stores it (`:Entity:<Type>`, id, key,
 * name, relationship weight/count/firstTs/lastTs); ids are prefixed with `ns`. Types come from
 * the id's first letter: c = Consumer, p = Product, i = Interest.
 */
export async function createGraph(db: Database, ns: string, graph: TinyGraph): Promise<void> {
  const typeOf = (id: string) => ({ c: 'Consumer', p: 'Product', i: 'Interest' })[id[0] as 'c' | 'p' | 'i'];
  const ids = new Set<string>([...(graph.consumers ?? []), ...(graph.products ?? []), ...(graph.interests ?? [])]);
  for (const [s, , o] of graph.links) ids.add(s).add(o);
  const nodes = [...ids].map((id) => ({ id: `${ns}-${id}`, type: typeOf(id), name: id }));
  for (const type of ['Consumer', 'Product', 'Interest']) {
    await db.write(
      'test-seed-nodes',
      `UNWIND $rows AS row CREATE (n:Entity:${type} {id: row.id, key: '${type}:' + row.id, name: row.name})`,
      { rows: nodes.filter((n) => n.type === type) },
    );
  }
  const byRel = new Map<string, { s: string; o: string; st: string; ot: string; w: number; ts: number | null }[]>();
  for (const [s, rel, o, w, ts] of graph.links) {
    if (!/^[A-Z_]+$/.test(rel)) throw new Error(`bad relation ${rel}`);
    const list = byRel.get(rel) ?? [];
    list.push({ s: `${typeOf(s)}:${ns}-${s}`, o: `${typeOf(o)}:${ns}-${o}`, st: typeOf(s)!, ot: typeOf(o)!, w: w ?? 1, ts: ts ?? null });
    byRel.set(rel, list);
  }
  for (const [rel, rows] of byRel) {
    await db.write(
      'test-seed-links',
      `UNWIND $rows AS row
       MATCH (a:Entity {key: row.s}), (b:Entity {key: row.o})
       CREATE (a)-[r:${rel} {weight: toFloat(row.w), count: 1}]->(b)
       SET r.firstTs = toFloat(row.ts), r.lastTs = toFloat(row.ts)`,
      { rows },
    );
  }
}

/** Removes every entity this namespace created. */
export async function removeGraph(db: Database, ns: string): Promise<void> {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns DETACH DELETE n', { ns });
}

/** c1..cN style id ranges. */
export const range = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);
