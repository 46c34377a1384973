/** The effective vocabulary (core plus schema files), stored as JSON on a meta node. */
export const READ_VOCABULARY = "MATCH (m:KgMeta {key: 'vocabulary'}) RETURN m.json AS json";
export const WRITE_VOCABULARY = "MERGE (m:KgMeta {key: 'vocabulary'}) SET m.json = $json, m.updatedAt = datetime().epochMillis";

/**
 * Sets `_consumers` (distinct consumers linked by the given relation types) on every
 * non-consumer entity, in batches so a large graph does not need one huge transaction.
 * Relation types arrive as a parameter list and are compared with `type(r)`, never pasted.
 */
export const REFRESH_ENGAGEMENT_DEGREES = `
MATCH (n:Entity) WHERE NOT n:Consumer
CALL (n) {
  OPTIONAL MATCH (n)<-[r]-(c:Consumer) WHERE type(r) IN $relations
  WITH n, count(DISTINCT c) AS consumers
  SET n._consumers = consumers
} IN TRANSACTIONS OF 5000 ROWS`;

/** `_consumers` of the given entities only, counted as REFRESH_ENGAGEMENT_DEGREES does (the incremental path). */
export const UPDATE_ENGAGEMENT_DEGREES = `
UNWIND $keys AS k
MATCH (n:Entity {key: k}) WHERE NOT n:Consumer
SET n._consumers = COUNT { MATCH (n)<-[r]-(c:Consumer) WHERE type(r) IN $relations RETURN DISTINCT c }`;

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
