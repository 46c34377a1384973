/**
 * Every Cypher query of the recommendation domain (server/recommend). Scoring is in memory
 * (score.ts over the learned model, model/); what is here is the one read per request of the
 * consumer's live profile, who engaged with a few given products and interests (lookalikes and
 * a product's consumers), the popularity answer before any model exists, the graph query of
 * related() for entity types the model does not hold, and the derived values the precompute
 * step keeps besides the model. Relation types arrive as parameter lists chosen by
 * role; in patterns they and labels appear only through `allowListed` (`relTypes`).
 */
import { relTypes } from '../graph/cypher.js';
import { allowListed, type RelationRole, type Vocabulary } from '../graph/vocabulary.js';

/** Damped weight of relationship `r`: log(1 + weight), weights ≤ 0 count as 0. */
const damped = (r: string) => `log(1.0 + CASE WHEN ${r}.weight > 0 THEN toFloat(${r}.weight) ELSE 0.0 END)`;

/** Entity properties plus its type, the shape `toEntity` takes (server/graph/entity.ts). */
const nodeShape = (n: string) => `${n} {.id, .key, .name, .name_en, _type: [l IN labels(${n}) WHERE l <> 'Entity'][0]}`;

// ---------------------------------------------------------------------------------------------
// Derived values (the recommend precompute step, server/recommend/precompute.ts)

/**
 * Removes what the walk engine (before the learned model) kept on nodes: weight sums, walk
 * and interest lists, co-engagement lists. A no-op on graphs derived since.
 */
export const DROP_WALK_PROPERTIES = `
MATCH (n:Entity) WHERE n._engWeight IS NOT NULL OR n._coIds IS NOT NULL OR n._walkIds IS NOT NULL OR n._topIds IS NOT NULL
CALL (n) {
  REMOVE n._engWeight, n._piWeight, n._ppWeight, n._socialWeight, n._coIds, n._coW, n._coN, n._walkIds, n._walkP, n._topIds, n._topW, n._topRels
} IN TRANSACTIONS OF 5000 ROWS`;

/**
 * How often a purchase went with a view of the same product by the same consumer. Where views
 * lead to purchases (clickstream data) a product viewed but not bought is worth recommending;
 * where they never meet (e.g. MovieLens, where a low rating is a final verdict) it is not.
 * Stored on `KgMeta {key: 'recommend'}` for the consumer query to read.
 */
export function refreshViewConversionQuery(vocabulary: Vocabulary): string {
  const roles = (r: RelationRole) => relTypes(vocabulary, vocabulary.relations.filter((x) => x.role === r).map((x) => x.name));
  return `
MATCH (u:Consumer)-[${roles('engagement-strong')}]->(p:Product)
WITH count(*) AS bought, count(CASE WHEN EXISTS { (u)-[${roles('engagement-weak')}]->(p) } THEN 1 END) AS viewed
MERGE (m:KgMeta {key: 'recommend'})
SET m.boughtAfterView = CASE WHEN bought > 0 THEN toFloat(viewed) / bought ELSE 0.0 END,
    m.revisitViewed = bought > 0 AND toFloat(viewed) / bought >= $minShare`;
}

/** Lets the popularity fallback read the most popular products from an index. */
export function popularityIndex(vocabulary: Vocabulary): string {
  return `CREATE INDEX product_popularity IF NOT EXISTS FOR (n:${allowListed('Product', vocabulary.entityTypes)}) ON (n._consumers)`;
}

// ---------------------------------------------------------------------------------------------
// Consumer → products

/**
 * Popularity fallback: the products most consumers engaged with, excluding those any of the
 * consumers `$consumerIds` (a person's ids; may be empty) engaged with. Read from the
 * `_consumers` index.
 */
