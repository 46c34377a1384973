import { allowListed, ENTITY_LABEL, type Vocabulary } from './vocabulary.js';

/** Name of the full-text index over entity names (Chinese and English). */
export const ENTITY_SEARCH_INDEX = 'entity_search';

/** Label of a saved scene (server/scenes): internal like KgMeta, never an entity type, so browse, search and stats never see one. */
export const SCENE_LABEL = 'KgScene';
/** Label of a key's scene owner node, whose write lock makes a key's saves run one at a time. */
export const SCENE_OWNER_LABEL = 'KgSceneOwner';

/** Label of an identifier (a hashed phone, email …; server/identity): internal, never `:Entity`. */
export const IDENTIFIER_LABEL = 'KgIdentifier';
/** A consumer's link to one of its identifiers, written by the loader with the usual source shares. */
export const HAS_IDENTIFIER = 'HAS_IDENTIFIER';

/** One identifier node a key; consumers found by their unified person (server/identity). */
export const identitySchemaStatements: readonly string[] = [
  `CREATE CONSTRAINT kg_identifier_key IF NOT EXISTS FOR (i:${IDENTIFIER_LABEL}) REQUIRE i.key IS UNIQUE`,
  'CREATE INDEX consumer_person IF NOT EXISTS FOR (c:Consumer) ON (c.person)',
];

/** A key's scene names are unique; its scenes are found by owner; one owner node a key. */
export const sceneSchemaStatements: readonly string[] = [
  `CREATE CONSTRAINT kg_scene_owner_name IF NOT EXISTS FOR (s:${SCENE_LABEL}) REQUIRE (s.owner, s.name) IS UNIQUE`,
  `CREATE CONSTRAINT kg_scene_owner_id IF NOT EXISTS FOR (o:${SCENE_OWNER_LABEL}) REQUIRE o.id IS UNIQUE`,
];

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
    ...sceneSchemaStatements,
    ...identitySchemaStatements,
  ];
}

/** Waits (up to the given seconds) until every index is online. */
export const AWAIT_INDEXES = 'CALL db.awaitIndexes($seconds)';
