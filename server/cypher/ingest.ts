import { allowListed, ENTITY_LABEL, type Vocabulary } from '../schema/vocabulary.js';

/*
 * Loader writes. Labels and relation types come only through `allowListed`; everything else is
 * a parameter. Each relationship keeps what every source contributed in parallel arrays
 * (`_src`, `_srcW`, `_srcN`, `_srcFirst`, `_srcLast`, `_srcLoad`, `_srcSeq`), so that
 * redelivering a source replaces its share and totals are recomputed from the arrays.
 */

/** Sentinels for "no timestamp" in the per-source arrays (list properties cannot hold null). */
export const NO_FIRST = 1e300;
export const NO_LAST = -1e300;

/**
 * Nodes named by triples: created with `name = id` when new, otherwise left alone.
 * Rows: `$ids` (distinct). Returns how many were created.
 */
export function mergeTripleNodes(vocabulary: Vocabulary, type: string): string {
  const label = allowListed(type, vocabulary.entityTypes);
  return `
UNWIND $ids AS id
WITH id, EXISTS { MATCH (:${label} {id: id}) } AS existed
MERGE (e:${label} {id: id})
  ON CREATE SET e:${ENTITY_LABEL}, e.key = $type + ':' + id, e.name = id
RETURN count(CASE WHEN existed THEN null ELSE 1 END) AS created`;
}

/** Entity-file rows (`$rows`: id, name, props): name and properties set. Returns created/updated. */
export function mergeEntities(vocabulary: Vocabulary, type: string): string {
  const label = allowListed(type, vocabulary.entityTypes);
  return `
UNWIND $rows AS r
WITH r, EXISTS { MATCH (:${label} {id: r.id}) } AS existed
MERGE (e:${label} {id: r.id})
  ON CREATE SET e:${ENTITY_LABEL}, e.key = $type + ':' + r.id
SET e += r.props, e.name = r.name
RETURN count(CASE WHEN existed THEN null ELSE 1 END) AS created, count(CASE WHEN existed THEN 1 END) AS updated`;
}

/** New value of a per-source array: appended, replaced at `i`, combined at `i`, or kept. */
function perSource(prop: string, value: string, combine: (old: string, v: string) => string): string {
  const at = (expr: string) => `[j IN range(0, size(x.${prop}) - 1) | CASE WHEN j = i THEN ${expr} ELSE x.${prop}[j] END]`;
  return `CASE mode
      WHEN 'new' THEN coalesce(x.${prop}, []) + [${value}]
      WHEN 'replace' THEN ${at(value)}
      WHEN 'add' THEN ${at(combine(`x.${prop}[j]`, value))}
      ELSE x.${prop} END`;
}

const min = (a: string, b: string) => `CASE WHEN ${b} < ${a} THEN ${b} ELSE ${a} END`;
const max = (a: string, b: string) => `CASE WHEN ${b} > ${a} THEN ${b} ELSE ${a} END`;

/**
 * One relationship type between two endpoint types. `$rows`: s, o, src, w, n, first, last,
 * each (s, o, src) at most once. The first touch of a relationship by a source in load `$load`
 * replaces that source's share; later batches (`$seq` higher) of the same load add to it; a
 * batch replayed after a lost commit acknowledgement (`$seq` not higher) changes nothing.
 * Returns rows matched (endpoints found) and relationships created.
 */
