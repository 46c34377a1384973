/**
 * Every Cypher query of the recommendation engine (server/recommend) and its precomputation
 * (server/recommend/precompute.ts). Relation types arrive as parameter lists chosen by
 * role; in patterns they and labels appear only through `allowListed` (`relTypes`). Product
 * neighbours by co-engagement are the derived `_coIds`/`_coW`/`_coN` lists (docs/DATA-MODEL.md).
 *
 * Scoring is a weighted random walk: each hop's probability is a damped weight
 * (log(1 + weight) times the role's factor) over the node's total, and the landing node is
 * discounted by (consumers + 1)^β, as in RP3β. Each hop reads at most `$scan` relationships
 * of a node and keeps the top `$fanout` by damped weight, so supernodes cost no more than
 * any other node.
 */
import { relTypes } from '../graph/cypher.js';
import { allowListed, type RelationRole, type Vocabulary } from '../graph/vocabulary.js';

/** Damped weight of relationship `r`: log(1 + weight), weights ≤ 0 count as 0. */
const damped = (r: string) => `log(1.0 + CASE WHEN ${r}.weight > 0 THEN toFloat(${r}.weight) ELSE 0.0 END)`;

/** The relationship type earlier versions kept co-engagement in (removed on refresh). */
const CO_ENGAGED = '_CO_ENGAGED';

/** Entity properties plus its type, the shape `toEntity` takes (server/graph/entity.ts). */
const nodeShape = (n: string) => `${n} {.id, .key, .name, .name_en, _type: [l IN labels(${n}) WHERE l <> 'Entity'][0]}`;

// ---------------------------------------------------------------------------------------------
// Derived values (run after every load, the precompute steps in server/domains.ts)

/**
 * Per entity, the sum of damped weights of its relationships by role family: `_engWeight`
 * (engagement, role factor applied), `_piWeight` (product–interest), `_ppWeight`
 * (product–product) and `_socialWeight` (outgoing social). Random-walk steps divide by these.
 */
export const REFRESH_WEIGHT_SUMS = `
MATCH (n:Entity)
CALL (n) {
  WITH n, [(n)-[r]-() WHERE type(r) IN $allRels | {t: type(r), w: ${damped('r')}, out: startNode(r) = n}] AS rs
  SET n._engWeight = reduce(s = 0.0, x IN rs | s + CASE WHEN x.t IN $engRels THEN $factors[x.t] * x.w ELSE 0.0 END),
      n._piWeight = reduce(s = 0.0, x IN rs | s + CASE WHEN x.t IN $piRels THEN x.w ELSE 0.0 END),
      n._ppWeight = reduce(s = 0.0, x IN rs | s + CASE WHEN x.t IN $ppRels THEN x.w ELSE 0.0 END),
      n._socialWeight = reduce(s = 0.0, x IN rs | s + CASE WHEN x.t IN $socialRels AND x.out THEN x.w ELSE 0.0 END)
} IN TRANSACTIONS OF 2000 ROWS`;

/**
 * Each interest's `$topProducts` strongest products (damped weight, then popularity) as the
 * parallel lists `_topIds` / `_topW` / `_topRels`, so a query stepping from an interest to
 * products reads a short list instead of a genre-sized fan of relationships.
 */
export const REFRESH_INTEREST_TOP = `
MATCH (t:Interest)
CALL (t) {
  REMOVE t._topIds, t._topW, t._topRels
  WITH t
  MATCH (t)<-[x]-(j:Product) WHERE type(x) IN $piRels
  WITH t, x, j LIMIT toInteger($scan)
  WITH t, j, type(x) AS rel, ${damped('x')} AS w ORDER BY w DESC, coalesce(j._consumers, 0) DESC LIMIT toInteger($topProducts)
  WITH t, collect(j.id) AS ids, collect(w) AS ws, collect(rel) AS rels
  SET t._topIds = ids, t._topW = ws, t._topRels = rels
} IN TRANSACTIONS OF 500 ROWS`;

