import { allowListed, ENTITY_LABEL, type Vocabulary } from '../server/graph/vocabulary.js';

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

/**
 * Empties the (throw-away) benchmark database in batches: relationships first, then nodes, so
 * no batch holds a supernode's thousands of relationships (DETACH DELETE of 5,000 nodes on a
 * 1M graph exceeded the transaction memory pool).
 */
export const WIPE_GRAPH = [
  'MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS',
  'MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS',
];

/**
 * Entities, and relationships between entities: not the refresh's own (the recommendation
 * model's KgModel-[:HAS_PART]->KgModelPart, 20 of them on the 1M file), which a count of every
 * relationship took for 20 more relationships than LOAD CSV wrote.
 */
export const COUNT_GRAPH = 'MATCH (n:Entity) WITH count(n) AS nodes MATCH (:Entity)-[r]->(:Entity) RETURN nodes, count(r) AS relationships';

/** Relationships beyond the first of one type between the same two nodes in the same direction (the loaders keep one). */
export const COUNT_DUPLICATE_RELATIONSHIPS = `
MATCH (a)-[r]->(b)
WITH a, b, type(r) AS type, count(*) AS n WHERE n > 1
RETURN sum(n - 1) AS duplicates, collect(type + ' ' + a.id + '->' + b.id)[..5] AS examples`;

/**
 * The peer in `npm run bench`: the plain collaborative filter of Neo4j's recommendations
 * example ("users who rated what you rated also rated…"), on purchases: products bought by
 * consumers who bought something you bought, ranked by overlap count, minus what you bought.
 * Parameters: consumerId (stored id), k.
 */
export function peerCollaborativeFilter(vocabulary: Vocabulary): string {
  const consumer = allowListed('Consumer', vocabulary.entityTypes);
  const product = allowListed('Product', vocabulary.entityTypes);
  const bought = allowListed('PURCHASED', vocabulary.relations.map((r) => r.name));
  return `
MATCH (me:${ENTITY_LABEL}:${consumer} {id: $consumerId})-[:${bought}]->(:${product})<-[:${bought}]-(other:${consumer})-[:${bought}]->(rec:${product})
WHERE other <> me AND NOT (me)-[:${bought}]->(rec)
RETURN rec.id AS id, count(*) AS overlap
ORDER BY overlap DESC, id
LIMIT toInteger($k)`;
}

/** Sample ids of one entity type (for browsing and insight queries), most connected first. */
export function sampleEntityIds(vocabulary: Vocabulary, type: string): string {
  const label = allowListed(type, vocabulary.entityTypes);
  return `
MATCH (n:${ENTITY_LABEL}:${label})
WITH n, COUNT { (n)--() } AS degree
ORDER BY degree DESC, n.id
LIMIT toInteger($limit)
RETURN n.id AS id, n.name AS name`;
}

/** The served recommendation model's build figures (server/recommend/model: seconds, MB, λ, γ, sizes). */
export const SERVED_MODEL_INFO = `
MATCH (meta:KgMeta {key: 'recommend'}) MATCH (m:KgModel {version: meta.model})
RETURN m.version AS version, m.info AS info`;
