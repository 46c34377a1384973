import type { Database } from '../db/neo4j.js';
import { badInput } from '../core/errors.js';
import { toEntity, type EntityShape } from '../graph/entity.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { SEARCH_ENTITIES } from './queries.js';
import { luceneQuery } from './search-query.js';
import { domainLimits } from '../core/limits.js';

/** Ranked hits the full-text index hands over before the type filter. */
const SEARCH_SCAN = 500;

/** Ranked full-text search; see browse/schema.graphql. */
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
    first,
  });
  return rows.map((r) => toEntity(r.props as Record<string, unknown>, String(r.type)));
}
