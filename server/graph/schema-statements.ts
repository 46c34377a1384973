import { allowListed, ENTITY_LABEL, type Vocabulary } from './vocabulary.js';

/** Name of the full-text index over entity names (Chinese and English). */
export const ENTITY_SEARCH_INDEX = 'entity_search';

/**
 * Schema statements: a uniqueness constraint on `id` per entity type, one on the shared
 * `key` ("Type:id"), and a full-text index over names with the CJK analyzer, which splits
 * Chinese into bigrams and keeps Latin words whole. All `IF NOT EXISTS`, so re-running is a no-op.
 */
export function schemaStatements(vocabulary: Vocabulary): string[] {
  const perType = vocabulary.entityTypes.map((type) => {
    const label = allowListed(type, vocabulary.entityTypes);
    return `CREATE CONSTRAINT \`${type.toLowerCase()}_id\` IF NOT EXISTS FOR (n:${label}) REQUIRE n.id IS UNIQUE`;
  });
  return [
    ...perType,
    `CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (n:${ENTITY_LABEL}) REQUIRE n.key IS UNIQUE`,
    `CREATE FULLTEXT INDEX ${ENTITY_SEARCH_INDEX} IF NOT EXISTS FOR (n:${ENTITY_LABEL}) ON EACH [n.name, n.name_en, n.name_zh, n.id]
       OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'cjk', \`fulltext.eventually_consistent\`: false } }`,
  ];
}

/** Waits (up to the given seconds) until every index is online. */
export const AWAIT_INDEXES = 'CALL db.awaitIndexes($seconds)';
