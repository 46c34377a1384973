import { allowListed, ENTITY_LABEL, type Vocabulary } from '../schema/vocabulary.js';

/**
 * The baseline of the ingest benchmark: Neo4j's own `LOAD CSV` with `CALL { } IN TRANSACTIONS`,
 * one pass per relation (labels and types must be static, so rows are filtered per relation),
 * merging nodes and relationships and summing weight and count like the loader's totals.
 */
export function loadCsvPass(vocabulary: Vocabulary, relation: string, fromType: string, toType: string): string {
  const rel = allowListed(relation, vocabulary.relations.map((r) => r.name));
  const from = allowListed(fromType, vocabulary.entityTypes);
  const to = allowListed(toType, vocabulary.entityTypes);
  return `
LOAD CSV WITH HEADERS FROM $url AS row
WITH row WHERE row.relation = $relation
CALL (row) {
  MERGE (s:${from} {id: row.subject})
    ON CREATE SET s:${ENTITY_LABEL}, s.key = $fromType + ':' + row.subject, s.name = row.subject
  MERGE (o:${to} {id: row.object})
    ON CREATE SET o:${ENTITY_LABEL}, o.key = $toType + ':' + row.object, o.name = row.object
  MERGE (s)-[r:${rel}]->(o)
    ON CREATE SET r.weight = toFloat(row.weight), r.count = 1,
                  r.firstTs = toFloat(row.timestamp), r.lastTs = toFloat(row.timestamp)
    ON MATCH SET r.weight = r.weight + toFloat(row.weight), r.count = r.count + 1,
                 r.firstTs = CASE WHEN toFloat(row.timestamp) < r.firstTs THEN toFloat(row.timestamp) ELSE r.firstTs END,
                 r.lastTs = CASE WHEN toFloat(row.timestamp) > r.lastTs THEN toFloat(row.timestamp) ELSE r.lastTs END
} IN TRANSACTIONS OF 5000 ROWS`;
}

/** Empties the (throw-away) benchmark database in batches. */
export const WIPE_GRAPH = 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS';

export const COUNT_GRAPH = 'MATCH (n:Entity) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships';
