import { HAS_IDENTIFIER, IDENTIFIER_LABEL } from '../graph/schema-statements.js';
import { allowListed, ENTITY_LABEL, type Vocabulary } from '../graph/vocabulary.js';

/*
 * Loader writes. Labels and relation types come only through `allowListed`; everything else is
 * a parameter. Each relationship keeps what every source contributed, so that redelivering a
 * source replaces its share: one share as scalars (`_src`, `_srcLoad`, the totals), several in
 * parallel lists (`_src`, `_srcW`, `_srcN`, `_srcFirst`, `_srcLast`, `_srcLoad`) from which the
 * totals are recomputed (see mergeRelationships).
 */

/** Sentinels for "no timestamp" in the per-source arrays (list properties cannot hold null). */
export const NO_FIRST = 1e300;
export const NO_LAST = -1e300;

/** Nodes named by triples (`$ids`, distinct): created with `name = id` when new, else left alone. */
export function mergeTripleNodes(vocabulary: Vocabulary, type: string): string {
  const label = allowListed(type, vocabulary.entityTypes);
  return `
UNWIND $ids AS id
MERGE (e:${label} {id: id})
  ON CREATE SET e:${ENTITY_LABEL}, e.key = $type + ':' + id, e.name = id
RETURN count(*) AS merged`;
}

/** Entity-file rows (`$rows`: id, name, props): name and properties set. Returns how many existed. */
export function mergeEntities(vocabulary: Vocabulary, type: string): string {
  const label = allowListed(type, vocabulary.entityTypes);
  return `
UNWIND $rows AS r
WITH r, EXISTS { MATCH (:${label} {id: r.id}) } AS existed
MERGE (e:${label} {id: r.id})
  ON CREATE SET e:${ENTITY_LABEL}, e.key = $type + ':' + r.id
SET e += r.props, e.name = r.name
RETURN count(CASE WHEN existed THEN 1 END) AS updated`;
}

/** Index of the row's source in the relationship's `_src` list, or -1. */
const AT = 'coalesce(head([k IN range(0, size(x._src) - 1) WHERE x._src[k] = r.src]), -1)';

/**
 * New value of a per-source array of an existing relationship: appended for a new source,
 * replaced when this load has not touched the source's share yet, else combined with it.
 */
function perSource(prop: string, value: string, combine: (old: string, v: string) => string): string {
  const at = (expr: string) => `[j IN range(0, size(x.${prop}) - 1) | CASE WHEN j = ${AT} THEN ${expr} ELSE x.${prop}[j] END]`;
  return `CASE WHEN ${AT} < 0 THEN x.${prop} + [${value}]
      WHEN x._srcLoad[${AT}] <> $load THEN ${at(value)}
      ELSE ${at(combine(`x.${prop}[j]`, value))} END`;
}

const min = (a: string, b: string) => `CASE WHEN ${b} < ${a} THEN ${b} ELSE ${a} END`;
const max = (a: string, b: string) => `CASE WHEN ${b} > ${a} THEN ${b} ELSE ${a} END`;
/** A row's timestamp bound as a total: null for the "no timestamp" sentinel. */
const firstOf = (v: string) => `CASE WHEN ${v} < ${NO_FIRST / 10} THEN toFloat(${v}) END`;
const lastOf = (v: string) => `CASE WHEN ${v} > ${NO_LAST / 10} THEN toFloat(${v}) END`;
/** The smaller (larger) of a nullable total and a row's bound. */
const minTs = (total: string, v: string) => `CASE WHEN ${v} < ${NO_FIRST / 10} AND (${total} IS NULL OR ${v} < ${total}) THEN toFloat(${v}) ELSE ${total} END`;
const maxTs = (total: string, v: string) => `CASE WHEN ${v} > ${NO_LAST / 10} AND (${total} IS NULL OR ${v} > ${total}) THEN toFloat(${v}) ELSE ${total} END`;

function endpoints(vocabulary: Vocabulary, relation: string, fromType: string, toType: string) {
  return {
    rel: allowListed(relation, vocabulary.relations.map((r) => r.name)),
    from: allowListed(fromType, vocabulary.entityTypes),
    to: allowListed(toType, vocabulary.entityTypes),
  };
}