/** Products of interest `t` from its precomputed top list, the first `$fanout`. */
const interestProducts = (t: string, rel: string) => `CALL (${t}) {
    UNWIND range(0, size(coalesce(${t}._topIds, [])) - 1)[..toInteger($fanout)] AS k
    MATCH (j:Product {id: ${t}._topIds[k]})
    RETURN j, ${t}._topRels[k] AS ${rel}, ${t}._topW[k] AS w
  }`;

/**
 * First half of the co-engagement walk, per consumer: the `$productCap` strongest engaged
 * products (damped weight, then recency) and their step probabilities P(u→j), kept as the
 * parallel lists `_walkIds` / `_walkP`, so the second half reads a list instead of sorting
 * a consumer's relationships again for every product they touched.
 */
export const REFRESH_CONSUMER_WALKS = `
MATCH (u:Consumer)
CALL (u) {
  REMOVE u._walkIds, u._walkP
  WITH u
  MATCH (u)-[r]->(j:Product) WHERE type(r) IN $engRels AND u._engWeight > 0
  WITH u, r, j LIMIT toInteger($scan)
  WITH u, j, $factors[type(r)] * ${damped('r')} AS w, r.lastTs AS ts
  ORDER BY w DESC, ts DESC LIMIT toInteger($productCap)
  WITH u, collect(j.id) AS ids, collect(w / u._engWeight) AS ps
  SET u._walkIds = ids, u._walkP = ps
} IN TRANSACTIONS OF 1000 ROWS`;

/** Each consumer's walk list (see REFRESH_CONSUMER_WALKS), for the co-engagement step. */
export const READ_CONSUMER_WALKS = `
MATCH (u:Consumer) WHERE u._walkIds IS NOT NULL AND u._engWeight > 0
RETURN u.id AS id, u._engWeight AS total, u._walkIds AS ids, u._walkP AS ps`;

/**
 * Every engagement edge as the walk's first step P(i→u): the edge's damped, role-weighted
 * weight over the product's total. Only consumers with a walk list take part.
 */
export function readProductStepsQuery(vocabulary: Vocabulary): string {
  const eng = relTypes(vocabulary, vocabulary.relations.filter((x) => x.role === 'engagement-strong' || x.role === 'engagement-weak').map((x) => x.name));
  return `
MATCH (i:Product)<-[r${eng}]-(u:Consumer)
WHERE i._engWeight > 0 AND u._walkIds IS NOT NULL
RETURN i.id AS product, u.id AS consumer, $factors[type(r)] * ${damped('r')} / i._engWeight AS p`;
}

/** Products and their consumer counts, for the neighbour choice's popularity discount. */
export const READ_PRODUCT_POPULARITY = 'MATCH (j:Product) RETURN j.id AS id, coalesce(j._consumers, 0) AS consumers';

/**
 * Sets the co-engagement neighbours of a batch of products (`$products`: id, neighbour ids,
 * co and shared) as the parallel lists `_coIds` / `_coW` / `_coN`: one property write per
 * product instead of a hundred relationships deleted and created. An empty list clears them.
 */
export const WRITE_CO_ENGAGEMENT = `
UNWIND $products AS p
MATCH (i:Product {id: p.id})
SET i._coIds = p.ids, i._coW = p.co, i._coN = p.shared`;

/** Removes the relationships an earlier version stored co-engagement in. */
export const DROP_CO_ENGAGED_RELATIONSHIPS = `
MATCH ()-[old:${CO_ENGAGED}]->()
CALL (old) { DELETE old } IN TRANSACTIONS OF 10000 ROWS`;

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

const recommendCache = new WeakMap<Vocabulary, string>();

/**
 * Candidate products for one consumer with their score and strongest paths. Path families:
 * `collab` (consumer → product → co-engaged product), `similar` (product–product role),
 * `profile` (consumer → product → interest → product, the interests their products carry),
 * `interest` (consumer → interest [→ narrower/broader interest] → product), `social`
 * (consumer → followed consumer → product), `revisit` (a product the consumer only viewed).
 * Each family's scores are normalised to sum to its weight `$w[kind]`. Products the consumer
 * bought are excluded, and products they viewed too unless views lead to purchases here
 * (`$excludeViewed`, else `KgMeta {key: 'recommend'}.revisitViewed`). Returns no row for an unknown consumer, and
 * one row with `candidates: []` when nothing is linked.
 */
