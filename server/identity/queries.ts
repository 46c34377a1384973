import { relTypes } from '../graph/cypher.js';
import { relationsWithRole } from '../graph/roles.js';
import { HAS_IDENTIFIER, IDENTIFIER_LABEL } from '../graph/schema-statements.js';
import { ENTITY_LABEL, type Vocabulary } from '../graph/vocabulary.js';

/*
 * Identity stitching's Cypher. Persons are components over the `identity` relations (SAME_AS,
 * either direction) and shared identifiers (`HAS_IDENTIFIER` to one `:KgIdentifier`) held by at
 * most `$max` consumers (a crowded identifier, such as a placeholder phone, links nobody).
 */

/** The `identity` relations as a pattern type list (`:SAME_AS`). */
const identityTypes = (vocabulary: Vocabulary) => relTypes(vocabulary, relationsWithRole(vocabulary, 'identity'));

/** Every consumer with what the last run wrote (null before any). */
export const READ_CONSUMERS = `
MATCH (c:Consumer)
RETURN c.id AS id, c.person AS person, c.personIds AS n`;

/** Every identity link as (a, b), once each. */
export function readIdentityPairs(vocabulary: Vocabulary): string {
  return `
MATCH (a:Consumer)-[${identityTypes(vocabulary)}]->(b:Consumer)
WHERE a <> b
RETURN a.id AS a, b.id AS b`;
}

/** The consumers of every identifier held by 2 … `$max` of them, one row an identifier. */
export const READ_SHARED_IDENTIFIERS = `
MATCH (i:${IDENTIFIER_LABEL})
WITH i, COUNT { (i)<-[:${HAS_IDENTIFIER}]-(:Consumer) } AS n
WHERE n >= 2 AND n <= $max
MATCH (i)<-[:${HAS_IDENTIFIER}]-(c:Consumer)
RETURN i.key AS key, collect(c.id) AS ids`;

/** Writes the changed persons (`$rows`: id, person, n). */
export const WRITE_PERSONS = `
UNWIND $rows AS r
MATCH (c:Consumer {id: r.id})
SET c.person = r.person, c.personIds = r.n`;

/** Identifier nodes no consumer links to any more (their last link was a stale share). */
export const DROP_ORPHAN_IDENTIFIERS = `
MATCH (i:${IDENTIFIER_LABEL}) WHERE NOT (i)<-[:${HAS_IDENTIFIER}]-()
CALL (i) { DELETE i } IN TRANSACTIONS OF 10000 ROWS`;

/**
 * One step of the incremental walk, for the consumers `$ids`: their current person and size,
 * the consumers they are linked to now (`links`: identity relations either way, shared
 * identifiers that are not crowded) and the consumers of their current person (`mates`, found
 * by the person index): a component may have split, so everyone who was one person with them
 * is recomputed too.
 */
export function expandConsumers(vocabulary: Vocabulary): string {
  return `
UNWIND $ids AS id
MATCH (c:Consumer {id: id})
CALL (c) {
  OPTIONAL MATCH (c)-[${identityTypes(vocabulary)}]-(d:Consumer) WHERE d <> c
  RETURN collect(DISTINCT d.id) AS same
}
CALL (c) {
  OPTIONAL MATCH (c)-[:${HAS_IDENTIFIER}]->(i:${IDENTIFIER_LABEL})
  WITH i WHERE i IS NOT NULL AND COUNT { (i)<-[:${HAS_IDENTIFIER}]-(:Consumer) } <= $max
  MATCH (i)<-[:${HAS_IDENTIFIER}]-(d:Consumer)
  RETURN collect(DISTINCT d.id) AS shared
}
CALL (c) {
  OPTIONAL MATCH (m:Consumer {person: c.person}) WHERE c.person IS NOT NULL AND m <> c
  RETURN collect(m.id) AS mates
}
RETURN c.id AS id, c.person AS person, c.personIds AS n, same + [x IN shared WHERE x <> c.id] AS links, mates`;
}

/**
 * For the consumers a write touched: the holders of their crowded identifiers who are part of
 * a larger person. An identifier that just became crowded no longer links them, and the walk
 * (which does not cross crowded identifiers) would not reach them otherwise.
 */
export const CROWDED_NEIGHBOURS = `
UNWIND $ids AS id
MATCH (c:Consumer {id: id})-[:${HAS_IDENTIFIER}]->(i:${IDENTIFIER_LABEL})
WHERE COUNT { (i)<-[:${HAS_IDENTIFIER}]-(:Consumer) } > $max
MATCH (i)<-[:${HAS_IDENTIFIER}]-(d:Consumer)
WHERE d.personIds > 1
RETURN collect(DISTINCT d.id) AS ids`;

/**
 * A consumer's person, for `identity()`: its person (its own singleton before the identity
 * step ran), the number of consumer ids in it, the ids each source contributed (a source
 * contributes an id when a share of it is on one of that consumer's relationships: its
 * triples either way, identity links, identifier links) and the crowded identifiers its ids
 * hold. Never the ids themselves.
 */
export const IDENTITY_OF = `
MATCH (c:Consumer {id: $id})
WITH c, coalesce(c.person, 'p_' + substring(c.id, 2)) AS person
CALL (c) {
  OPTIONAL MATCH (m:Consumer {person: c.person}) WHERE c.person IS NOT NULL
  WITH c, collect(m) AS ms
  RETURN CASE WHEN size(ms) = 0 THEN [c] ELSE ms END AS members
}
CALL (members) {
  UNWIND members AS m
  CALL (m) {
    MATCH (m)-[x]-()
    WHERE x._src IS NOT NULL
    UNWIND CASE WHEN x._src IS :: STRING THEN [x._src] ELSE x._src END AS src
    RETURN collect(DISTINCT src) AS sources
  }
  UNWIND sources AS src
  WITH src, count(*) AS ids ORDER BY ids DESC, src
  RETURN collect({source: src, ids: ids}) AS sources
}
CALL (members) {
  UNWIND members AS m
  MATCH (m)-[:${HAS_IDENTIFIER}]->(i:${IDENTIFIER_LABEL})
  WITH DISTINCT i
  WHERE COUNT { (i)<-[:${HAS_IDENTIFIER}]-(:Consumer) } > $max
  RETURN count(i) AS crowded
}
RETURN person, size(members) AS ids, sources, crowded`;

/** Stored person and size of consumers by entity key (`Entity.person`); keys that are no consumer are left out. */
export const PERSONS_BY_KEY = `
UNWIND $keys AS k
MATCH (c:${ENTITY_LABEL} {key: k}) WHERE c:Consumer
RETURN k AS key, coalesce(c.person, 'p_' + substring(c.id, 2)) AS person, coalesce(c.personIds, 1) AS n`;
