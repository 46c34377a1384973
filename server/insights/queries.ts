/**
 * Cypher of the insight features (demand links, paths, opportunities, segments, trends).
 * Labels and relation types enter only through `label` and `relTypes` (server/db/cypher.ts,
 * the vocabulary's allow-list);
 * everything else is a $parameter.
 */
import { label, relTypes } from '../graph/cypher.js';
import type { Vocabulary } from '../graph/vocabulary.js';


/** Short name of a node's type: the key's prefix ("Type:id"). */
export const TYPE_OF_KEY = (v: string) => `split(${v}.key, ':')[0]`;

/** All consumers (count store, O(1)). */
export const COUNT_CONSUMERS = 'MATCH (c:Consumer) RETURN count(c) AS n';

/**
 * Demand-link candidates for an entity source: the consumers linked to S (by its type's link
 * relations), then every target of `targetType` they are linked to, with support. nT is the
 * derived `_consumers` (refreshed after every load), counted live when missing.
 */
export function demandLinkCandidatesFromEntity(sourceRels: string[], targetRels: string[], targetType: string, vocabulary: Vocabulary): string {
  return `
MATCH (s:Entity {key: $key})
OPTIONAL MATCH (s)<-[${relTypes(vocabulary, sourceRels)}]-(c:Consumer)
WITH s, collect(DISTINCT c) AS cs
WITH s, cs, size(cs) AS nS
CALL (s, cs) {
  UNWIND cs AS c
  MATCH (c)-[${relTypes(vocabulary, targetRels)}]->(t:${label(vocabulary, targetType)})
  WHERE t <> s
  WITH t, count(DISTINCT c) AS support
  RETURN collect({key: t.key, support: support,
    nT: coalesce(t._consumers, COUNT { MATCH (t)<-[${relTypes(vocabulary, targetRels)}]-(x:Consumer) RETURN DISTINCT x })}) AS candidates
}
RETURN nS, candidates`;
}

/** The same for a consumer segment as source: its consumers are those with `_segment = $segment`. */
export function demandLinkCandidatesFromSegment(targetRels: string[], targetType: string, vocabulary: Vocabulary): string {
  return `
MATCH (c:Consumer) WHERE c._segment = $segment
WITH collect(c) AS cs
WITH cs, size(cs) AS nS
CALL (cs) {
  UNWIND cs AS c
  MATCH (c)-[${relTypes(vocabulary, targetRels)}]->(t:${label(vocabulary, targetType)})
  WITH t, count(DISTINCT c) AS support
  RETURN collect({key: t.key, support: support,
    nT: coalesce(t._consumers, COUNT { MATCH (t)<-[${relTypes(vocabulary, targetRels)}]-(x:Consumer) RETURN DISTINCT x })}) AS candidates
}
RETURN nS, candidates`;
}

// ---------------------------------------------------------------------------------------------
// Paths

/**
 * One hop of the bounded path search: for each frontier node, its `$fanout` best neighbours by
 * log-damped edge weight times the hub penalty 1/sqrt(1 + degree) (degree = `_consumers` for
 * non-consumers, the node degree for consumers). Endpoints and visited nodes are excluded.
 */
export function pathExpandQuery(relations: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $frontier AS fk
MATCH (n:Entity {key: fk})
CALL (n) {
  MATCH (n)-[r${relTypes(vocabulary, relations)}]-(m:Entity)
  WHERE NOT m.key IN $exclude
  WITH r, m, log(1.0 + CASE WHEN coalesce(r.weight, 1.0) > 0 THEN coalesce(r.weight, 1.0) ELSE 0.0 END) AS lw
  WITH r, m, lw / (1.0 + lw) AS nw,
       toFloat(CASE WHEN m:Consumer THEN COUNT { (m)--() } ELSE coalesce(m._consumers, COUNT { (m)--() }) END) AS deg
  WITH r, m, nw, deg ORDER BY nw / sqrt(1.0 + deg) DESC LIMIT toInteger($fanout)
  RETURN m.key AS key, elementId(m) AS eid, type(r) AS rel, nw, deg
}
RETURN fk AS from, key, eid, rel, nw, deg`;
}

/**
 * Edges between the two search trees (the meeting hop, not capped): expands from the side given
 * by key (the smaller one) and tests the other side by element id, which needs no property read.
 */
export function pathConnectQuery(relations: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $fromKeys AS fk
MATCH (x:Entity {key: fk})-[r${relTypes(vocabulary, relations)}]-(y:Entity)
WHERE elementId(y) IN $toIds
WITH fk, y, r, log(1.0 + CASE WHEN coalesce(r.weight, 1.0) > 0 THEN coalesce(r.weight, 1.0) ELSE 0.0 END) AS lw
RETURN fk, elementId(y) AS toId, type(r) AS rel, lw / (1.0 + lw) AS nw`;
}