export function recommendProductsQuery(vocabulary: Vocabulary): string {
  const cached = recommendCache.get(vocabulary);
  if (cached) return cached;
  const roles = (...r: RelationRole[]) => relTypes(vocabulary, vocabulary.relations.filter((x) => r.includes(x.role)).map((x) => x.name));
  const eng = roles('engagement-strong', 'engagement-weak');
  const interest = roles('interest');
  const pi = roles('product-interest');
  const tax = roles('taxonomy');
  const social = roles('social');
  const pp = roles('product-product');
  const query = `
MATCH (u:Consumer {id: $consumerId})
CALL (u) {
  OPTIONAL MATCH (u)-[r${eng}]->(i:Product)
  WITH r, i LIMIT toInteger($scan)
  WITH i, type(r) AS rel, $factors[type(r)] * ${damped('r')} AS w
  ORDER BY w DESC LIMIT toInteger($seedCap)
  WITH collect(CASE WHEN i IS NULL THEN null ELSE {node: i, rel: rel, w: w} END) AS seeds, sum(w) AS total
  RETURN [s IN seeds | s {.*, p: s.w / CASE WHEN total > 0 THEN total ELSE 1.0 END}] AS seeds
}
CALL (u) {
  OPTIONAL MATCH (u)-[r${interest}]->(t:Interest)
  WITH r, t LIMIT toInteger($scan)
  WITH t, type(r) AS rel, ${damped('r')} AS w
  ORDER BY w DESC LIMIT toInteger($interestCap)
  WITH collect(CASE WHEN t IS NULL THEN null ELSE {node: t, rel: rel, w: w} END) AS ints, sum(w) AS total
  RETURN [s IN ints | s {.*, p: s.w / CASE WHEN total > 0 THEN total ELSE 1.0 END}] AS interests
}
// What the consumer bought is never recommended, nor what they viewed unless the graph shows
// views leading to purchases ($excludeViewed null: decided by KgMeta.revisitViewed). A list for
// the common case (a list test per candidate row is cheaper than a relationship test), checked
// again on the final pool for the rare consumer who engaged with more than $scan products.
OPTIONAL MATCH (meta:KgMeta {key: 'recommend'})
WITH u, seeds, interests, CASE coalesce($excludeViewed, NOT coalesce(meta.revisitViewed, false))
       WHEN true THEN $engRels ELSE $strongRels END AS excludeRels
WITH u, seeds, interests, excludeRels,
     COLLECT { MATCH (u)-[x${eng}]->(b:Product) WHERE type(x) IN excludeRels RETURN b LIMIT toInteger($scan) } AS bought
CALL (u, seeds, interests, excludeRels) {
  UNWIND seeds AS s
  WITH u, s.node AS i, s.rel AS rel, s.p AS p
  UNWIND range(0, size(coalesce(i._coIds, [])) - 1)[..toInteger($coCap)] AS k
  MATCH (j:Product {id: i._coIds[k]})
  RETURN j, 'collab' AS kind, [u, i, j] AS nodes, [rel, 'CO_ENGAGED'] AS rels, p * i._coW[k] AS raw, i._coN[k] AS n
  UNION ALL
  UNWIND seeds AS s
  WITH u, s.node AS i, s.rel AS rel, s.p AS p
  CALL (i) {
    MATCH (i)-[x${pp}]-(j:Product)
    WITH x, j LIMIT toInteger($scan)
    WITH j, type(x) AS rel2, ${damped('x')} AS w ORDER BY w DESC LIMIT toInteger($fanout)
    RETURN j, rel2, w
  }
  RETURN j, 'similar' AS kind, [u, i, j] AS nodes, [rel, rel2] AS rels, p * w / i._ppWeight AS raw, 1 AS n
  UNION ALL
  UNWIND seeds AS s
  WITH u, s.node AS i, s.rel AS rel, s.p AS p
  CALL (i) {
    MATCH (i)-[x${pi}]->(t:Interest)
    WITH x, t LIMIT toInteger($scan)
    WITH t, type(x) AS rel2, ${damped('x')} AS w ORDER BY w DESC LIMIT toInteger($fanout)
    RETURN t, rel2, w
  }
  WITH u, t, i, rel, rel2, p * w / i._piWeight AS pt ORDER BY pt DESC
  WITH u, t, sum(pt) AS pt, collect({i: i, rel: rel, rel2: rel2})[0] AS best
  ORDER BY pt DESC LIMIT toInteger($interestCap)
  ${interestProducts('t', 'rel3')}
  RETURN j, 'profile' AS kind, [u, best.i, t, j] AS nodes, [best.rel, best.rel2, rel3] AS rels,
         pt * w / t._piWeight AS raw, 1 AS n
  UNION ALL
  UNWIND interests AS s
  WITH u, s.node AS t0, s.rel AS rel, s.p AS p
  CALL (t0) {
    RETURN t0 AS t, [] AS hop, 1.0 AS f
    UNION ALL
    MATCH (t0)<-[x${tax}]-(t:Interest)
    WITH t, x LIMIT toInteger($fanout)
    RETURN t, [type(x)] AS hop, $w.narrower AS f
    UNION ALL
    MATCH (t0)-[x${tax}]->(t:Interest)
    WITH t, x LIMIT toInteger($fanout)
    RETURN t, [type(x)] AS hop, $w.broader AS f
  }
  ${interestProducts('t', 'rel3')}
  RETURN j, 'interest' AS kind, CASE WHEN t = t0 THEN [u, t, j] ELSE [u, t0, t, j] END AS nodes,
         [rel] + hop + [rel3] AS rels, p * f * w / CASE WHEN t._piWeight > 0 THEN t._piWeight ELSE 1.0 END AS raw, 1 AS n
  UNION ALL
  MATCH (u)-[f${social}]->(v:Consumer)
  WITH u, f, v LIMIT toInteger($scan)
  WITH u, v, type(f) AS rel, ${damped('f')} / u._socialWeight AS p ORDER BY p DESC LIMIT toInteger($fanout)
  CALL (v) {
    MATCH (v)-[x${eng}]->(j:Product)
    WITH x, j LIMIT toInteger($scan)
    WITH j, type(x) AS rel2, $factors[type(x)] * ${damped('x')} AS w ORDER BY w DESC LIMIT toInteger($fanout)
    RETURN j, rel2, w
  }
  RETURN j, 'social' AS kind, [u, v, j] AS nodes, [rel, rel2] AS rels, p * w / v._engWeight AS raw, 1 AS n
  UNION ALL
  UNWIND seeds AS s
  WITH u, s.node AS j, s.rel AS rel, s.p AS p WHERE NOT rel IN excludeRels
  RETURN j, 'revisit' AS kind, [u, j] AS nodes, [rel] AS rels, p AS raw, 1 AS n
}
WITH u, seeds, interests, excludeRels, bought, j, kind, nodes, rels, n, raw / ((coalesce(j._consumers, 0) + 1.0) ^ $beta) AS c
WHERE c > 0 AND NOT j IN bought
// Each family's scores sum to its weight, so the weights, not the families' scales, set the mix.
WITH u, seeds, interests, excludeRels, bought, kind, collect({j: j, nodes: nodes, rels: rels, n: n, c: c}) AS rows, sum(c) AS total
UNWIND rows AS x
WITH u, seeds, interests, excludeRels, bought, x.j AS j, kind, x.nodes AS nodes, x.rels AS rels, x.n AS n, $w[kind] * x.c / total AS c
ORDER BY c DESC
WITH u, seeds, interests, excludeRels, bought, j, sum(c) AS score, collect({kind: kind, nodes: nodes, rels: rels, c: c, n: n})[..5] AS paths
ORDER BY score DESC LIMIT toInteger($pool)
WITH u, seeds, interests, excludeRels, bought, j, score, paths WHERE size(bought) < $scan OR NOT EXISTS { (u)-[x${eng}]->(j) WHERE type(x) IN excludeRels }
WITH u, seeds, interests, collect({
    entity: j {.*, _type: 'Product'}, score: score,
    interests: [(j)-[y${pi}]->(t:Interest) | t.id][..20],
    paths: [p IN paths | {kind: p.kind, c: p.c, n: p.n, rels: p.rels, nodes: [m IN p.nodes | ${nodeShape('m')}]}]
  }) AS candidates
RETURN size(seeds) AS engaged, size(interests) AS interestCount,
  COLLECT { UNWIND seeds AS s WITH s.node AS i MATCH (i)-[${pi}]->(t:Interest) RETURN DISTINCT t.id }
    + [s IN interests | s.node.id] AS profile,
  candidates`;
  recommendCache.set(vocabulary, query);
  return query;
}

