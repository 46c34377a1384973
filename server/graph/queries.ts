/** The effective vocabulary (core plus schema files), stored as JSON on a meta node. */
export const READ_VOCABULARY = "MATCH (m:KgMeta {key: 'vocabulary'}) RETURN m.json AS json";
export const WRITE_VOCABULARY = "MERGE (m:KgMeta {key: 'vocabulary'}) SET m.json = $json, m.updatedAt = datetime().epochMillis";

/**
 * Sets `_consumers` (distinct persons, `coalesce(c.person, c.id)`, linked by the given relation
 * types through any of their ids) on every non-consumer entity, in batches so a large graph
 * does not need one huge transaction. Each linked consumer's person is read once per entity.
 * Relation types arrive as a parameter list and are compared with `type(r)`, never pasted.
 */
export const REFRESH_ENGAGEMENT_DEGREES = `
MATCH (n:Entity) WHERE NOT n:Consumer
CALL (n) {
  OPTIONAL MATCH (n)<-[r]-(c:Consumer) WHERE type(r) IN $relations
  WITH DISTINCT n, c
  WITH n, count(DISTINCT coalesce(c.person, c.id)) AS consumers
  SET n._consumers = consumers
} IN TRANSACTIONS OF 5000 ROWS`;

/** `_consumers` of the given entities only, counted as REFRESH_ENGAGEMENT_DEGREES does (the incremental path). */
export const UPDATE_ENGAGEMENT_DEGREES = `
UNWIND $keys AS k
MATCH (n:Entity {key: k}) WHERE NOT n:Consumer
SET n._consumers = COUNT { MATCH (n)<-[r]-(c:Consumer) WHERE type(r) IN $relations WITH DISTINCT c RETURN DISTINCT coalesce(c.person, c.id) }`;

/**
 * The entities (key, type) linked by `$relations` to any id of the persons of those of
 * `$consumers` (keys) whose person may have changed without a link of theirs changing: a
 * person with several ids, or a consumer with no link to any of `$entities` (what the write
 * touched), as the identity step's extra consumers are. Their persons' counts moved.
 */
export const IDENTITY_TOUCHED_ENTITIES = `
UNWIND $consumers AS ck
MATCH (c:Consumer {key: ck})
WHERE (c.person IS NOT NULL AND coalesce(c.personIds, 2) > 1)
   OR NOT EXISTS { MATCH (c)-[r]->(e:Entity) WHERE type(r) IN $relations AND e.key IN $entities }
CALL (c) {
  WITH c WHERE c.person IS NULL OR coalesce(c.personIds, 2) <= 1
  RETURN c AS x
  UNION
  WITH c WHERE c.person IS NOT NULL AND coalesce(c.personIds, 2) > 1
  MATCH (x:Consumer {person: c.person})
  RETURN x
}
WITH DISTINCT x
MATCH (x)-[r]->(e:Entity) WHERE type(r) IN $relations AND NOT e:Consumer
RETURN DISTINCT e.key AS key, split(e.key, ':')[0] AS type`;

/**
 * Entities by key, for a batch of keys: `props` and `type` (its vocabulary label, picked from
 * `$types`, the allow-listed entity types passed as a parameter, never pasted).
 */
export const ENTITIES_BY_KEY = `
UNWIND $keys AS k
MATCH (n:Entity {key: k})
RETURN k AS key, n {.*} AS props, [l IN labels(n) WHERE l IN $types][0] AS type`;

/** Entities with any of the candidate `$keys`: resolves an id given without its type. */
export const ENTITIES_BY_CANDIDATE_KEYS = `
MATCH (n:Entity) WHERE n.key IN $keys
RETURN n {.*} AS props, [l IN labels(n) WHERE l IN $types][0] AS type
LIMIT 10`;

/** True when the graph holds at least one entity. */
export const HAS_ENTITIES = 'MATCH (n:Entity) RETURN count(n) > 0 AS any LIMIT 1';

/**
 * All persons: consumers, less those with a `person`, plus their distinct persons. The first
 * count is the count store's, the other two read the `consumer_person` index only (no node
 * is loaded), so this stays cheap on a million consumers.
 */
export const COUNT_PERSONS_PARTS = `
CALL () { MATCH (c:Consumer) RETURN count(c) AS consumers }
CALL () { MATCH (c:Consumer) WHERE c.person IS NOT NULL RETURN count(c) AS linked, count(DISTINCT c.person) AS persons }`;
export const COUNT_PERSONS = `${COUNT_PERSONS_PARTS}
RETURN consumers - linked + persons AS n`;