/** Element ids of entities by key (the path search's roots). */
export const ELEMENT_IDS = 'UNWIND $keys AS k MATCH (n:Entity {key: k}) RETURN k AS key, elementId(n) AS eid';

/**
 * For each consumer hop of a path (entity a, relation ra, a consumer, relation rb, entity b):
 * how many distinct consumers make that hop, counted up to $k (only "at least k" matters).
 */
export const CONSUMER_HOP_GROUPS = `
UNWIND $hops AS hop
MATCH (a:Entity {key: hop.a}), (b:Entity {key: hop.b})
CALL (a, b, hop) {
  MATCH (a)-[ra]-(c:Consumer)-[rb]-(b)
  WHERE type(ra) = hop.ra AND type(rb) = hop.rb
  WITH DISTINCT c LIMIT toInteger($k)
  RETURN count(c) AS n
}
RETURN hop.id AS id, n`;

/** Hub degrees of the given nodes, as the path search defines them. */
export const NODE_DEGREES = `
UNWIND $keys AS k MATCH (m:Entity {key: k})
RETURN k AS key, toFloat(CASE WHEN m:Consumer THEN COUNT { (m)--() } ELSE coalesce(m._consumers, COUNT { (m)--() }) END) AS deg`;

// ---------------------------------------------------------------------------------------------
// Interest co-occurrence, opportunities, segments (derived after loads; live for time windows)

/**
 * Interest pairs with their co-occurrence count over consumers. Each consumer contributes its
 * `$perConsumer` strongest interests (bounds the pair explosion); `$since/$until` (Unix
 * seconds, null = open) keep only links whose `firstTs` falls in the window.
 */
export function interestPairsQuery(interestRels: string[], interestLabel: string, vocabulary: Vocabulary): string {
  return `
MATCH (c:Consumer)-[r${relTypes(vocabulary, interestRels)}]->(i:${label(vocabulary, interestLabel)})
WHERE ($since IS NULL OR r.firstTs >= $since) AND ($until IS NULL OR r.firstTs < $until)
WITH c, i, sum(coalesce(r.weight, 1.0)) AS w ORDER BY w DESC
WITH c, collect(i.key)[..toInteger($perConsumer)] AS ks WHERE size(ks) >= 2
UNWIND ks AS a UNWIND ks AS b
WITH a, b WHERE a < b
WITH a, b, count(*) AS support WHERE support >= $minSupport
RETURN a, b, support`;
}

/** Consumers per interest over the same window (all consumers linked by interest relations). */
export function interestConsumersQuery(interestRels: string[], interestLabel: string, vocabulary: Vocabulary): string {
  return `
MATCH (c:Consumer)-[r${relTypes(vocabulary, interestRels)}]->(i:${label(vocabulary, interestLabel)})
WHERE ($since IS NULL OR r.firstTs >= $since) AND ($until IS NULL OR r.firstTs < $until)
WITH i, count(DISTINCT c) AS n
RETURN i.key AS key, n`;
}