/** The consumer's own existence and engagement count, for cold-start answers. */
export const CONSUMER_EXISTS = `
MATCH (u:Consumer {id: $consumerId})
RETURN u.id AS id, COUNT { (u)-[r]->(:Product) WHERE type(r) IN $engRels } AS engaged,
       COUNT { (u)-[r]->(:Interest) WHERE type(r) IN $interestRels } AS interests`;

/**
 * Popularity fallback: the products most consumers engaged with, excluding the consumer's own
 * (`$consumerId` may be null). Read from the `_consumers` index.
 */
export const POPULAR_PRODUCTS = `
MATCH (j:Product) WHERE j._consumers > 0
WITH j ORDER BY j._consumers DESC LIMIT toInteger($scanPopular)
OPTIONAL MATCH (u:Consumer {id: $consumerId})
WITH j, u WHERE u IS NULL OR NOT EXISTS { MATCH (u)-[r]->(j) WHERE type(r) IN $engRels }
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
${targetType === 'Product' ? `  UNION ALL
  WITH s WHERE s:Product
  UNWIND range(0, size(coalesce(s._coIds, [])) - 1) AS k
  MATCH (t:${target} {id: s._coIds[k]})
  RETURN t, 'collab' AS kind, null AS via, ['CO_ENGAGED'] AS rels, $w.collab * s._coW[k] AS raw
