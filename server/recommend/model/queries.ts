/**
 * Cypher of the learned model's build and storage (server/recommend/model). A model is a
 * `:KgModel {version}` node (its settings, interest lists, part count) plus `:KgModelPart
 * {version, seq}` nodes holding the per-product arrays of `partSize` products each.
 * `KgMeta {key: 'recommend'}.model` names the version to serve and is set, in the same
 * transaction that marks the model complete, only after every part is written.
 */

/**
 * Every engagement edge: the consumer's person (server/identity; its own id where none is
 * set), product, relation, raw weight. The model learns one row a person, so one person's ids
 * are one user, not several similar ones.
 */
export const READ_ENGAGEMENTS = `
MATCH (u:Consumer)-[r]->(p:Product) WHERE type(r) IN $engRels
RETURN coalesce(u.person, u.id) AS consumer, p.id AS product, type(r) AS rel, r.weight AS weight`;

export const READ_PRODUCTS = `
MATCH (p:Product) RETURN p.id AS id, p.name AS name, p.name_en AS nameEn, p {.*} AS props ORDER BY id`;

export const READ_INTERESTS = `
MATCH (t:Interest) RETURN t.id AS id, t.name AS name, t.name_en AS nameEn ORDER BY id`;

/** Taxonomy links between interests (narrower → broader). */
export const READ_TAXONOMY = `
MATCH (a:Interest)-[x]->(b:Interest) WHERE type(x) IN $taxRels
RETURN a.id AS narrower, b.id AS broader, type(x) AS rel ORDER BY narrower, broader, rel`;

/** Product–product links (SIMILAR_TO role), each once. */
export const READ_PRODUCT_LINKS = `
MATCH (a:Product)-[x]->(b:Product) WHERE type(x) IN $ppRels
RETURN a.id AS a, b.id AS b, type(x) AS rel, x.weight AS weight`;

export const READ_PRODUCT_INTERESTS = `
MATCH (p:Product)-[r]->(t:Interest) WHERE type(r) IN $piRels
RETURN p.id AS product, t.id AS interest, r.weight AS weight`;

export const READ_REVISIT = `
OPTIONAL MATCH (m:KgMeta {key: 'recommend'}) RETURN coalesce(m.revisitViewed, false) AS revisitViewed, m.model AS model`;

export const CREATE_MODEL = `
CREATE (m:KgModel {version: $version, builtAt: $builtAt, complete: false, parts: $parts,
  weights: $weights, info: $info, revisitViewed: $revisitViewed,
  interests: $interests, interestNames: $interestNames, interestNamesEn: $interestNamesEn, tPtr: $tPtr, tNbr: $tNbr, tW: $tW,
  relNames: $relNames, nPtr: $nPtr, nIdx: $nIdx, nRel: $nRel, bPtr: $bPtr, bIdx: $bIdx, bRel: $bRel})`;

export const WRITE_MODEL_PART = `
MATCH (m:KgModel {version: $version})
CREATE (m)-[:HAS_PART]->(:KgModelPart {version: $version, seq: $seq, ids: $ids, names: $names, namesEn: $namesEn, props: $props,
  consumers: $consumers, pool: $pool, cPtr: $cPtr, cNbr: $cNbr, cW: $cW, iPtr: $iPtr, iIdx: $iIdx, sPtr: $sPtr, sNbr: $sNbr, sW: $sW, sRel: $sRel})`;

/**
 * Completes a version and points the serving processes at it, atomically. With `$base` set
 * (a partial update), only if the served version is still `$base`: the pointer node is
 * write-locked before it is read, so two publishers cannot both win.
 */
export const PUBLISH_MODEL = `
MATCH (m:KgModel {version: $version})
WHERE COUNT { (m)-[:HAS_PART]->(:KgModelPart) } = m.parts
MERGE (meta:KgMeta {key: 'recommend'})
SET meta.publishing = coalesce(meta.publishing, 0) + 1
WITH m, meta, meta.model AS previous
WHERE $base IS NULL OR previous = $base
SET m.complete = true, meta.model = m.version, meta.previousModel = previous
RETURN previous`;

/** A version that lost the race to publish: removed. */
export const DROP_MODEL = `
MATCH (m:KgModel {version: $version}) WHERE NOT m.complete
OPTIONAL MATCH (m)-[:HAS_PART]->(p:KgModelPart)
DETACH DELETE p, m`;

/**
 * What a partial update recomputes per touched product: names and properties, consumer count
 * (persons, as the build counts them), interests, and its engagers one row a person
 * ([person, [[relation, weight] of its links to the product], the products of all its ids]),
 * bounded. The `consumer_person` index is sought only for persons of more than one id.
 */
export const READ_TOUCHED_PRODUCTS = `
UNWIND $ids AS pid
MATCH (p:Product {id: pid})
RETURN p.id AS id, p.name AS name, p.name_en AS nameEn, p {.*} AS props,
  COUNT { MATCH (p)<-[r]-(u:Consumer) WHERE type(r) IN $engRels RETURN DISTINCT coalesce(u.person, u.id) AS person } AS consumers,
  COLLECT { MATCH (p)-[y]->(t:Interest) WHERE type(y) IN $piRels RETURN [t.id, y.weight] AS t } AS interests,
  COLLECT { MATCH (p)<-[r]-(u:Consumer) WHERE type(r) IN $engRels
            WITH u, r ORDER BY r.weight DESC LIMIT toInteger($engagers)
            WITH coalesce(u.person, u.id) AS person, collect(DISTINCT u) AS us, collect([type(r), r.weight]) AS rs
            CALL (person, us) {
              WITH us WHERE size(us) = 1 AND coalesce(us[0].personIds, 1) <= 1
              RETURN us AS ws
              UNION ALL
              WITH person, us WHERE size(us) > 1 OR us[0].personIds > 1
              MATCH (w:Consumer {person: person})
              WITH person, w LIMIT toInteger($perConsumer)
              // Grouped by person, so a branch that matched nothing returns no row (not an empty list).
              WITH person, collect(w) AS ws
              RETURN ws
            }
            RETURN [person, rs,
              COLLECT { UNWIND ws AS w
                        MATCH (w)-[x]->(j:Product) WHERE type(x) IN $engRels AND j <> p
                        WITH j, x LIMIT toInteger($perConsumer) RETURN [j.id, type(x), x.weight] AS e }] AS e } AS engagers`;

/** Removes every version but the served one and the one before it (a process may still be loading that). */
export const DROP_OLD_MODELS = `
MATCH (meta:KgMeta {key: 'recommend'})
MATCH (m:KgModel) WHERE m.version <> meta.model AND (meta.previousModel IS NULL OR m.version <> meta.previousModel)
OPTIONAL MATCH (m)-[:HAS_PART]->(p:KgModelPart)
DETACH DELETE p, m`;

/** The served version (cheap: what each process polls). */
export const READ_SERVED_VERSION = `
OPTIONAL MATCH (meta:KgMeta {key: 'recommend'}) RETURN meta.model AS version`;

/** A version's build time and figures (`npm run model -- status`). */
export const READ_SERVED_INFO = `
MATCH (m:KgModel {version: $version}) RETURN m.builtAt AS builtAt, m.info AS info`;

export const READ_MODEL = `
MATCH (m:KgModel {version: $version}) WHERE m.complete
RETURN m {.*} AS model, [(m)-[:HAS_PART]->(p:KgModelPart) | p {.*}] AS parts`;