/** Products relating to every interest of each set (the supply), with how many consumers engage with each. */
export function servingProductsQuery(productInterestRels: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $sets AS s
MATCH (first:Entity {key: s.members[0]})<-[${relTypes(vocabulary, productInterestRels)}]-(p:Entity)
WHERE all(k IN s.members[1..] WHERE EXISTS { (p)-[${relTypes(vocabulary, productInterestRels)}]->(:Entity {key: k}) })
RETURN s.id AS id, collect(DISTINCT p.key) AS serving`;
}

/**
 * How many of a set's consumers (linked to every member) engaged with one of its serving
 * products: the share of the demand the supply already reaches.
 */
export function servedConsumersQuery(interestRels: string[], engagementRels: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $sets AS s
MATCH (first:Entity {key: s.members[0]})<-[r0${relTypes(vocabulary, interestRels)}]-(c:Consumer)
WHERE ($since IS NULL OR r0.firstTs >= $since) AND ($until IS NULL OR r0.firstTs < $until)
  AND all(k IN s.members[1..] WHERE EXISTS {
    MATCH (c)-[r${relTypes(vocabulary, interestRels)}]->(:Entity {key: k})
    WHERE ($since IS NULL OR r.firstTs >= $since) AND ($until IS NULL OR r.firstTs < $until) })
WITH s, collect(DISTINCT c) AS cs
RETURN s.id AS id, size(cs) AS support,
  size([c IN cs WHERE EXISTS { MATCH (c)-[${relTypes(vocabulary, engagementRels)}]->(p) WHERE p.key IN s.serving }]) AS served`;
}

/** Third interests that co-occur with a pair: support of the triple, per candidate. */
export function tripleExtensionQuery(interestRels: string[], interestLabel: string, vocabulary: Vocabulary): string {
  return `
UNWIND $pairs AS p
MATCH (a:Entity {key: p.a})<-[${relTypes(vocabulary, interestRels)}]-(c:Consumer)-[${relTypes(vocabulary, interestRels)}]->(b:Entity {key: p.b})
MATCH (c)-[${relTypes(vocabulary, interestRels)}]->(x:${label(vocabulary, interestLabel)})
WHERE x <> a AND x <> b
WITH p, x, count(DISTINCT c) AS support WHERE support >= $minSupport
RETURN p.a AS a, p.b AS b, x.key AS x, support`;
}

/** Writes one version of the interest sets (versions are epoch-ms integers). */
export const WRITE_INTEREST_SETS = `
UNWIND $rows AS row
CREATE (o:KgInterestSet)
SET o = row, o.version = $version`;

/**
 * Drops every version older than the current one. Two refreshes running at once (tests, two
 * loads) cannot delete each other's newer sets.
 */
export const DELETE_OLD_INTEREST_SETS = `
MATCH (m:KgMeta {key: 'insights'})
MATCH (o:KgInterestSet) WHERE toFloat(o.version) < toFloat(m.version)
CALL (o) { DELETE o } IN TRANSACTIONS OF 5000 ROWS`;

/** Points readers at a new version, unless a newer refresh already did. */
export const SET_INSIGHTS_META = `
MERGE (m:KgMeta {key: 'insights'})
WITH m WHERE m.version IS NULL OR toFloat(m.version) < $version
SET m.version = $version, m.computedAt = datetime().epochMillis, m.allConsumers = $allConsumers,
    m.maxTs = $maxTs, m.segments = $segments, m.periodCache = $periodCache`;

export const GET_INSIGHTS_META = "MATCH (m:KgMeta {key: 'insights'}) RETURN m {.*} AS meta";

export const INTEREST_SET_INDEXES = [
  'CREATE INDEX kg_interest_set_a IF NOT EXISTS FOR (o:KgInterestSet) ON (o.a)',
  'CREATE INDEX kg_interest_set_b IF NOT EXISTS FOR (o:KgInterestSet) ON (o.b)',
  'CREATE INDEX kg_interest_set_version IF NOT EXISTS FOR (o:KgInterestSet) ON (o.version)',
  'CREATE INDEX consumer_segment IF NOT EXISTS FOR (c:Consumer) ON (c._segment)',
];

/** Range indexes on `firstTs` of the given relation types, so period queries seek instead of scanning. */
export function firstTsIndexStatements(relations: string[], vocabulary: Vocabulary): string[] {
  return relations.map(
    (r) => `CREATE INDEX \`rel_first_ts_${r.toLowerCase()}\` IF NOT EXISTS FOR ()-[r${relTypes(vocabulary, [r])}]-() ON (r.firstTs)`,
  );
}

