import { SCENE_LABEL, SCENE_OWNER_LABEL } from '../graph/schema-statements.js';

// Saved scenes: one (:KgScene {owner, name}) node a scene, `owner` the key's id (never the key).
// `NOT s:Entity`: a schema file that declared an entity type of the same name still never
// mixes its entities in.

/**
 * Creates or replaces a key's scene in one transaction. The owner node's write lock (SET)
 * makes two saves of one key run one after the other, so the per-key cap and the "exists"
 * answer cannot race. Writes only when `status` is 'created' or 'replaced'.
 */
export const SAVE_SCENE = `
MERGE (o:${SCENE_OWNER_LABEL} {id: $owner})
SET o.lockedAt = $now
WITH o
OPTIONAL MATCH (old:${SCENE_LABEL} {owner: $owner, name: $name}) WHERE NOT old:Entity
WITH old, COUNT { MATCH (x:${SCENE_LABEL} {owner: $owner}) WHERE NOT x:Entity } AS count
WITH old, count, CASE
  WHEN old IS NOT NULL AND NOT $overwrite THEN 'exists'
  WHEN old IS NOT NULL THEN 'replaced'
  WHEN count >= $maxScenes THEN 'full'
  ELSE 'created' END AS status
FOREACH (_ IN CASE WHEN status = 'created' THEN [1] ELSE [] END |
  CREATE (:${SCENE_LABEL} {owner: $owner, name: $name, scene: $scene, bytes: $bytes, nodes: $nodes, edges: $edges, createdAt: $now, updatedAt: $now}))
FOREACH (_ IN CASE WHEN status = 'replaced' THEN [1] ELSE [] END |
  SET old.scene = $scene, old.bytes = $bytes, old.nodes = $nodes, old.edges = $edges, old.updatedAt = $now)
RETURN status, count, coalesce(old.createdAt, $now) AS createdAt`;

/** A key's scenes without their JSON, most recently saved first. */
export const LIST_SCENES = `
MATCH (s:${SCENE_LABEL} {owner: $owner}) WHERE NOT s:Entity
RETURN s.name AS name, s.bytes AS bytes, s.nodes AS nodes, s.edges AS edges, s.createdAt AS createdAt, s.updatedAt AS updatedAt
ORDER BY s.updatedAt DESC, s.name`;

/** One scene of a key, with its JSON. */
export const READ_SCENE = `
MATCH (s:${SCENE_LABEL} {owner: $owner, name: $name}) WHERE NOT s:Entity
RETURN s.name AS name, s.scene AS scene, s.bytes AS bytes, s.nodes AS nodes, s.edges AS edges, s.createdAt AS createdAt, s.updatedAt AS updatedAt`;

/** Deletes one scene of a key; `deleted` is 0 when the key has none of that name. */
export const DELETE_SCENE = `
OPTIONAL MATCH (s:${SCENE_LABEL} {owner: $owner, name: $name}) WHERE NOT s:Entity
WITH s, CASE WHEN s IS NULL THEN 0 ELSE 1 END AS deleted
DELETE s
RETURN deleted`;
