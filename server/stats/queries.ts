import { allowListed, type Vocabulary } from '../graph/vocabulary.js';
import { COUNT_PERSONS_PARTS } from '../graph/queries.js';

/**
 * Counts per entity type and per relation type, plus the entity total (not KgMeta nodes; the
 * relationship total is the sum over the vocabulary's relations, so derived `_` relationships
 * such as `_CO_ENGAGED` never count), as rows of (kind, name, count).
 * Every branch is answered from Neo4j's count store, so this stays instant on millions of
 * triples. Labels and types come from the vocabulary's allow-list only. Each branch counts
 * before it names its row: a grouping key over an empty graph would yield no row at all.
 */
export function statsQuery(vocabulary: Vocabulary): { cypher: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const relationNames = vocabulary.relations.map((r) => r.name);
  const branches = [
    "MATCH (n:Entity) WITH count(n) AS count RETURN 'total' AS kind, 'nodes' AS name, count",
  ];
  // Persons (issue 18): distinct `coalesce(c.person, c.id)` over consumers, from the count
  // store and the `consumer_person` index (COUNT_PERSONS_PARTS), never a scan of consumer nodes.
  if (vocabulary.entityTypes.includes('Consumer')) {
    branches.push(`${COUNT_PERSONS_PARTS}\nWITH consumers - linked + persons AS count RETURN 'total' AS kind, 'persons' AS name, count`);
  }
  vocabulary.entityTypes.forEach((t, i) => {
    params[`t${i}`] = t;
    branches.push(`MATCH (n:${allowListed(t, vocabulary.entityTypes)}) WITH count(n) AS count RETURN 'type' AS kind, $t${i} AS name, count`);
  });
  relationNames.forEach((r, i) => {
    params[`r${i}`] = r;
    branches.push(`MATCH ()-[x:${allowListed(r, relationNames)}]->() WITH count(x) AS count RETURN 'relation' AS kind, $r${i} AS name, count`);
  });
  return { cypher: branches.join('\nUNION ALL\n'), params };
}
