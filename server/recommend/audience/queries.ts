/**
 * Cypher of the audience builder (server/recommend/audience). Scoring is in memory over the
 * learned model; what is read here is every consumer's engagements and interests in one
 * batched read (kept per model version, persons.ts), and, per request, the persons who engaged
 * live with the target products (always excluded, under any of their ids). Consumers are
 * grouped by `coalesce(c.person, c.id)`, so a graph whose identity step has not run still works.
 */
import { relTypes } from '../../graph/cypher.js';
import type { Vocabulary } from '../../graph/vocabulary.js';

const relsOf = (vocabulary: Vocabulary, ...roles: string[]) =>
  relTypes(vocabulary, vocabulary.relations.filter((r) => roles.includes(r.role)).map((r) => r.name));

/**
 * Every consumer with an engagement or an interest: its group (`coalesce(person, id)`), its
 * person id and compact lists [product, relation, weight, firstTs] and [interest, relation,
 * weight] (each bounded by `$scan`). One read for the whole graph, not one per consumer.
 */
export function personRowsQuery(vocabulary: Vocabulary): string {
  const eng = relsOf(vocabulary, 'engagement-strong', 'engagement-weak');
  const interest = relsOf(vocabulary, 'interest');
  return `
MATCH (c:Consumer)
WHERE EXISTS { (c)-[${eng}]->(:Product) } OR EXISTS { (c)-[${interest}]->(:Interest) }
RETURN c.id AS id, c.person AS person,
  COLLECT { MATCH (c)-[r${eng}]->(p:Product) RETURN [p.id, type(r), r.weight, r.firstTs] AS e LIMIT toInteger($scan) } AS engaged,
  COLLECT { MATCH (c)-[r${interest}]->(t:Interest) RETURN [t.id, type(r), r.weight] AS t LIMIT toInteger($scan) } AS interests`;
}

/** The groups (`coalesce(person, id)`) of every consumer who engaged with one of the products `$ids`, live. */
export function liveEngagersQuery(vocabulary: Vocabulary): string {
  const eng = relsOf(vocabulary, 'engagement-strong', 'engagement-weak');
  return `
UNWIND $ids AS pid
MATCH (p:Product {id: pid})<-[${eng}]-(c:Consumer)
RETURN DISTINCT coalesce(c.person, c.id) AS g`;
}
