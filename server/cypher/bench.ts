import { allowListed, ENTITY_LABEL, type Vocabulary } from '../schema/vocabulary.js';

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
LIMIT $limit
RETURN n.id AS id, n.name AS name`;
}