export const POPULAR_PRODUCTS = `
MATCH (j:Product) WHERE j._consumers > 0
WITH j ORDER BY j._consumers DESC LIMIT toInteger($scanPopular)
WITH j WHERE NOT EXISTS { UNWIND $consumerIds AS cid MATCH (u:Consumer {id: cid})-[r]->(j) WHERE type(r) IN $engRels }
RETURN j {.*, _type: 'Product'} AS entity, j._consumers AS consumers,
       [(j)-[y]->(t:Interest) WHERE type(y) IN $piRels | t.id][..20] AS interests
LIMIT toInteger($limit)`;

// ---------------------------------------------------------------------------------------------
// Any entity → entities of a type

/**
 * Entities of `targetLabel` related to the entity `$key`: directly linked (`direct`), two
 * hops through any entity (`two-hop`; through consumers the paths are aggregated, never
 * naming a consumer) and, product to product, the co-engagement neighbours (`collab`).
 * Every hop keeps the top `$fanout` of at most `$scan` relationships by damped weight; the
 * landing node is discounted by (consumers + 1)^β.
 */
export function relatedQuery(vocabulary: Vocabulary, targetType: string): string {
  const target = allowListed(targetType, vocabulary.entityTypes);
  return `
MATCH (s:Entity {key: $key})
CALL (s) {
  MATCH (s)-[x]-(t:${target}) WHERE type(x) IN $allRels AND t <> s
  WITH x, t LIMIT toInteger($scan)
  WITH t, type(x) AS rel, ${damped('x')} AS w ORDER BY w DESC LIMIT toInteger($fanout)
  WITH collect({t: t, rel: rel, w: w}) AS rows, sum(w) AS total
  UNWIND rows AS r
  RETURN r.t AS t, 'direct' AS kind, null AS via, [r.rel] AS rels, $w.direct * r.w / total AS raw
  UNION ALL
  MATCH (s)-[x]-(m:Entity) WHERE type(x) IN $allRels AND m <> s
  WITH x, m LIMIT toInteger($scan)
  WITH m, type(x) AS rel, ${damped('x')} AS w ORDER BY w DESC LIMIT toInteger($fanout)
  WITH collect({m: m, rel: rel, w: w}) AS rows, sum(w) AS total
  UNWIND rows AS r
  WITH r.m AS m, r.rel AS rel, r.w / total AS p
  CALL (m, s) {
    MATCH (m)-[y]-(t:${target}) WHERE type(y) IN $allRels AND t <> s
    WITH y, t LIMIT toInteger($scan)
    WITH t, type(y) AS rel2, ${damped('y')} AS w ORDER BY w DESC LIMIT toInteger($fanout)
    WITH collect({t: t, rel2: rel2, w: w}) AS rows, sum(w) AS total
    UNWIND rows AS r
    RETURN r.t AS t, r.rel2 AS rel2, r.w / total AS q
  }
  RETURN t, 'two-hop' AS kind, m AS via, [rel, rel2] AS rels, $w.twoHop * p * q AS raw
}
WITH s, t, kind, CASE WHEN via:Consumer THEN null ELSE via END AS via, CASE WHEN via:Consumer THEN 'Consumer' END AS crowd,
     rels, raw / ((coalesce(t._consumers, 0) + 1.0) ^ $beta) AS c
WITH s, t, kind, via, crowd, rels, sum(c) AS c, count(*) AS n
WHERE c > 0 AND NOT (s:Consumer AND EXISTS { MATCH (s)-[r]->(t) WHERE type(r) IN $allRels })
ORDER BY c DESC
WITH s, t, sum(c) AS score, collect({kind: kind, c: c, n: n, rels: rels, crowd: crowd,
       nodes: CASE WHEN via IS NULL THEN [s, t] ELSE [s, via, t] END})[..3] AS paths
ORDER BY score DESC LIMIT toInteger($pool)
RETURN t {.*, _type: [l IN labels(t) WHERE l <> 'Entity'][0]} AS entity, score,
  [(t)-[y]-(i:Interest) WHERE type(y) IN $allRels | i.id][..20] AS interests,
  coalesce(t._consumers, 0) AS consumers,
  [(s)-[y]-(i:Interest) WHERE type(y) IN $allRels | i.id][..50] AS sourceInterests,
  [p IN paths | {kind: p.kind, c: p.c, n: p.n, crowd: p.crowd, rels: p.rels, nodes: [m IN p.nodes | ${nodeShape('m')}]}] AS paths`;
}