/** Latest `firstTs` over the given relation types (uses the firstTs indexes). */
export function maxFirstTsQuery(relations: string[], vocabulary: Vocabulary): string {
  return relations
    .map((r) => `MATCH ()-[x${relTypes(vocabulary, [r])}]->() WHERE x.firstTs IS NOT NULL RETURN max(x.firstTs) AS ts`)
    .join('\nUNION ALL\n');
}

/** Stored opportunities, strongest gap first, with the optional subtree filter. */
export const TOP_OPPORTUNITIES = `
MATCH (o:KgInterestSet {version: $version})
WHERE o.gapScore > 0 AND NOT o.subsumed AND o.support >= $minConsumers
  AND ($subtree IS NULL OR any(k IN o.members WHERE k IN $subtree))
WITH o ORDER BY o.gapScore DESC, o.support DESC LIMIT toInteger($first)
RETURN collect(o {.*}) AS top`;

/** Count of stored candidate combinations (lift > 1) withheld because fewer than k consumers share them. */
export const SUPPRESSED_OPPORTUNITIES = `
MATCH (o:KgInterestSet {version: $version})
WHERE o.support < $k AND NOT o.subsumed
  AND ($subtree IS NULL OR any(k IN o.members WHERE k IN $subtree))
RETURN count(o) AS n`;

/** Interests under a root by the taxonomy relations (the root included). */
export function subtreeQuery(taxonomyRels: string[], vocabulary: Vocabulary): string {
  if (taxonomyRels.length === 0) return 'MATCH (root:Entity {key: $key}) RETURN collect(root.key) AS keys';
  return `
MATCH (root:Entity {key: $key})
OPTIONAL MATCH (i:Entity)-[${relTypes(vocabulary, taxonomyRels)}*1..8]->(root)
WITH root, collect(DISTINCT i.key) AS below
RETURN [root.key] + below AS keys`;
}

/** Products closest to an interest set: relating to the most members, then the most engaged. */
export function closestProductsQuery(productInterestRels: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $sets AS s
CALL (s) {
  UNWIND s.members AS k
  MATCH (:Entity {key: k})<-[${relTypes(vocabulary, productInterestRels)}]-(p:Entity)
  WITH p, count(DISTINCT k) AS matched
  ORDER BY matched DESC, coalesce(p._consumers, 0) DESC, p.key LIMIT toInteger($limit)
  RETURN collect(p {.*, _matched: matched}) AS products
}
RETURN s.id AS id, products`;
}

/** Interests most co-occurring (by excess consumers) with any member of a set, from the stored pairs (index seeks on a and b). */
export const ADJACENT_INTERESTS = `
UNWIND $sets AS s
CALL (s) {
  UNWIND s.members AS k
  CALL (k) {
    MATCH (o:KgInterestSet) WHERE o.a = k AND o.version = $version AND o.size = 2 RETURN o.b AS other, o
    UNION
    MATCH (o:KgInterestSet) WHERE o.b = k AND o.version = $version AND o.size = 2 RETURN o.a AS other, o
  }
  WITH other, o WHERE NOT other IN s.members AND o.support >= $k AND o.lift > 1
  WITH other, sum(o.excess) AS strength ORDER BY strength DESC, other LIMIT toInteger($limit)
  MATCH (n:Entity {key: other})
  RETURN collect(n {.*}) AS adjacent
}
RETURN s.id AS id, adjacent`;

/** Which consumer segments the set's consumers (linked to every member) belong to. */
export function driverSegmentsQuery(interestRels: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $sets AS s
CALL (s) {
  MATCH (:Entity {key: s.members[0]})<-[${relTypes(vocabulary, interestRels)}]-(c:Consumer)
  WHERE all(k IN s.members[1..] WHERE EXISTS { (c)-[${relTypes(vocabulary, interestRels)}]->(:Entity {key: k}) })
  WITH c._segment AS segment, count(DISTINCT c) AS n WHERE segment IS NOT NULL
  RETURN collect({segment: segment, n: n}) AS segments
}
RETURN s.id AS id, segments`;
}

