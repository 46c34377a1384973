import { statsQuery } from './queries.js';
import type { ApiContext } from '../context.js';

interface TypeCount {
  name: string;
  count: number;
}

/** Reads the graph's counts by type and relation from Neo4j's count store. */
export async function readStats(ctx: ApiContext) {
  const { cypher, params } = statsQuery(ctx.vocabulary);
  const rows = await ctx.db.read('stats', cypher, params);
  const pick = (kind: string) =>
    rows.filter((r) => r.kind === kind).map((r) => ({ name: String(r.name), count: Number(r.count) }) satisfies TypeCount);
  const total = (name: string) => Number(rows.find((r) => r.kind === 'total' && r.name === name)?.count ?? 0);
  return {
    nodeCount: total('nodes'),
    persons: total('persons'),
    relationshipCount: pick('relation').reduce((sum, r) => sum + r.count, 0),
    byType: pick('type'),
    byRelation: pick('relation'),
  };
}

export const statsResolvers = {
  Query: {
    stats: (_: unknown, __: unknown, ctx: ApiContext) => readStats(ctx),
  },
};