/** The tail of a relationship merge: applies row `r` as source `r.src`'s share of `x` (see mergeRelationships). */
const SHARE_UPDATE = `WITH x, r
CALL (x, r) {
  WITH x, r WHERE x._src IS :: LIST<ANY> NOT NULL
  SET x._srcW = ${perSource('_srcW', 'toFloat(r.w)', (a, b) => `${a} + ${b}`)},
    x._srcN = ${perSource('_srcN', 'toInteger(r.n)', (a, b) => `${a} + ${b}`)},
    x._srcFirst = ${perSource('_srcFirst', 'toFloat(r.first)', min)},
    x._srcLast = ${perSource('_srcLast', 'toFloat(r.last)', max)},
    x._srcLoad = ${perSource('_srcLoad', '$load', (_a, b) => b)},
    x._src = CASE WHEN ${AT} < 0 THEN x._src + [r.src] ELSE x._src END
  SET x.weight = reduce(a = 0.0, v IN x._srcW | a + v),
    x.count = reduce(a = 0, v IN x._srcN | a + v),
    x.firstTs = reduce(m = null, v IN x._srcFirst | CASE WHEN v < ${NO_FIRST / 10} AND (m IS NULL OR v < m) THEN v ELSE m END),
    x.lastTs = reduce(m = null, v IN x._srcLast | CASE WHEN v > ${NO_LAST / 10} AND (m IS NULL OR v > m) THEN v ELSE m END)
}
CALL (x, r) {
  WITH x, r WHERE x._src IS :: STRING NOT NULL AND x._src = r.src
  SET x.weight = CASE WHEN x._srcLoad = $load THEN x.weight + toFloat(r.w) ELSE toFloat(r.w) END,
    x.count = CASE WHEN x._srcLoad = $load THEN x.count + toInteger(r.n) ELSE toInteger(r.n) END,
    x.firstTs = CASE WHEN x._srcLoad = $load THEN ${minTs('x.firstTs', 'r.first')} ELSE ${firstOf('r.first')} END,
    x.lastTs = CASE WHEN x._srcLoad = $load THEN ${maxTs('x.lastTs', 'r.last')} ELSE ${lastOf('r.last')} END,
    x._srcLoad = $load
}
CALL (x, r) {
  WITH x, r WHERE x._src IS :: STRING NOT NULL AND x._src <> r.src
  SET x._src = [x._src, r.src], x._srcLoad = [x._srcLoad, $load],
    x._srcW = [x.weight, toFloat(r.w)], x._srcN = [x.count, toInteger(r.n)],
    x._srcFirst = [coalesce(x.firstTs, ${NO_FIRST}), toFloat(r.first)],
    x._srcLast = [coalesce(x.lastTs, ${NO_LAST}), toFloat(r.last)],
    x.weight = x.weight + toFloat(r.w), x.count = x.count + toInteger(r.n),
    x.firstTs = ${minTs('x.firstTs', 'r.first')}, x.lastTs = ${maxTs('x.lastTs', 'r.last')}
}
RETURN count(*) AS matched`;

/**
 * One relationship type between two endpoint types. `$rows`: s, o, src, w, n, first, last,
 * each (s, o) at most once. A relationship with one source share stores it as scalars
 * (`_src`, `_srcLoad` strings; the share is `weight`, `count`, `firstTs`, `lastTs`); a second
 * source turns it into per-source lists (`_src`, `_srcW`, `_srcN`, `_srcFirst`, `_srcLast`,
 * `_srcLoad`) with the totals recomputed from them. The first touch of a share by load `$load`
 * replaces it; later batches of the same load add to it (a batch is applied once: see
 * CLAIM_BATCH). The items of one SET clause all read the state before it.
 * Returns how many rows found both endpoints.
 */
export function mergeRelationships(vocabulary: Vocabulary, relation: string, fromType: string, toType: string): string {
  const { rel, from, to } = endpoints(vocabulary, relation, fromType, toType);
  return `
UNWIND $rows AS r
MATCH (s:${from} {id: r.s})
MATCH (o:${to} {id: r.o})
MERGE (s)-[x:${rel}]->(o)
  ON CREATE SET x._src = r.src, x._srcLoad = $load, x.weight = 0.0, x.count = 0
${SHARE_UPDATE}`;
}

/**
 * Identifier links (`$rows`: s = consumer id, o = identifier key, kind = its column, src, w, n,
 * first, last; each (s, o) at most once): `(:Consumer)-[:HAS_IDENTIFIER {kind}]->(:KgIdentifier {key})`
 * with the source shares of mergeRelationships, so a redelivered source that no longer has the
 * link drops it (DROP_STALE_SHARES). The consumer is merged too: its entity row may be in a
 * batch that runs later. The identifier node is internal (never :Entity).
 */
export const MERGE_IDENTIFIER_LINKS = `
UNWIND $rows AS r
MERGE (s:Consumer {id: r.s})
  ON CREATE SET s:${ENTITY_LABEL}, s.key = 'Consumer:' + r.s, s.name = r.s
MERGE (o:${IDENTIFIER_LABEL} {key: r.o})
MERGE (s)-[x:${HAS_IDENTIFIER}]->(o)
  ON CREATE SET x._src = r.src, x._srcLoad = $load, x.weight = 0.0, x.count = 0, x.kind = r.kind
${SHARE_UPDATE}`;


