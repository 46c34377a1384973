import { badInput } from '../core/errors.js';
import { resolveEntity, toEntity, type EntityLookup, type EntityShape } from '../graph/entity.js';
import { EDGES_AMONG, NEIGHBOUR_LEVEL } from './queries.js';
import { domainLimits } from '../core/limits.js';

interface Edge {
  source: string;
  target: string;
  relation: string;
  weight: number;
  /** Unix seconds of the relation's first and last engagement; null when no timestamp was given. */
  firstTs: number | null;
  lastTs: number | null;
}

/** The neighbourhood of an entity as a Subgraph; see browse/schema.graphql. */
export async function neighborhood(
  lookup: EntityLookup,
  args: { id: string; type?: string | null; depth: number; relations?: string[] | null; limit: number },
): Promise<{ nodes: EntityShape[]; edges: Edge[]; truncated: number }> {
  const known = lookup.vocabulary.relations.map((r) => r.name);
  const unknown = (args.relations ?? []).filter((r) => !known.includes(r));
  if (unknown.length) {
    throw badInput(`relations: unknown relation ${unknown.map((r) => `"${r}"`).join(', ')}; known: ${known.join(', ')}.`, {
      argument: 'relations',
    });
  }
  const relations = args.relations?.length ? [...new Set(args.relations)] : known;
  const root = await resolveEntity(lookup, args.id, args.type);
  const nodes = [root];
  const seen = [root.key];
  let frontier = [root.key];
  let truncated = 0;
  // One query per hop: each hop ranks its new neighbours by their strongest edge and keeps
  // what the remaining budget allows, so the strongest links near the root win.
  for (let hop = 1; hop <= args.depth && frontier.length > 0; hop++) {
    const budget = args.limit - (nodes.length - 1);
    const [row] = await lookup.db.read('neighborhood-level', NEIGHBOUR_LEVEL, {
      frontier,
      seen,
      relations,
      budget,
      types: lookup.vocabulary.entityTypes,
    });
    const kept = ((row?.kept as { props: Record<string, unknown>; type: string | null }[]) ?? []).filter((k) => k.type);
    truncated += Number(row?.total ?? 0) - kept.length;
    frontier = [];
    for (const k of kept) {
      const entity = toEntity(k.props, k.type!);
      nodes.push(entity);
      seen.push(entity.key);
      frontier.push(entity.key);
    }
    if (budget - kept.length <= 0) {
      // The budget is spent: what lies further out is left out too, but counting it would
      // mean walking it, so only this hop's leftovers are counted.
      break;
    }
  }
  const edgeRows =
    nodes.length > 1
      ? await lookup.db.read('neighborhood-edges', EDGES_AMONG, { keys: seen, relations, max: domainLimits.subgraphEdges })
      : [];
  const seconds = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const edges = edgeRows.map((r) => ({ source: String(r.source), target: String(r.target), relation: String(r.relation), weight: Number(r.weight), firstTs: seconds(r.firstTs), lastTs: seconds(r.lastTs) }));
  return { nodes, edges, truncated };
}