// ---------------------------------------------------------------------------------------------
// Lookalikes and consumers of a product or interest (server/recommend/related-model.ts)

/**
 * Who engaged with the entities `$keys` (products and interests, the strongest `$fanout` of at
 * most `$scan` links each), plus the consumers `$follows`, other than the person `$self` (a
 * person id, or a consumer id where the identity step has set none; '' for nobody), one row
 * per person (`coalesce(person, id)`): the properties of its representative consumer (its
 * smallest id), its engagement count over all its ids (activity), the ids that were found
 * (`ids`) and, per key one of them engaged with, [key, relation, weight, the entity's
 * consumers]. The one read of lookalikes and of a product's consumers (related-model.ts);
 * everything else is the model. The `consumer_person` index is sought only for persons of
 * more than one id.
 */
export const ENGAGERS = `
CALL () {
  UNWIND $keys AS k
  MATCH (m:Entity {key: k})
  CALL (m) {
    MATCH (m)<-[r]-(v:Consumer) WHERE type(r) IN $shareRels AND coalesce(v.person, v.id) <> $self
    WITH v, r LIMIT toInteger($scan)
    WITH v, r ORDER BY r.weight DESC LIMIT toInteger($fanout)
    RETURN v, type(r) AS rel, r.weight AS w
  }
  RETURN v, [k, rel, w, coalesce(m._consumers, 0)] AS via
  UNION ALL
  UNWIND $follows AS fid
  MATCH (v:Consumer {id: fid}) WHERE coalesce(v.person, v.id) <> $self
  RETURN v, null AS via
}
WITH coalesce(v.person, v.id) AS person, collect(DISTINCT v) AS vs, collect(via) AS via
CALL (person, vs) {
  WITH vs[0] AS v WHERE size(vs) = 1 AND coalesce(v.personIds, 1) <= 1
  RETURN v AS rep, COUNT { (v)-[z]->(:Entity) WHERE type(z) IN $shareRels } AS degree
  UNION ALL
  WITH person, vs WHERE size(vs) > 1 OR vs[0].personIds > 1
  MATCH (w:Consumer {person: person})
  WITH person, w ORDER BY w.id LIMIT toInteger($scan)
  WITH person, w, COUNT { (w)-[z]->(:Entity) WHERE type(z) IN $shareRels } AS d
  // Grouped by person, so a branch that matched nothing returns no row (not one of nulls).
  WITH person, collect(w) AS ws, sum(d) AS degree
  RETURN ws[0] AS rep, degree
}
RETURN rep {.*} AS props, degree, via, [x IN vs | x.id] AS ids`;

// ---------------------------------------------------------------------------------------------
// The learned model's one read per request (server/recommend/engine.ts)

/**
 * Everything one recommendation needs from the live graph, in one read: the engagements (to
 * exclude and to seed), interests and follows of the asking consumer's person — every consumer
 * with its `person` (server/identity), found through the `consumer_person` index, or the
 * consumer alone where the identity step has not set one — and the followed consumers'
 * strongest engagements. One index seek on the consumer's id (and one on its person when it
 * has one) and one expansion a list, each typed with the vocabulary's relations of its role
 * (Neo4j expands only those, instead of every relationship and a filter on its type); rows are
 * compact lists ([id, relation, weight, …]) rather than maps, and the item side (taxonomy,
 * product–product links) is in the in-memory model, not read here. `person` is the person's id
 * (the consumer's own id without one) and `ids` its consumers' ids, the asking one included.
 * Follows of the person's own ids are left out. No row for an unknown consumer. Each list is
 * bounded by `$scan` / `$fanout` / `$interestCap` (the person's ids by `$scan`). Built once per
 * vocabulary (the same text every request, so Neo4j plans it once).
 */