/**
 * Like mergeRelationships for rows whose relationship is known to be absent (the loader
 * proves it: see BatchWriter): created with the row as its one share, no existence check.
 */
export function createRelationships(vocabulary: Vocabulary, relation: string, fromType: string, toType: string): string {
  const { rel, from, to } = endpoints(vocabulary, relation, fromType, toType);
  return `
UNWIND $rows AS r
MATCH (s:${from} {id: r.s})
MATCH (o:${to} {id: r.o})
CREATE (s)-[x:${rel}]->(o)
SET x._src = r.src, x._srcLoad = $load, x.weight = toFloat(r.w), x.count = toInteger(r.n),
  x.firstTs = ${firstOf('r.first')}, x.lastTs = ${lastOf('r.last')}
RETURN count(*) AS matched`;
}

/** Rows (type, n): how many relationships of each of the vocabulary's types exist (count store: constant time). */
export function countRelationshipTypes(vocabulary: Vocabulary): string {
  const names = vocabulary.relations.map((r) => r.name);
  return names
    // allowListed refuses any name that is not a plain identifier, so it is safe as a literal too.
    .map((name) => `MATCH ()-[x:${allowListed(name, names)}]->() RETURN '${name}' AS type, count(x) AS n`)
    .join('\nUNION ALL\n');
}

/** Entities and relationships in the graph, from Neo4j's count store (constant time). */
export const GRAPH_COUNTS = `
CALL () { MATCH (n:${ENTITY_LABEL}) RETURN count(n) AS entities }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN entities, relationships`;

/** Makes `KgMeta.key` unique: batch claims (below) rely on it. */
export const KGMETA_KEY_CONSTRAINT = 'CREATE CONSTRAINT kgmeta_key IF NOT EXISTS FOR (m:KgMeta) REQUIRE m.key IS UNIQUE';

/**
 * First statement of every batch transaction: claims the batch. If the transaction committed
 * but its acknowledgement was lost, the replay fails on the unique key, so no batch is applied
 * twice. The claims of a load are removed when it completes (DROP_BATCH_CLAIMS).
 */
export const CLAIM_BATCH = "CREATE (:KgMeta {key: 'batch:' + $load + ':' + $batch})";

/** Removes a finished load's batch claims. */
export const DROP_BATCH_CLAIMS = `
MATCH (m:KgMeta) WHERE m.key STARTS WITH 'batch:' + $load + ':'
CALL (m) { DELETE m } IN TRANSACTIONS OF 10000 ROWS`;

/**
 * Marks the sources a load touches (`KgMeta {key: 'source:' + name}`) and returns those an
 * earlier load already delivered: only they can have stale shares to drop at the end.
 */
export const MARK_SOURCES = `
UNWIND $sources AS s
MERGE (m:KgMeta {key: 'source:' + s})
SET m.source = s,
    m.prevLoad = CASE WHEN m.loadId = $load THEN m.prevLoad ELSE m.loadId END,
    m.loadId = $load
RETURN s AS source, m.prevLoad AS prevLoad`;

/** A relationship share of `$sources` that load `$load` did not touch (either shape). */
const HAS_STALE = `CASE WHEN x._src IS :: STRING THEN x._src IN $sources AND x._srcLoad <> $load
  ELSE any(k IN range(0, size(x._src) - 1) WHERE x._src[k] IN $sources AND x._srcLoad[k] <> $load) END`;

/**
 * After a complete load: drops the shares of the redelivered `$sources` that this load
 * (`$load`) did not touch, i.e. keys absent from the new delivery, recomputes the totals, and
 * deletes relationships left with no share; one left with a single share takes the scalar
 * shape again. Runs in batches (auto-commit).
 */
