import { sampleEntityIds } from './queries.js';
import type { Database } from '../server/db/neo4j.js';
import type { Vocabulary } from '../server/graph/vocabulary.js';

/** One insight or browsing field under load: its request bodies (round-robin over sample ids). */
export interface FieldLoad {
  field: 'related' | 'relatedConsumers' | 'relatedInterests' | 'lookalikes' | 'demandLinks' | 'productOpportunities' | 'paths' | 'search' | 'neighborhood';
  bodies: string[];
}

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

export const BENCH_QUERIES = {
  related: 'query($id: ID!) { related(id: $id, type: Product, targetType: Product, first: 10) { entity { id } score } }',
  // The model-served related() and lookalikes (server/recommend/related-model.ts), with their reasons.
  relatedConsumers: 'query($id: ID!) { related(id: $id, type: Product, targetType: Consumer, first: 10) { entity { id } score reasons { share } } }',
  relatedInterests: 'query($id: ID!) { related(id: $id, type: Interest, targetType: Interest, first: 10) { entity { id } score reasons { share } } }',
  lookalikes: 'query($c: ID!) { lookalikes(consumerId: $c, first: 10) { entity { id } score reasons { share text } } }',
  demandLinks: 'query($id: ID!) { demandLinks(id: $id, type: Interest, targetType: Product, first: 10) { entity { id } support confidence lift } }',
  productOpportunities: 'query($n: Int) { productOpportunities(first: $n) { interests { id } consumers lift gapScore closestProducts { id } } }',
  paths: 'query($f: ID!, $t: ID!) { paths(from: $f, fromType: Consumer, to: $t, toType: Product, maxLength: 4, first: 5) { relations strength } }',
  search: 'query($q: String!) { search(query: $q, first: 10) { id name } }',
  neighborhood: 'query($id: ID!) { neighborhood(id: $id, type: Product, depth: 1, limit: 100) { nodes { key } edges { source target } truncated } }',
} as const;

/**
 * Request bodies for the insight and browsing fields, from the graph itself (the most
 * connected products and interests, names to search for) and held-out pairs (paths from a
 * consumer to a product it bought).
 */
export async function insightLoads(db: Database, vocabulary: Vocabulary, pairs: [consumer: string, product: string][], samples = 50): Promise<FieldLoad[]> {
  const products = await db.read('bench-sample', sampleEntityIds(vocabulary, 'Product'), { limit: samples });
  const interests = await db.read('bench-sample', sampleEntityIds(vocabulary, 'Interest'), { limit: samples });
  const ids = (rows: typeof products) => rows.map((r) => String(r.id));
  // Search for a word of each name (the first one), as a person typing would.
  const words = [...products, ...interests].map((r) => String(r.name).split(/[\s\-_/]+/)[0]!).filter((w) => w.length >= 2);
  return [
    { field: 'related', bodies: ids(products).map((id) => body(BENCH_QUERIES.related, { id })) },
    { field: 'relatedConsumers', bodies: ids(products).map((id) => body(BENCH_QUERIES.relatedConsumers, { id })) },
    { field: 'relatedInterests', bodies: ids(interests).map((id) => body(BENCH_QUERIES.relatedInterests, { id })) },
    { field: 'lookalikes', bodies: pairs.slice(0, samples).map(([c]) => body(BENCH_QUERIES.lookalikes, { c })) },
    { field: 'demandLinks', bodies: ids(interests).map((id) => body(BENCH_QUERIES.demandLinks, { id })) },
    { field: 'productOpportunities', bodies: [5, 10, 20].map((n) => body(BENCH_QUERIES.productOpportunities, { n })) },
    { field: 'paths', bodies: pairs.slice(0, samples).map(([f, t]) => body(BENCH_QUERIES.paths, { f, t })) },
    { field: 'search', bodies: words.slice(0, samples).map((q) => body(BENCH_QUERIES.search, { q })) },
    { field: 'neighborhood', bodies: ids(products).map((id) => body(BENCH_QUERIES.neighborhood, { id })) },
  ];
}
