import type { Database } from '../../server/db/neo4j.js';

/*
 * A canonical dump of a whole graph: every node (labels, properties) and relationship (ends,
 * type, properties), sorted, so two databases built different ways can be compared with
 * toEqual. Load ids (random per load) become "<load>"; floats are rounded to 12 significant
 * digits (the online writer sums a share's weights per batch, so the last bit depends on the
 * batch size); `normalise` may rewrite further values (e.g. clock times).
 */

export interface GraphDump {
  nodes: string[];
  relationships: string[];
}

const DUMP_NODES = 'MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props';
const DUMP_RELATIONSHIPS = 'MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS type, elementId(b) AS b, properties(r) AS props';

type Normalise = (owner: string, key: string, value: unknown) => unknown;

function canonical(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isInteger(value)) return Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(canonical);
  return value;
}

function propsText(owner: string, props: Record<string, unknown>, loadIds: Set<string>, normalise: Normalise): string {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(props).sort()) {
    let v = props[key];
    if (key === '_srcLoad' && Array.isArray(v)) v = v.map(() => '<load>');
    else if (key === '_srcLoad' && typeof v === 'string') v = '<load>';
    else if (typeof v === 'string' && loadIds.has(v)) v = '<load>';
    out[key] = normalise(owner, key, canonical(v));
  }
  return JSON.stringify(out);
}

/** Dumps the graph of `db` (see the file comment). */
export async function dumpGraph(db: Database, normalise: Normalise = (_o, _k, v) => v): Promise<GraphDump> {
  const nodes = await db.read('test-dump-nodes', DUMP_NODES, {}, { timeoutMs: 300_000 });
  const rels = await db.read('test-dump-relationships', DUMP_RELATIONSHIPS, {}, { timeoutMs: 300_000 });
  // Every load id any relationship share carries, so KgMeta source marks normalise too.
  const loadIds = new Set<string>();
  for (const r of rels) for (const id of [((r.props as Record<string, unknown>)._srcLoad as string[] | string | undefined) ?? []].flat()) loadIds.add(id);
  const nameOf = new Map<string, string>();
  const nodeLines: string[] = [];
  for (const n of nodes) {
    const labels = [...(n.labels as string[])].sort().join(':');
    const text = `${labels} ${propsText(labels, n.props as Record<string, unknown>, loadIds, normalise)}`;
    const props = n.props as Record<string, unknown>;
    // A node's name in relationship lines: its key (entities, KgMeta) or its whole text.
    nameOf.set(String(n.id), typeof props.key === 'string' ? `${labels}[${props.key}]` : text);
    nodeLines.push(text);
  }
  const relLines = rels.map(
    (r) => `${nameOf.get(String(r.a))} -${r.type}-> ${nameOf.get(String(r.b))} ${propsText(String(r.type), r.props as Record<string, unknown>, loadIds, normalise)}`,
  );
  return { nodes: nodeLines.sort(), relationships: relLines.sort() };
}
