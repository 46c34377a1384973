/** The effective vocabulary (core plus schema files), stored as JSON on a meta node. */
export const READ_VOCABULARY = "MATCH (m:KgMeta {key: 'vocabulary'}) RETURN m.json AS json";
export const WRITE_VOCABULARY = "MERGE (m:KgMeta {key: 'vocabulary'}) SET m.json = $json, m.updatedAt = datetime().epochMillis";