` : ''}}
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
// Consumer → similar consumers

/**
 * Consumers like `$consumerId`: those who engaged with the same products or hold the same
 * interests (each shared entity discounted by its popularity, the other consumer by its
 * activity, cosine-like) plus those the consumer follows. Both ends are pseudonyms.
 */
export const LOOKALIKES = `
MATCH (u:Consumer {id: $consumerId})
CALL (u) {
  MATCH (u)-[x]->(m:Entity) WHERE type(x) IN $shareRels
  WITH u, x, m LIMIT toInteger($scan)
  WITH u, m, type(x) AS rel, coalesce($factors[type(x)], 1.0) * ${damped('x')} AS w ORDER BY w DESC LIMIT toInteger($seedCap)
  CALL (m, u) {
    MATCH (m)<-[y]-(v:Consumer) WHERE type(y) IN $shareRels AND v <> u
    WITH y, v LIMIT toInteger($scan)
    WITH v, type(y) AS rel2, coalesce($factors[type(y)], 1.0) * ${damped('y')} AS w2 ORDER BY w2 DESC LIMIT toInteger($fanout)
    RETURN v, rel2, w2
  }
  RETURN v, m, [rel, rel2] AS rels,
         w * w2 / ((coalesce(m._consumers, 0) + 1.0) ^ $beta) / sqrt(coalesce(v._engWeight, 0) + 1.0) AS raw
  UNION ALL
  MATCH (u)-[f]-(v:Consumer) WHERE type(f) IN $socialRels
  WITH f, v LIMIT toInteger($scan)
  RETURN v, null AS m, [type(f)] AS rels, $w.social * ${damped('f')} AS raw
}
WITH u, v, m, rels, raw ORDER BY raw DESC
WITH u, v, sum(raw) AS score, collect({m: m, rels: rels, c: raw})[..3] AS paths
ORDER BY score DESC LIMIT toInteger($limit)
RETURN v {.*, _type: 'Consumer'} AS entity, score,
  [p IN paths | {kind: CASE WHEN p.m IS NULL THEN 'social' ELSE 'shared' END, c: p.c, n: 1, rels: p.rels,
     nodes: [n IN CASE WHEN p.m IS NULL THEN [u, v] ELSE [u, p.m, v] END | ${nodeShape('n')}]}] AS paths`;

// ---------------------------------------------------------------------------------------------
// The learned model's one read per request (server/recommend/engine.ts)

/**
 * Everything one recommendation needs from the live graph, in one read: the consumer's own
 * engagements (to exclude and to seed), interests with their narrower and broader interests,
 * the consumers they follow with those consumers' strongest engagements, and the
 * product–product links (SIMILAR_TO role) of their products. Everything else is in the
 * in-memory model. No row for an unknown consumer. Each list is bounded by `$scan` / `$fanout`.
 */
export const CONSUMER_PROFILE = `
MATCH (u:Consumer {id: $consumerId})
RETURN u {.id, .key, .name} AS consumer,
  COLLECT { MATCH (u)-[r]->(p:Product) WHERE type(r) IN $engRels
            RETURN {id: p.id, rel: type(r), w: r.weight} AS e LIMIT toInteger($scan) } AS engaged,
  COLLECT { MATCH (u)-[r]->(t:Interest) WHERE type(r) IN $interestRels
            WITH t, r ORDER BY r.weight DESC LIMIT toInteger($interestCap)
            RETURN {id: t.id, key: t.key, name: t.name, name_en: t.name_en, rel: type(r), w: r.weight,
              narrower: COLLECT { MATCH (t)<-[x]-(n:Interest) WHERE type(x) IN $taxRels
                                  RETURN {id: n.id, key: n.key, name: n.name, name_en: n.name_en, rel: type(x)} AS n LIMIT toInteger($fanout) },
              broader: COLLECT { MATCH (t)-[x]->(n:Interest) WHERE type(x) IN $taxRels
                                 RETURN {id: n.id, key: n.key, name: n.name, name_en: n.name_en, rel: type(x)} AS n LIMIT toInteger($fanout) }} AS t } AS interests,
  COLLECT { MATCH (u)-[f]->(v:Consumer) WHERE type(f) IN $socialRels
            WITH v, f LIMIT toInteger($scan)
            WITH v, f ORDER BY f.weight DESC LIMIT toInteger($fanout)
            RETURN {id: v.id, key: v.key, name: v.name, rel: type(f), w: f.weight,
              products: COLLECT { MATCH (v)-[x]->(j:Product) WHERE type(x) IN $engRels
                                  WITH j, x LIMIT toInteger($scan)
                                  RETURN {id: j.id, rel: type(x), w: x.weight} AS e ORDER BY x.weight DESC LIMIT toInteger($fanout) }} AS v } AS follows,
  COLLECT { MATCH (u)-[r]->(p:Product)-[x]-(q:Product) WHERE type(r) IN $engRels AND type(x) IN $ppRels AND q <> p
            RETURN {from: p.id, id: q.id, rel: type(x), w: x.weight} AS s LIMIT toInteger($scan) } AS similar`;

/** An interest's narrower and broader interests (related() from an interest). */
export const INTEREST_TAXONOMY = `
MATCH (t:Interest {id: $id})
RETURN COLLECT { MATCH (t)<-[x]-(n:Interest) WHERE type(x) IN $taxRels
                 RETURN {id: n.id, key: n.key, name: n.name, name_en: n.name_en, rel: type(x)} AS n LIMIT toInteger($fanout) } AS narrower,
       COLLECT { MATCH (t)-[x]->(n:Interest) WHERE type(x) IN $taxRels
                 RETURN {id: n.id, key: n.key, name: n.name, name_en: n.name_en, rel: type(x)} AS n LIMIT toInteger($fanout) } AS broader`;
