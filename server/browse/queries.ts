import { ENTITY_SEARCH_INDEX } from '../graph/schema-statements.js';

/**
 * Browsing queries: entities by key, full-text search, neighbourhood expansion. Every query
 * returns an entity as `props` (its properties) and `type` (its vocabulary label, picked
 * from `$types`, the allow-listed entity types passed as a parameter, never pasted).
 */

/**
 * Full-text search over names (Chinese and English) with a Lucene query built by
 * `luceneQuery` (server/browse/search-query.ts), filtered by type. The index's own limit is
 * generous so a type filter still finds enough; every candidate is returned with its Lucene
 * score and `rankSearchHits` (server/browse/search-rank.ts) orders them by how they matched.
 * An entity whose id is exactly `$exact` (a pasted id or consumer pseudonym) is found by key.
 */
export const SEARCH_ENTITIES = `
CALL () {
  MATCH (node:Entity) WHERE node.key IN [t IN $types | t + ':' + $exact]
  RETURN node, 1.0e9 AS score
  UNION ALL
  CALL db.index.fulltext.queryNodes('${ENTITY_SEARCH_INDEX}', $query, {limit: toInteger($scan)}) YIELD node, score
  RETURN node, score
}
WITH node, max(score) AS score
WITH node, score, [l IN labels(node) WHERE l IN $types][0] AS type
WHERE type IS NOT NULL AND (size($only) = 0 OR type IN $only)
RETURN node {.*} AS props, type, score
ORDER BY score DESC, node.key
LIMIT toInteger($scan)`;

/**
 * One level of a neighbourhood: the neighbours of the frontier over `$relations` (either
 * direction) that are not yet `$seen`, each with its strongest edge weight. Returns how many
 * there are in all and the `$budget` most useful (ties broken by key so results are stable),
 * so a supernode's millions of neighbours are counted but never shipped. Named entities come
 * before anonymous consumers, strongest first within each: an interest's 8 product and
 * interest links must not hide behind its 200 campers (so whatever `truncated` counts beyond
 * a consumer is a consumer too).
 */
export const NEIGHBOUR_LEVEL = `
MATCH (f:Entity) WHERE f.key IN $frontier
MATCH (f)-[r]-(m:Entity)
WHERE type(r) IN $relations AND NOT m.key IN $seen
WITH m, max(coalesce(r.weight, 1.0)) AS w, CASE WHEN m:Consumer THEN 1 ELSE 0 END AS anonymous
ORDER BY anonymous, w DESC, m.key
WITH collect(m) AS ms
RETURN size(ms) AS total,
       [m IN ms[..toInteger($budget)] | {props: m {.*}, type: [l IN labels(m) WHERE l IN $types][0]}] AS kept`;

/** The edges among a set of entity keys over `$relations`, strongest first, at most `$max`. */
export const EDGES_AMONG = `
MATCH (a:Entity)-[r]->(b:Entity)
WHERE a.key IN $keys AND b.key IN $keys AND type(r) IN $relations
RETURN a.key AS source, b.key AS target, type(r) AS relation, coalesce(r.weight, 1.0) AS weight, r.firstTs AS firstTs, r.lastTs AS lastTs
ORDER BY weight DESC, source, target, relation
LIMIT toInteger($max)`;
