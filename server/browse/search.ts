import type { Database } from '../db/neo4j.js';
import { badInput } from '../core/errors.js';
import { toEntity, type EntityShape } from '../graph/entity.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { SEARCH_ENTITIES } from './queries.js';
import { luceneQuery } from './search-query.js';
import { rankSearchHits } from './search-rank.js';
import { domainLimits } from '../core/limits.js';

/** Ranked hits the full-text index hands over before the type filter. */
const SEARCH_SCAN = 500;

/** Full-text search ranked by how each hit matched (search-rank.ts); see browse/schema.graphql. */
export async function searchEntities(db: Database, vocabulary: Vocabulary, query: string, types: string[] | null | undefined, first: number): Promise<EntityShape[]> {
  if (query.length > domainLimits.searchQueryLength) {
    throw badInput(`query is longer than ${domainLimits.searchQueryLength} characters.`, { argument: 'query', max: domainLimits.searchQueryLength });
  }
  const lucene = luceneQuery(query);
  if (lucene === null) throw badInput('query must contain a letter or a digit.', { argument: 'query' });
  const rows = await db.read('search', SEARCH_ENTITIES, {
    query: lucene,
    exact: query.trim(),
    scan: SEARCH_SCAN,
    types: vocabulary.entityTypes,
    only: types ?? [],
  });
  const hits = rows.map((r) => ({ props: r.props as Record<string, unknown>, type: String(r.type), score: Number(r.score) }));
  return rankSearchHits(query, hits, first).map((h) => toEntity(h.props, h.type));
}