export function mergeRelationships(vocabulary: Vocabulary, relation: string, fromType: string, toType: string): string {
  const rel = allowListed(relation, vocabulary.relations.map((r) => r.name));
  const from = allowListed(fromType, vocabulary.entityTypes);
  const to = allowListed(toType, vocabulary.entityTypes);
  return `
UNWIND $rows AS r
MATCH (s:${from} {id: r.s})
MATCH (o:${to} {id: r.o})
MERGE (s)-[x:${rel}]->(o)
WITH x, r, x._src IS NULL AS created, coalesce(x._src, []) AS src
WITH x, r, created, src, [k IN range(0, size(src) - 1) WHERE src[k] = r.src] AS hit
WITH x, r, created, src, CASE WHEN size(hit) = 0 THEN -1 ELSE hit[0] END AS i
WITH x, r, created, src, i,
  CASE WHEN i < 0 THEN 'new'
       WHEN x._srcLoad[i] <> $load THEN 'replace'
       WHEN x._srcSeq[i] >= $seq THEN 'skip'
       ELSE 'add' END AS mode
WITH x, created,
  CASE WHEN mode = 'new' THEN src + [r.src] ELSE src END AS nSrc,
  ${perSource('_srcW', 'toFloat(r.w)', (a, b) => `${a} + ${b}`)} AS nW,
  ${perSource('_srcN', 'toInteger(r.n)', (a, b) => `${a} + ${b}`)} AS nN,
  ${perSource('_srcFirst', 'toFloat(r.first)', min)} AS nFirst,
  ${perSource('_srcLast', 'toFloat(r.last)', max)} AS nLast,
  ${perSource('_srcLoad', '$load', (_a, b) => b)} AS nLoad,
  ${perSource('_srcSeq', 'toInteger($seq)', (_a, b) => b)} AS nSeq
WITH x, created, nSrc, nW, nN, nFirst, nLast, nLoad, nSeq,
  reduce(m = ${NO_FIRST}, v IN nFirst | CASE WHEN v < m THEN v ELSE m END) AS first,
  reduce(m = ${NO_LAST}, v IN nLast | CASE WHEN v > m THEN v ELSE m END) AS last
SET x._src = nSrc, x._srcW = nW, x._srcN = nN, x._srcFirst = nFirst, x._srcLast = nLast,
    x._srcLoad = nLoad, x._srcSeq = nSeq,
    x.weight = reduce(a = 0.0, v IN nW | a + v),
    x.count = reduce(a = 0, v IN nN | a + v),
    x.firstTs = CASE WHEN first < ${NO_FIRST / 10} THEN first END,
    x.lastTs = CASE WHEN last > ${NO_LAST / 10} THEN last END
RETURN count(*) AS matched, count(CASE WHEN created THEN 1 END) AS created`;
}

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

/**
 * After a complete load: drops the shares of the redelivered `$sources` that this load
 * (`$load`) did not touch, i.e. keys absent from the new delivery, recomputes the totals, and
 * deletes relationships left with no share. Runs in batches (auto-commit).
 */
export const DROP_STALE_SHARES = `
MATCH ()-[x]->()
WHERE x._src IS NOT NULL
  AND any(k IN range(0, size(x._src) - 1) WHERE x._src[k] IN $sources AND x._srcLoad[k] <> $load)
CALL (x) {
  WITH x, [k IN range(0, size(x._src) - 1) WHERE NOT (x._src[k] IN $sources AND x._srcLoad[k] <> $load)] AS keep
  WITH x, keep, [k IN keep | x._srcW[k]] AS w, [k IN keep | x._srcN[k]] AS n,
    [k IN keep | x._srcFirst[k]] AS f, [k IN keep | x._srcLast[k]] AS l
  WITH x, keep, w, n, f, l,
    reduce(m = ${NO_FIRST}, v IN f | CASE WHEN v < m THEN v ELSE m END) AS first,
    reduce(m = ${NO_LAST}, v IN l | CASE WHEN v > m THEN v ELSE m END) AS last
  SET x._src = [k IN keep | x._src[k]], x._srcLoad = [k IN keep | x._srcLoad[k]],
      x._srcSeq = [k IN keep | x._srcSeq[k]],
      x._srcW = w, x._srcN = n, x._srcFirst = f, x._srcLast = l,
      x.weight = reduce(a = 0.0, v IN w | a + v),
      x.count = reduce(a = 0, v IN n | a + v),
      x.firstTs = CASE WHEN first < ${NO_FIRST / 10} THEN first END,
      x.lastTs = CASE WHEN last > ${NO_LAST / 10} THEN last END
  WITH x, keep WHERE size(keep) = 0
  DELETE x
} IN TRANSACTIONS OF 5000 ROWS`;

/** True when the graph holds at least one entity. */
export const HAS_ENTITIES = `MATCH (n:${ENTITY_LABEL}) RETURN count(n) > 0 AS any LIMIT 1`;