export function consumerProfileQuery(vocabulary: Vocabulary): string {
  let q = profileQueries.get(vocabulary);
  if (q) return q;
  // A hop's relation types and the label of its far end, left out where every one of those
  // types ends only at that type (the loader checks ends against the vocabulary), saving a
  // label check a row.
  const hop = (type: string, ...roles: RelationRole[]) => {
    const chosen = vocabulary.relations.filter((r) => roles.includes(r.role));
    const sure = chosen.length > 0 && chosen.every((r) => r.to.length === 1 && r.to[0] === type);
    return { rels: relTypes(vocabulary, chosen.map((r) => r.name)), end: sure ? '' : `:${allowListed(type, vocabulary.entityTypes)}` };
  };
  const eng = hop('Product', 'engagement-strong', 'engagement-weak');
  const interest = hop('Interest', 'interest');
  const social = hop('Consumer', 'social');
  // The person's consumers: the index seek on \`person\` runs only when the consumer has one
  // (the filter comes first), so a graph the identity step has not run on reads as before.
  q = `
MATCH (u:Consumer {id: $consumerId})
CALL (u) {
  WITH u WHERE u.person IS NULL
  RETURN [u] AS members
  UNION ALL
  WITH u WHERE u.person IS NOT NULL
  MATCH (m:Consumer {person: u.person})
  WITH u, m LIMIT toInteger($scan)
  WITH u, collect(m) AS ms
  RETURN CASE WHEN u IN ms THEN ms ELSE [u] + ms END AS members
}
RETURN u.key AS key, u.name AS name, coalesce(u.person, u.id) AS person, [m IN members | m.id] AS ids,
  COLLECT { UNWIND members AS m
            MATCH (m)-[r${eng.rels}]->(p${eng.end})
            RETURN [p.id, type(r), r.weight] AS e LIMIT toInteger($scan) } AS engaged,
  COLLECT { UNWIND members AS m
            MATCH (m)-[r${interest.rels}]->(t${interest.end})
            WITH t, r ORDER BY r.weight DESC LIMIT toInteger($interestCap)
            RETURN [t.id, type(r), r.weight, t.key, t.name, t.name_en] AS t } AS interests,
  COLLECT { UNWIND members AS m
            MATCH (m)-[f${social.rels}]->(v${social.end}) WHERE NOT v IN members
            WITH v, f LIMIT toInteger($scan)
            WITH v, f ORDER BY f.weight DESC LIMIT toInteger($fanout)
            RETURN [v.id, type(f), f.weight, v.key, v.name,
              COLLECT { MATCH (v)-[x${eng.rels}]->(j${eng.end})
                        WITH j, x LIMIT toInteger($scan)
                        WITH j, x ORDER BY x.weight DESC LIMIT toInteger($fanout)
                        RETURN [j.id, type(x), x.weight] AS e }] AS v } AS follows`;
  profileQueries.set(vocabulary, q);
  return q;
}
const profileQueries = new WeakMap<Vocabulary, string>();

/**
 * The consumers the model build samples for its pool exposure (pool-exposure.ts): those with
 * an engagement, in pseudonym order (keyed hashes, so the first `$limit` are an unbiased
 * sample), through the `Consumer.id` constraint's index, each with its person (the caller
 * keeps one id a person: the profile read covers all of them).
 */
export function sampleConsumersQuery(vocabulary: Vocabulary): string {
  const rels = relTypes(vocabulary, vocabulary.relations.filter((r) => r.role === 'engagement-strong' || r.role === 'engagement-weak').map((r) => r.name));
  return `
MATCH (c:Consumer) WHERE c.id IS NOT NULL AND EXISTS { (c)-[${rels}]->() }
RETURN c.id AS id, coalesce(c.person, c.id) AS person ORDER BY c.id LIMIT toInteger($limit)`;
}
