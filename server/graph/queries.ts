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
