import { EDGES_AMONG, ENTITIES_BY_CANDIDATE_KEYS, NEIGHBOUR_LEVEL, SEARCH_ENTITIES } from './queries.js';
import { storedEntityId } from '../privacy/pseudonym.js';
import { entityKey } from '../graph/vocabulary.js';
import type { ApiContext } from '../core/context.js';
import { toEntity, type EntityShape } from '../graph/entity.js';
import { luceneQuery, MAX_SEARCH_QUERY_LENGTH } from './search-query.js';
import { badInput, notFound } from '../core/errors.js';

/** Most edges a Subgraph carries; the strongest are kept. */
export const MAX_SUBGRAPH_EDGES = 5_000;
/** Ranked hits the full-text index hands over before the type filter. */
const SEARCH_SCAN = 500;

/**
 * Resolves an entity named by a caller to its stored entity: `type` + id (a consumer's raw
 * id is pseudonymised), or, without `type`, an entity key or an id of any type. Throws
 * NOT_FOUND when there is none and BAD_USER_INPUT when an untyped id is ambiguous.
 */
export async function resolveEntity(ctx: ApiContext, id: string, type?: string | null, argument = 'id'): Promise<EntityShape> {
  if (type) {
    const found = await ctx.loaders.entityByKey.load(entityKey(type, storedEntityId(ctx.config.pseudonymSecret, type, id)));
    if (!found) throw notFound(`No ${type} with ${argument} "${id}".`, { argument });
    return found;
  }
  const candidates = new Set(ctx.vocabulary.entityTypes.map((t) => entityKey(t, storedEntityId(ctx.config.pseudonymSecret, t, id))));
  const colon = id.indexOf(':');
  if (colon > 0 && ctx.vocabulary.entityTypes.includes(id.slice(0, colon))) candidates.add(id);
  const rows = await ctx.db.read('entity-by-candidate-keys', ENTITIES_BY_CANDIDATE_KEYS, {
    keys: [...candidates],
    types: ctx.vocabulary.entityTypes,
  });
  const found = rows.filter((r) => r.type).map((r) => toEntity(r.props as Record<string, unknown>, String(r.type)));
  if (found.length === 0) throw notFound(`No entity with ${argument} "${id}".`, { argument });
  if (found.length > 1) {
    throw badInput(`"${id}" names entities of several types (${found.map((e) => e.type).join(', ')}); give the type.`, { argument });
  }
  return found[0]!;
}

/** Ranked full-text search; see browse.graphql. */
export async function searchEntities(ctx: ApiContext, query: string, types: string[] | null | undefined, first: number): Promise<EntityShape[]> {
  if (query.length > MAX_SEARCH_QUERY_LENGTH) {
    throw badInput(`query is longer than ${MAX_SEARCH_QUERY_LENGTH} characters.`, { argument: 'query', max: MAX_SEARCH_QUERY_LENGTH });
  }
  const lucene = luceneQuery(query);
  if (lucene === null) throw badInput('query must contain a letter or a digit.', { argument: 'query' });
  const rows = await ctx.db.read('search', SEARCH_ENTITIES, {
    query: lucene,
    exact: query.trim(),
    scan: SEARCH_SCAN,
    types: ctx.vocabulary.entityTypes,
    only: types ?? [],
    first,
  });
  return rows.map((r) => toEntity(r.props as Record<string, unknown>, String(r.type)));
}

interface Edge {
  source: string;
  target: string;
  relation: string;
  weight: number;
}

/** The neighbourhood of an entity as a Subgraph; see browse.graphql. */
export async function neighborhood(
  ctx: ApiContext,
  args: { id: string; type?: string | null; depth: number; relations?: string[] | null; limit: number },
): Promise<{ nodes: EntityShape[]; edges: Edge[]; truncated: number }> {
  const known = ctx.vocabulary.relations.map((r) => r.name);
  const unknown = (args.relations ?? []).filter((r) => !known.includes(r));
  if (unknown.length) {
    throw badInput(`relations: unknown relation ${unknown.map((r) => `"${r}"`).join(', ')}; known: ${known.join(', ')}.`, {
      argument: 'relations',
    });
  }
  const relations = args.relations?.length ? [...new Set(args.relations)] : known;
  const root = await resolveEntity(ctx, args.id, args.type);
  const nodes = [root];
  const seen = [root.key];
  let frontier = [root.key];
  let truncated = 0;
  // One query per hop: each hop ranks its new neighbours by their strongest edge and keeps
  // what the remaining budget allows, so the strongest links near the root win.
  for (let hop = 1; hop <= args.depth && frontier.length > 0; hop++) {
    const budget = args.limit - (nodes.length - 1);
    const [row] = await ctx.db.read('neighborhood-level', NEIGHBOUR_LEVEL, {
      frontier,
      seen,
      relations,
      budget,
      types: ctx.vocabulary.entityTypes,
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
      ? await ctx.db.read('neighborhood-edges', EDGES_AMONG, { keys: seen, relations, max: MAX_SUBGRAPH_EDGES })
      : [];
  const edges = edgeRows.map((r) => ({ source: String(r.source), target: String(r.target), relation: String(r.relation), weight: Number(r.weight) }));
  return { nodes, edges, truncated };
}

export const browseResolvers = {
  Query: {
    entity: (_: unknown, args: { id: string; type?: string | null }, ctx: ApiContext) => resolveEntity(ctx, args.id, args.type),
    search: (_: unknown, args: { query: string; types?: string[] | null; first: number }, ctx: ApiContext) =>
      searchEntities(ctx, args.query, args.types, args.first),
    neighborhood: (
      _: unknown,
      args: { id: string; type?: string | null; depth: number; relations?: string[] | null; limit: number },
      ctx: ApiContext,
    ) => neighborhood(ctx, args),
  },
};