/** Sets `_segment` on interests (null clears); old values are cleared first. */
export const CLEAR_SEGMENTS = `
MATCH (n:Entity) WHERE n._segment IS NOT NULL
CALL (n) { REMOVE n._segment } IN TRANSACTIONS OF 10000 ROWS`;

export const SET_INTEREST_SEGMENTS = `
UNWIND $rows AS row
MATCH (n:Entity {key: row.key}) SET n._segment = row.segment`;

/** Each consumer joins the segment holding most of its interests (ties: lower segment id). */
export function assignConsumerSegmentsQuery(interestRels: string[], vocabulary: Vocabulary): string {
  return `
MATCH (c:Consumer)
CALL (c) {
  MATCH (c)-[${relTypes(vocabulary, interestRels)}]->(i:Entity) WHERE i._segment IS NOT NULL
  WITH c, i._segment AS segment, count(*) AS n ORDER BY n DESC, segment ASC LIMIT 1
  SET c._segment = segment
} IN TRANSACTIONS OF 5000 ROWS`;
}

/** Each product joins the segment of most of the interests it relates to. */
export function assignProductSegmentsQuery(productInterestRels: string[], vocabulary: Vocabulary): string {
  return `
MATCH (p:Entity)-[${relTypes(vocabulary, productInterestRels)}]->(i:Entity) WHERE i._segment IS NOT NULL
WITH p, i._segment AS segment, count(*) AS n ORDER BY n DESC, segment ASC
WITH p, collect(segment)[0] AS segment
CALL (p, segment) { SET p._segment = segment } IN TRANSACTIONS OF 5000 ROWS`;
}

export const SEGMENT_CONSUMER_COUNTS = `
MATCH (c:Consumer) WHERE c._segment IS NOT NULL
RETURN c._segment AS segment, count(*) AS n`;

/** `_segment` of entities by key (for colouring). */
export const SEGMENTS_OF_KEYS = 'UNWIND $keys AS k MATCH (n:Entity {key: k}) RETURN k AS key, n._segment AS segment';

// ---------------------------------------------------------------------------------------------
// Trends

/**
 * Period figures of one source (and optionally one target) over links formed in the period
 * (`firstTs` in [from, to)): consumers linked to S, to T, and to both.
 */
export function periodFiguresQuery(sourceRels: string[], targetRels: string[] | null, vocabulary: Vocabulary): string {
  const target = targetRels
    ? `OPTIONAL MATCH (t:Entity {key: $targetKey})<-[rt${relTypes(vocabulary, targetRels)}]-(ct:Consumer)
       WHERE rt.firstTs >= $from AND rt.firstTs < $to
       WITH nS, sCs, collect(DISTINCT ct) AS tCs
       RETURN nS, size(tCs) AS nT, size([c IN tCs WHERE c IN sCs]) AS support`
    : 'RETURN nS, null AS nT, null AS support';
  return `
OPTIONAL MATCH (s:Entity {key: $sourceKey})<-[rs${relTypes(vocabulary, sourceRels)}]-(cs:Consumer)
WHERE rs.firstTs >= $from AND rs.firstTs < $to
WITH collect(DISTINCT cs) AS sCs
WITH size(sCs) AS nS, sCs
${target}`;
}

/**
 * Consumers with any consumer link formed in [from, to): one branch per relation type so each
 * uses its `firstTs` range index.
 */
export function activeConsumersInPeriodQuery(linkRels: string[], vocabulary: Vocabulary): string {
  const branches = linkRels.map(
    (r) => `MATCH (c:Consumer)-[x${relTypes(vocabulary, [r])}]->() WHERE x.firstTs >= $from AND x.firstTs < $to RETURN c`,
  );
  return `CALL () {
${branches.join('\nUNION\n')}
}
RETURN count(c) AS n`;
}

