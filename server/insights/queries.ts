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

// ---------------------------------------------------------------------------------------------
// Persons (issue 18): every count of consumers counts distinct persons, `coalesce(c.person, c.id)`
// (the identity step writes `person` and `personIds` on every Consumer; a graph it has not run
// on yet counts each consumer as its own person).

/** The person a consumer counts as. */
export const PERSON = (c: string) => `coalesce(${c}.person, ${c}.id)`;

/** True when the consumer's person has other ids (they must be looked up to see all its links). */
const LINKED = (c: string) => `(${c}.person IS NOT NULL AND coalesce(${c}.personIds, 2) > 1)`;

/**
 * Every id of consumer `c`'s person as rows (`x`, `p` = the person): `c` itself for a
 * single-id person (no lookup), else every consumer with its `person` (the
 * `consumer_person` index). A person is linked to an entity when any of its ids is.
 */
export const personIdsOf = (c: string, x = 'x', p = 'p') => `CALL (${c}) {
  WITH ${c} WHERE NOT ${LINKED(c)}
  RETURN ${c} AS ${x}, ${PERSON(c)} AS ${p}
  UNION ALL
  WITH ${c} WHERE ${LINKED(c)}
  MATCH (${x}:Consumer {person: ${c}.person})
  RETURN ${x}, ${c}.person AS ${p}
}`;

/** Live count of the persons linked to `t` by `rels` (when the derived `_consumers` is missing). */
const personsOf = (t: string, rels: string) => `COUNT { MATCH (${t})<-[${rels}]-(x:Consumer) WITH DISTINCT x RETURN DISTINCT ${PERSON('x')} }`;

/**
 * Demand-link candidates for an entity source: the persons linked to S (any of their ids, by
 * its type's link relations), then every target of `targetType` any id of theirs is linked to,
 * with support (distinct persons). A single-id person's person is read once; the other ids of
 * a linked person are looked up once per person. nT is the derived `_consumers` (persons,
 * refreshed after every load), counted live when missing.
 */
export function demandLinkCandidatesFromEntity(sourceRels: string[], targetRels: string[], targetType: string, vocabulary: Vocabulary): string {
  return `
MATCH (s:Entity {key: $key})
OPTIONAL MATCH (s)<-[${relTypes(vocabulary, sourceRels)}]-(c:Consumer)
WITH DISTINCT s, c
WITH s, c, ${LINKED('c')} AS linked, ${PERSON('c')} AS p
WITH s, count(DISTINCT p) AS nS,
  collect(DISTINCT CASE WHEN linked THEN p END) AS linkedPersons,
  collect(CASE WHEN c IS NOT NULL AND NOT linked THEN {c: c, p: p} END) AS single
CALL (linkedPersons) {
  UNWIND linkedPersons AS q
  MATCH (x:Consumer {person: q})
  RETURN collect({c: x, p: q}) AS more
}
CALL (s, single, more) {
  UNWIND single + more AS row
  WITH row.c AS c, row.p AS p
  MATCH (c)-[${relTypes(vocabulary, targetRels)}]->(t:${label(vocabulary, targetType)})
  WHERE t <> s
  WITH t, count(DISTINCT p) AS support
  RETURN collect({key: t.key, support: support,
    nT: coalesce(t._consumers, ${personsOf('t', relTypes(vocabulary, targetRels))})}) AS candidates
}
RETURN nS, candidates`;
}

/**
 * The same for a consumer segment as source: its persons are those of the consumers with
 * `_segment = $segment` (every id of a person is in its person's segment, so no lookup).
 */