export const DROP_STALE_SHARES = `
MATCH ()-[x]->()
WHERE x._src IS NOT NULL AND ${HAS_STALE}
CALL (x) {
  // A scalar share is stale here, so nothing is kept.
  WITH x, CASE WHEN x._src IS :: STRING THEN []
    ELSE [k IN range(0, size(x._src) - 1) WHERE NOT (x._src[k] IN $sources AND x._srcLoad[k] <> $load)] END AS keep
  WITH x, keep, [k IN keep | x._srcW[k]] AS w, [k IN keep | x._srcN[k]] AS n,
    [k IN keep | x._srcFirst[k]] AS f, [k IN keep | x._srcLast[k]] AS l
  WITH x, keep, w, n, f, l, size(keep) = 1 AS one,
    reduce(m = ${NO_FIRST}, v IN f | CASE WHEN v < m THEN v ELSE m END) AS first,
    reduce(m = ${NO_LAST}, v IN l | CASE WHEN v > m THEN v ELSE m END) AS last
  FOREACH (_ IN CASE WHEN size(keep) > 0 THEN [1] ELSE [] END |
    SET x._src = CASE WHEN one THEN x._src[keep[0]] ELSE [k IN keep | x._src[k]] END,
      x._srcLoad = CASE WHEN one THEN x._srcLoad[keep[0]] ELSE [k IN keep | x._srcLoad[k]] END,
      x._srcW = CASE WHEN one THEN null ELSE w END, x._srcN = CASE WHEN one THEN null ELSE n END,
      x._srcFirst = CASE WHEN one THEN null ELSE f END, x._srcLast = CASE WHEN one THEN null ELSE l END,
      x.weight = reduce(a = 0.0, v IN w | a + v),
      x.count = reduce(a = 0, v IN n | a + v),
      x.firstTs = CASE WHEN first < ${NO_FIRST / 10} THEN first END,
      x.lastTs = CASE WHEN last > ${NO_LAST / 10} THEN last END)
  WITH x, keep WHERE size(keep) = 0
  DELETE x
} IN TRANSACTIONS OF 5000 ROWS`;

/** What DROP_STALE_SHARES would remove: shares, and relationships left with none. */
export const COUNT_STALE_SHARES = `
MATCH ()-[x]->()
WHERE x._src IS NOT NULL AND ${HAS_STALE}
WITH x, CASE WHEN x._src IS :: STRING THEN 0
  ELSE size([k IN range(0, size(x._src) - 1) WHERE NOT (x._src[k] IN $sources AND x._srcLoad[k] <> $load)]) END AS kept
RETURN count(x) AS shares, count(CASE WHEN kept = 0 THEN 1 END) AS relationships`;

/**
 * Sources named by `--replace-source NAME`: the source itself (a file identity or an API or
 * legacy source name) and every file's scoped share of it (`NAME@folder/file`).
 */
export const SOURCES_NAMED = `
MATCH (m:KgMeta) WHERE m.key STARTS WITH 'source:' AND (m.source IN $names OR any(n IN $names WHERE m.source STARTS WITH n + '@'))
RETURN m.source AS source`;

/** Sources an earlier load of the files `$files` (identities) delivered: the file's own and its scoped ones. */
export const SOURCES_OF_FILES = `
MATCH (m:KgMeta) WHERE m.key STARTS WITH 'source:' AND (m.source IN $files OR any(f IN $files WHERE m.source ENDS WITH '@' + f))
RETURN m.source AS source`;

/**
 * Takes the ingest lock `$key` for `$owner` when it is free: absent, already ours, the owner
 * `$takeover` (found dead by the caller), or its heartbeat older than `$staleMs` (server clock).
 * `SET l._claim` first takes the node's write lock, so two loads never both see it free.
 */
export const ACQUIRE_INGEST_LOCK = `
MERGE (l:KgMeta {key: $key})
SET l._claim = true
WITH l, l.owner AS current, l.heartbeat AS heartbeat
WITH l, current, heartbeat,
  (current IS NULL OR current = $owner OR current = $takeover OR heartbeat < timestamp() - $staleMs) AS free
SET l.owner = CASE WHEN free THEN $owner ELSE current END,
    l.heartbeat = CASE WHEN free THEN timestamp() ELSE heartbeat END,
    l.since = CASE WHEN free AND coalesce(current, '') <> $owner THEN timestamp() ELSE l.since END
REMOVE l._claim
RETURN free, current, timestamp() - heartbeat AS ageMs`;

/** Renews the lock's heartbeat while `$owner` holds it; 0 rows held means it was taken over. */
export const HEARTBEAT_INGEST_LOCK = `
OPTIONAL MATCH (l:KgMeta {key: $key})
WITH l, l.owner = $owner AS held
FOREACH (_ IN CASE WHEN held THEN [1] ELSE [] END | SET l.heartbeat = timestamp())
RETURN held, l.owner AS owner`;

/** Releases the lock if `$owner` still holds it. */
export const RELEASE_INGEST_LOCK = 'MATCH (l:KgMeta {key: $key}) WHERE l.owner = $owner DELETE l';

/** Labels that have a uniqueness constraint on `id` (the loader's MERGE relies on them). */
export const ID_CONSTRAINTS = `
SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties
WHERE type CONTAINS 'UNIQUENESS' AND properties = ['id']
RETURN labelsOrTypes AS labels`;