/** New consumers per interest in two periods (for rising interests). */
export function risingInterestsQuery(interestRels: string[], vocabulary: Vocabulary): string {
  return `
MATCH (c:Consumer)-[r${relTypes(vocabulary, interestRels)}]->(i:Entity)
WHERE r.firstTs >= $beforeFrom AND r.firstTs < $afterTo
WITH i, c, min(r.firstTs) AS ts
WITH i,
  count(DISTINCT CASE WHEN ts >= $beforeFrom AND ts < $beforeTo THEN c END) AS before,
  count(DISTINCT CASE WHEN ts >= $afterFrom AND ts < $afterTo THEN c END) AS after
RETURN i.key AS key, before, after`;
}

/** Child → parent edges of the taxonomy (small: one row per interest at most a few). */
export function taxonomyEdgesQuery(taxonomyRels: string[], vocabulary: Vocabulary): string {
  return `MATCH (c:Entity)-[${relTypes(vocabulary, taxonomyRels)}]->(p:Entity) RETURN c.key AS child, p.key AS parent`;
}

// ---------------------------------------------------------------------------------------------
// Incremental update of the stored interest sets (after a small write)

/**
 * Interest pairs with a member among `$keys`, counted exactly as `interestPairsQuery` counts
 * them (each consumer's `$perConsumer` strongest interests), over the consumers of those keys only.
 */
export function touchedInterestPairsQuery(interestRels: string[], interestLabel: string, vocabulary: Vocabulary): string {
  return `
UNWIND $keys AS k
MATCH (:Entity {key: k})<-[${relTypes(vocabulary, interestRels)}]-(c:Consumer)
WITH DISTINCT c
MATCH (c)-[r${relTypes(vocabulary, interestRels)}]->(i:${label(vocabulary, interestLabel)})
WITH c, i, sum(coalesce(r.weight, 1.0)) AS w ORDER BY w DESC
WITH c, collect(i.key)[..toInteger($perConsumer)] AS ks WHERE size(ks) >= 2
UNWIND ks AS a UNWIND ks AS b
WITH a, b WHERE a < b AND (a IN $keys OR b IN $keys)
WITH a, b, count(*) AS support WHERE support >= $minSupport
RETURN a, b, support`;
}

/** Consumers per interest for the given keys (as `interestConsumersQuery`, without a window). */
export function consumersOfInterestsQuery(interestRels: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $keys AS k
MATCH (i:Entity {key: k})
RETURN k AS key, COUNT { MATCH (i)<-[${relTypes(vocabulary, interestRels)}]-(c:Consumer) RETURN DISTINCT c } AS n`;
}

/** Consumers linked to every member of each set (a triple's support). */
export function setSupportQuery(interestRels: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $sets AS s
OPTIONAL MATCH (:Entity {key: s.members[0]})<-[${relTypes(vocabulary, interestRels)}]-(c:Consumer)
WHERE all(k IN s.members[1..] WHERE EXISTS { (c)-[${relTypes(vocabulary, interestRels)}]->(:Entity {key: k}) })
RETURN s.id AS id, count(DISTINCT c) AS support`;
}

/** Stored sets of a version with a member among `$interests` or a serving product among `$products`. */
export const TOUCHED_INTEREST_SETS = `
MATCH (o:KgInterestSet {version: $version})
WHERE any(m IN o.members WHERE m IN $interests) OR any(p IN o.serving WHERE p IN $products)
RETURN o {.*} AS set`;

/** Every stored set of a version (the figures that depend on the population size). */
export const ALL_INTEREST_SETS = 'MATCH (o:KgInterestSet {version: $version}) RETURN o {.*} AS set';

/** Rewrites stored sets of a version in place, by id. */
export const UPDATE_INTEREST_SETS = `
UNWIND $rows AS row
MATCH (o:KgInterestSet {version: $version, id: row.id})
SET o += row`;

export const DELETE_INTEREST_SETS = `
UNWIND $ids AS id
MATCH (o:KgInterestSet {version: $version, id: id})
DELETE o`;

/** The incremental update's stamp on the insights metadata (the version and its segments stay). */
export const SET_INSIGHTS_UPDATED = `
MATCH (m:KgMeta {key: 'insights'}) WHERE m.version = $version
SET m.allConsumers = $allConsumers, m.maxTs = $maxTs, m.updatedAt = datetime().epochMillis`;