export function demandLinkCandidatesFromSegment(targetRels: string[], targetType: string, vocabulary: Vocabulary): string {
  return `
MATCH (c:Consumer) WHERE c._segment = $segment
WITH c, ${PERSON('c')} AS p
WITH collect({c: c, p: p}) AS rows, count(DISTINCT p) AS nS
CALL (rows) {
  UNWIND rows AS row
  WITH row.c AS c, row.p AS p
  MATCH (c)-[${relTypes(vocabulary, targetRels)}]->(t:${label(vocabulary, targetType)})
  WITH t, count(DISTINCT p) AS support
  RETURN collect({key: t.key, support: support,
    nT: coalesce(t._consumers, ${personsOf('t', relTypes(vocabulary, targetRels))})}) AS candidates
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
 * how many distinct persons make that hop, counted up to $k (only "at least k" matters). A
 * person makes it when one of its ids has both links, as on the path shown (two ids with one
 * link each do not: the stricter count, so a hop is never shown on fewer than k persons).
 */
export const CONSUMER_HOP_GROUPS = `
UNWIND $hops AS hop
MATCH (a:Entity {key: hop.a}), (b:Entity {key: hop.b})
CALL (a, b, hop) {
  MATCH (a)-[ra]-(c:Consumer)-[rb]-(b)
  WHERE type(ra) = hop.ra AND type(rb) = hop.rb
  WITH DISTINCT c
  WITH DISTINCT ${PERSON('c')} AS p LIMIT toInteger($k)
  RETURN count(p) AS n
}
RETURN hop.id AS id, n`;

/** Hub degrees of the given nodes, as the path search defines them. */
export const NODE_DEGREES = `
UNWIND $keys AS k MATCH (m:Entity {key: k})
RETURN k AS key, toFloat(CASE WHEN m:Consumer THEN COUNT { (m)--() } ELSE coalesce(m._consumers, COUNT { (m)--() }) END) AS deg`;

// ---------------------------------------------------------------------------------------------
// Interest co-occurrence, opportunities, segments (derived after loads; live for time windows)

/**
 * Interest pairs with their co-occurrence count over persons. Each person (its ids' links
 * together, weights summed) contributes its `$perConsumer` strongest interests (bounds the
 * pair explosion); `$since/$until` (Unix seconds, null = open) keep only links whose `firstTs`
 * falls in the window. The person is read once per consumer.
 */
export function interestPairsQuery(interestRels: string[], interestLabel: string, vocabulary: Vocabulary): string {
  return `
MATCH (c:Consumer)
WITH c, ${PERSON('c')} AS p
MATCH (c)-[r${relTypes(vocabulary, interestRels)}]->(i:${label(vocabulary, interestLabel)})
WHERE ($since IS NULL OR r.firstTs >= $since) AND ($until IS NULL OR r.firstTs < $until)
WITH p, i, sum(coalesce(r.weight, 1.0)) AS w ORDER BY w DESC
WITH p, collect(i.key)[..toInteger($perConsumer)] AS ks WHERE size(ks) >= 2
UNWIND ks AS a UNWIND ks AS b
WITH a, b WHERE a < b
WITH a, b, count(*) AS support WHERE support >= $minSupport
RETURN a, b, support`;
}

/** Persons per interest over the same window (all persons linked by interest relations). */
export function interestConsumersQuery(interestRels: string[], interestLabel: string, vocabulary: Vocabulary): string {
  return `
MATCH (c:Consumer)
WITH c, ${PERSON('c')} AS p
MATCH (c)-[r${relTypes(vocabulary, interestRels)}]->(i:${label(vocabulary, interestLabel)})
WHERE ($since IS NULL OR r.firstTs >= $since) AND ($until IS NULL OR r.firstTs < $until)
WITH i, count(DISTINCT p) AS n
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
 * The persons linked to every member of set `s` (any id to each member), as `groups`: one list
 * of ids per person (one row per set, also when it has none). From the first member's consumers: a single-id person is checked on its
 * one consumer, as before persons (no lookup, no grouping); the other ids of a linked person are
 * looked up once per person and checked together. `window` filters a link variable (a live
 * opportunity's firstTs window); none by default.
 */
function personsOfAllMembers(interestRels: string[], vocabulary: Vocabulary, window: (r: string) => string = () => 'true'): string {
  // The other members as nodes, so each check is an expand-into between two bound nodes.
  const linkedTo = (x: string) => `EXISTS { MATCH (${x})-[r${relTypes(vocabulary, interestRels)}]->(m) WHERE ${window('r')} }`;
  return `CALL (s) { UNWIND s.members[1..] AS k MATCH (m:Entity {key: k}) RETURN collect(m) AS rest }
  OPTIONAL MATCH (:Entity {key: s.members[0]})<-[r0${relTypes(vocabulary, interestRels)}]-(c:Consumer)
  WHERE ${window('r0')} AND size(rest) = size(s.members) - 1
  WITH DISTINCT s, rest, c
  WITH s, rest, c, ${LINKED('c')} AS linked
  WITH s, rest,
    collect(CASE WHEN c IS NOT NULL AND NOT linked AND all(m IN rest WHERE ${linkedTo('c')}) THEN [c] END) AS singles,
    collect(DISTINCT CASE WHEN linked THEN c.person END) AS linkedPersons
  CALL (rest, linkedPersons) {
    UNWIND linkedPersons AS q
    MATCH (x:Consumer {person: q})
    WITH q, collect(x) AS xs
    WHERE all(m IN rest WHERE any(x IN xs WHERE ${linkedTo('x')}))
    RETURN collect(xs) AS linkedGroups
  }
  WITH s, rest, singles + linkedGroups AS groups`;
}

const inWindow = (r: string) => `($since IS NULL OR ${r}.firstTs >= $since) AND ($until IS NULL OR ${r}.firstTs < $until)`;

/**
 * How many of a set's persons (linked to every member) engaged with one of its serving
 * products (any of their ids): the share of the demand the supply already reaches.
 */
export function servedConsumersQuery(interestRels: string[], engagementRels: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $sets AS s
CALL (s) {
  ${personsOfAllMembers(interestRels, vocabulary, inWindow)}
  RETURN size(groups) AS support,
    size([xs IN groups WHERE any(x IN xs WHERE EXISTS { MATCH (x)-[${relTypes(vocabulary, engagementRels)}]->(q) WHERE q.key IN s.serving })]) AS served
}
RETURN s.id AS id, support, served`;
}

/** Third interests that co-occur with a pair: support of the triple (persons), per candidate. */
export function tripleExtensionQuery(interestRels: string[], interestLabel: string, vocabulary: Vocabulary): string {
  return `
UNWIND $pairs AS pair
WITH pair, {members: [pair.a, pair.b]} AS s
CALL (s) {
  ${personsOfAllMembers(interestRels, vocabulary)}
  MATCH (a:Entity {key: s.members[0]})
  UNWIND groups AS xs
  UNWIND xs AS x
  MATCH (x)-[${relTypes(vocabulary, interestRels)}]->(third:${label(vocabulary, interestLabel)})
  WHERE third <> a AND NOT third IN rest
  // One group per person (its ids), so its first id stands for it: no property read.
  WITH third, count(DISTINCT xs[0]) AS support WHERE support >= $minSupport
  RETURN third.key AS x, support
}
RETURN pair.a AS a, pair.b AS b, x, support`;
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

/** Which segments the set's persons (linked to every member) belong to (a person's ids share one). */
export function driverSegmentsQuery(interestRels: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $sets AS s
CALL (s) {
  ${personsOfAllMembers(interestRels, vocabulary)}
  UNWIND groups AS xs
  WITH [x IN xs WHERE x._segment IS NOT NULL | x._segment][0] AS segment
  WITH segment, count(*) AS n WHERE segment IS NOT NULL
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

/**
 * Each person joins the segment holding most of its interests, over the links of all its ids
 * (ties: lower segment id), and every id of it gets that segment: first the single-id persons,
 * then those with several ids.
 */
export function assignConsumerSegmentsQueries(interestRels: string[], vocabulary: Vocabulary): string[] {
  return [
    `
MATCH (c:Consumer) WHERE NOT ${LINKED('c')}
CALL (c) {
  MATCH (c)-[${relTypes(vocabulary, interestRels)}]->(i:Entity) WHERE i._segment IS NOT NULL
  WITH c, i._segment AS segment, count(*) AS n ORDER BY n DESC, segment ASC LIMIT 1
  SET c._segment = segment
} IN TRANSACTIONS OF 5000 ROWS`,
    `
MATCH (c:Consumer) WHERE ${LINKED('c')}
WITH DISTINCT c.person AS person
CALL (person) {
  MATCH (x:Consumer {person: person})-[${relTypes(vocabulary, interestRels)}]->(i:Entity) WHERE i._segment IS NOT NULL
  WITH i._segment AS segment, count(*) AS n ORDER BY n DESC, segment ASC LIMIT 1
  MATCH (y:Consumer {person: person})
  SET y._segment = segment
} IN TRANSACTIONS OF 1000 ROWS`,
  ];
}

/** Each product joins the segment of most of the interests it relates to. */
export function assignProductSegmentsQuery(productInterestRels: string[], vocabulary: Vocabulary): string {
  return `
MATCH (p:Entity)-[${relTypes(vocabulary, productInterestRels)}]->(i:Entity) WHERE i._segment IS NOT NULL
WITH p, i._segment AS segment, count(*) AS n ORDER BY n DESC, segment ASC
WITH p, collect(segment)[0] AS segment
CALL (p, segment) { SET p._segment = segment } IN TRANSACTIONS OF 5000 ROWS`;
}

/** Persons per segment. */
export const SEGMENT_CONSUMER_COUNTS = `
MATCH (c:Consumer) WHERE c._segment IS NOT NULL
RETURN c._segment AS segment, count(DISTINCT ${PERSON('c')}) AS n`;

/** `_segment` of entities by key (for colouring). */
export const SEGMENTS_OF_KEYS = 'UNWIND $keys AS k MATCH (n:Entity {key: k}) RETURN k AS key, n._segment AS segment';

// ---------------------------------------------------------------------------------------------
// Trends

/**
 * Period figures of one source (and optionally one target) over links formed in the period
 * (`firstTs` in [from, to)): persons with such a link (by any id) to S, to T, and to both.
 */
export function periodFiguresQuery(sourceRels: string[], targetRels: string[] | null, vocabulary: Vocabulary): string {
  const target = targetRels
    ? `OPTIONAL MATCH (t:Entity {key: $targetKey})<-[rt${relTypes(vocabulary, targetRels)}]-(ct:Consumer)
       WHERE rt.firstTs >= $from AND rt.firstTs < $to
       WITH nS, sPs, collect(DISTINCT ${PERSON('ct')}) AS tPs
       RETURN nS, size(tPs) AS nT, size([p IN tPs WHERE p IN sPs]) AS support`
    : 'RETURN nS, null AS nT, null AS support';
  return `
OPTIONAL MATCH (s:Entity {key: $sourceKey})<-[rs${relTypes(vocabulary, sourceRels)}]-(cs:Consumer)
WHERE rs.firstTs >= $from AND rs.firstTs < $to
WITH collect(DISTINCT ${PERSON('cs')}) AS sPs
WITH size(sPs) AS nS, sPs
${target}`;
}

/**
 * Persons with any consumer link formed in [from, to): one branch per relation type so each
 * uses its `firstTs` range index.
 */
export function activeConsumersInPeriodQuery(linkRels: string[], vocabulary: Vocabulary): string {
  const branches = linkRels.map(
    (r) => `MATCH (c:Consumer)-[x${relTypes(vocabulary, [r])}]->() WHERE x.firstTs >= $from AND x.firstTs < $to RETURN c`,
  );
  return `CALL () {
${branches.join('\nUNION\n')}
}
RETURN count(DISTINCT ${PERSON('c')}) AS n`;
}

/**
 * New persons per interest in two periods (for rising interests): a person's link to an
 * interest dates from the earliest of its ids' links in the window.
 */
export function risingInterestsQuery(interestRels: string[], vocabulary: Vocabulary): string {
  return `
MATCH (c:Consumer)-[r${relTypes(vocabulary, interestRels)}]->(i:Entity)
WHERE r.firstTs >= $beforeFrom AND r.firstTs < $afterTo
WITH i, c, min(r.firstTs) AS ts
WITH i, ${PERSON('c')} AS p, ts
WITH i, p, min(ts) AS ts
WITH i,
  count(DISTINCT CASE WHEN ts >= $beforeFrom AND ts < $beforeTo THEN p END) AS before,
  count(DISTINCT CASE WHEN ts >= $afterFrom AND ts < $afterTo THEN p END) AS after
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
 * them (each person's `$perConsumer` strongest interests over all its ids), over the persons
 * of those keys only.
 */
export function touchedInterestPairsQuery(interestRels: string[], interestLabel: string, vocabulary: Vocabulary): string {
  return `
UNWIND $keys AS k
MATCH (:Entity {key: k})<-[${relTypes(vocabulary, interestRels)}]-(c:Consumer)
WITH DISTINCT c
${personIdsOf('c')}
WITH DISTINCT p, x
MATCH (x)-[r${relTypes(vocabulary, interestRels)}]->(i:${label(vocabulary, interestLabel)})
WITH p, i, sum(coalesce(r.weight, 1.0)) AS w ORDER BY w DESC
WITH p, collect(i.key)[..toInteger($perConsumer)] AS ks WHERE size(ks) >= 2
UNWIND ks AS a UNWIND ks AS b
WITH a, b WHERE a < b AND (a IN $keys OR b IN $keys)
WITH a, b, count(*) AS support WHERE support >= $minSupport
RETURN a, b, support`;
}

/** Persons per interest for the given keys (as `interestConsumersQuery`, without a window). */
export function consumersOfInterestsQuery(interestRels: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $keys AS k
MATCH (i:Entity {key: k})
RETURN k AS key, ${personsOf('i', relTypes(vocabulary, interestRels))} AS n`;
}

/** Persons linked to every member of each set (a triple's support). */
export function setSupportQuery(interestRels: string[], vocabulary: Vocabulary): string {
  return `
UNWIND $sets AS s
CALL (s) {
  ${personsOfAllMembers(interestRels, vocabulary)}
  RETURN size(groups) AS support
}
RETURN s.id AS id, support`;
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
