import { consumerProfileQuery, ENGAGERS, POPULAR_PRODUCTS, relatedQuery } from './queries.js';
import { audiencePlan, lookalikePlan, relatedInterests, scoreAudience, scoreLookalikes, type EngagerRow } from './related-model.js';
import type { Database } from '../db/neo4j.js';
import { entitiesByKeys, resolveEntity, toEntity, type EntityShape } from '../graph/entity.js';
import { storedEntityId } from '../privacy/pseudonym.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { explain, type RawPath } from './explain.js';
import { explorationBeta, poolSize, rerank } from './explore.js';
import { defaultSettings, roleParams, type RecommendSettings } from './settings.js';
import { badInput, notFound } from '../core/errors.js';
import { checkInteger, domainLimits } from '../core/limits.js';
import type { ModelHolder } from './model/holder.js';
import type { RecommendModel } from './model/model.js';
import { interestNode, productEntity, productNode, scoreConsumer, type ConsumerProfile, type RecommendationOut } from './score.js';

export type { RecommendationOut } from './score.js';

export interface EngineDeps {
  db: Database;
  vocabulary: Vocabulary;
  pseudonymSecret: string;
  /** The learned model this process serves (server/recommend/model/holder.ts). */
  model: ModelHolder;
  settings?: RecommendSettings;
}

interface RawCandidate {
  entity: Record<string, unknown>;
  score: number;
  consumers: number;
  interests: string[];
  paths: RawPath[];
  key: string;
}

function checkArgs(first: number, exploration: number): void {
  checkInteger('first', first, 1, domainLimits.recommendFirst);
  if (!Number.isFinite(exploration) || exploration < 0 || exploration > 1) {
    throw badInput(`exploration must be a number from 0 to 1, got ${exploration}`);
  }
}

function entityOf(props: Record<string, unknown>): EntityShape {
  const { _type, ...rest } = props;
  return toEntity(rest, String(_type));
}

function queryParams(deps: EngineDeps) {
  const s = deps.settings ?? defaultSettings;
  return { s, roles: roleParams(deps.vocabulary, s) };
}

function shape(c: RawCandidate, coldStart: boolean): RecommendationOut {
  return { entity: entityOf(c.entity), score: c.score, reasons: explain(c.paths, c.score, { coldStart }) };
}

/**
 * The next products for one consumer (raw id as loaded, any id of a person), best first, each
 * with up to three explained paths: one read of the live engagements, interests and follows of
 * every consumer of its person (server/identity; the consumer alone before that has run), then
 * scoring, exploration and explanations in memory from the learned model. Unknown consumer →
 * NOT_FOUND. A consumer with no engagement gets interest-, social- or popularity-based
 * results that say so. Before any model is loaded (an empty graph, a process still loading
 * the first one) the answer is the most popular products, said as such.
 */
export async function recommendProducts(deps: EngineDeps, consumerId: string, first = 10, exploration = 0.3): Promise<RecommendationOut[]> {
  checkArgs(first, exploration);
  if (!consumerId) throw badInput('consumerId must not be empty');
  const id = storedEntityId(deps.pseudonymSecret, 'Consumer', consumerId);
  const { s, roles } = queryParams(deps);
  const profile = await readProfile(deps, id, consumerId);
  const model = await servedModel(deps);
  if (!model) return popularWithoutModel(deps, profile, first);
  // Viewed products come back only where views lead to purchases (decided at build), unless the settings say otherwise.
  const revisit = s.excludeViewed === null ? model.revisitViewed : !s.excludeViewed;
  return scoreConsumer(model, profile, { first, exploration, settings: s, roles, revisit });
}

type Cell = unknown[];
const str = (v: unknown) => (v == null ? null : String(v));
const engagement = (e: Cell) => ({ id: String(e[0]), rel: String(e[1]), w: e[2] });

/** The compact profile row (queries.ts consumerProfileQuery) as scoring takes it. */
export function profileFrom(id: string, row: Record<string, unknown>): ConsumerProfile {
  return {
    consumer: { id, key: str(row.key), name: str(row.name) },
    person: str(row.person) ?? id,
    ids: Array.isArray(row.ids) ? (row.ids as unknown[]).map(String) : [id],
    engaged: (row.engaged as Cell[]).map(engagement),
    interests: (row.interests as Cell[]).map((t) => ({ id: String(t[0]), rel: String(t[1]), w: t[2], key: str(t[3]), name: str(t[4]), name_en: str(t[5]) })),
    follows: (row.follows as Cell[]).map((v) => ({
      id: String(v[0]),
      rel: String(v[1]),
      w: v[2],
      key: str(v[3]),
      name: str(v[4]),
      products: (v[5] as Cell[]).map(engagement),
    })),
  };
}

/** No model yet: the most popular products the consumer has not engaged with, from `_consumers`. */
async function popularWithoutModel(deps: EngineDeps, profile: ConsumerProfile, first: number): Promise<RecommendationOut[]> {
  const { roles } = queryParams(deps);
  const popular = await deps.db.read('recommend-popular', POPULAR_PRODUCTS, {
    ...roles,
    consumerIds: profile.ids ?? [profile.consumer.id],
    scanPopular: first + profile.engaged.length + 50,
    limit: first,
  });
  const coldStart = profile.engaged.length === 0 && profile.interests.length === 0;
  return popular.map((p) => {
    const n = Number(p.consumers);
    const path: RawPath = { kind: 'popular', c: 0, n, rels: [], nodes: [p.entity as Record<string, unknown>] };
    const [reason] = explain([path], 0, { coldStart });
    return { entity: entityOf(p.entity as Record<string, unknown>), score: 0, reasons: [{ ...reason!, share: 1, path: { ...reason!.path, strength: n } }] };
  });
}

/**
 * Entities of `targetType` related to any entity, strongest first, with explained paths.
 * For a consumer and products this is `recommendProducts`; for a consumer and consumers,
 * `lookalikes`. Consumer targets are individuals, returned by pseudonym only: the API lets
 * only role service ask for them (server/auth/roles.ts `argumentRoles`), like `lookalikes`;
 * paths never name a consumer other than the target.
 */
export async function related(
  deps: EngineDeps,
  id: string,
  type: string | undefined,
  targetType: string,
  first = 10,
  exploration = 0.3,
): Promise<RecommendationOut[]> {
  checkArgs(first, exploration);
  if (!deps.vocabulary.entityTypes.includes(targetType)) throw badInput(`targetType "${targetType}" is not an entity type of the schema`);
  const { key } = await resolveEntity(deps, id, type);
  const consumerSource = key.startsWith('Consumer:') ? key.slice('Consumer:'.length) : undefined;
  if (consumerSource !== undefined && targetType === 'Product') return recommendProducts(deps, consumerSource, first, exploration);
  if (consumerSource !== undefined && targetType === 'Consumer') return lookalikes(deps, consumerSource, first);
  const { s, roles } = queryParams(deps);
  const model = await servedModel(deps);
  if (model) {
    const o = { first, exploration, settings: s, roles };
    const product = key.startsWith('Product:') ? model.itemIndex.get(key.slice('Product:'.length)) : undefined;
    const interest = key.startsWith('Interest:') ? model.interestIndex.get(key.slice('Interest:'.length)) : undefined;
    if (targetType === 'Product' && (product !== undefined || interest !== undefined)) {
      const source = await fromModel(deps, model, key, first, exploration);
      if (source) return source;
    }
    if (targetType === 'Interest') {
      if (product !== undefined) return withStoredEntities(deps, relatedInterests(model, { product }, o));
      if (interest !== undefined) return withStoredEntities(deps, relatedInterests(model, { interest }, o));
      if (consumerSource !== undefined) {
        const profile = await readProfile(deps, storedEntityId(deps.pseudonymSecret, 'Consumer', consumerSource), consumerSource);
        return withStoredEntities(deps, relatedInterests(model, { consumer: profile }, o));
      }
    }
    if (targetType === 'Consumer' && (product !== undefined || interest !== undefined)) {
      const plan = audiencePlan(model, product !== undefined ? { product } : { interest: interest! }, s);
      const engagers = await readEngagers(deps, plan.keys, [], '');
      return scoreAudience(model, plan, engagers, o);
    }
  }
  // Entity types the model does not hold (a vocabulary's own), or no model yet: the graph query.
  return relatedFromGraph(deps, key, targetType, first, exploration);
}

/** The served model, waiting for the first load of a process that is still loading it. */
async function servedModel(deps: EngineDeps): Promise<RecommendModel | null> {
  let model = deps.model.current();
  if (!model) {
    await deps.model.ready();
    model = deps.model.current();
  }
  return model;
}

/** The consumer's live profile (one read); NOT_FOUND for an unknown consumer. */
async function readProfile(deps: EngineDeps, storedId: string, rawId: string): Promise<ConsumerProfile> {
  const s = deps.settings ?? defaultSettings;
  const rows = await deps.db.readOnce('recommend-profile', consumerProfileQuery(deps.vocabulary), { consumerId: storedId, scan: s.scan, fanout: s.fanout, interestCap: s.interestCap });
  if (!rows.length) throw notFound(`no consumer with id "${rawId}"`);
  return profileFrom(storedId, rows[0]!);
}

/** The ENGAGERS read (queries.ts) for `keys` and `follows`, one row a person, leaving out the person (or id) `self`. */
async function readEngagers(deps: EngineDeps, keys: string[], follows: string[], self: string): Promise<EngagerRow[]> {
  const { s, roles } = queryParams(deps);
  const rows = await deps.db.read('recommend-engagers', ENGAGERS, {
    keys,
    follows,
    self,
    shareRels: [...roles.engRels, ...roles.interestRels],
    scan: s.scan,
    fanout: s.fanout,
  });
  return rows as unknown as EngagerRow[];
}

/** Results whose entities are shown with their stored properties (one read by key; the model keeps names only). */
async function withStoredEntities(deps: EngineDeps, results: RecommendationOut[]): Promise<RecommendationOut[]> {
  const stored = await entitiesByKeys(deps.db, deps.vocabulary, results.map((r) => r.entity.key));
  return results.map((r) => ({ ...r, entity: stored.get(r.entity.key) ?? r.entity }));
}

/**
 * The graph query of related() (queries.ts relatedQuery): direct links, two hops, discounted
 * by popularity; for entity types the model does not hold, and before any model exists.
 */
async function relatedFromGraph(deps: EngineDeps, key: string, targetType: string, first: number, exploration: number): Promise<RecommendationOut[]> {
  const { s, roles } = queryParams(deps);
  const rows = await deps.db.read('related', relatedQuery(deps.vocabulary, targetType), {
    ...roles,
    key,
    beta: explorationBeta(s, exploration),
    fanout: s.fanout,
    scan: s.scan,
    pool: poolSize(first, 1),
    w: { direct: 1, twoHop: 1, collab: 1 },
  });
  const candidates = rows.map((r) => ({
    ...(r as unknown as RawCandidate),
    key: String((r.entity as Record<string, unknown>).key),
    consumers: Number(r.consumers),
  }));
  // Sameness for related(): the interests the source entity itself is linked to.
  const profile = new Set<string>((rows[0]?.sourceInterests as string[] | undefined) ?? []);
  return rerank(candidates, { first, exploration, profile, diversity: s.diversity }).map((c) => shape(c, false));
}

/**
 * Products related to a product (its learned neighbours) or to an interest (its products and
 * those of its narrower and broader interests) from the model, discounted by popularity at
 * the exploration's β and re-ranked like recommendProducts; null when the model does not
 * know the source (then the graph query answers).
 */
async function fromModel(deps: EngineDeps, m: RecommendModel, key: string, first: number, exploration: number): Promise<RecommendationOut[] | null> {
  const { s, roles } = queryParams(deps);
  const beta = explorationBeta(s, exploration);
  const discount = (j: number) => (m.consumers[j]! + 1) ** -beta;
  const piRel = roles.piRels.join('/') || 'RELATES_TO';
  const found = new Map<number, { score: number; paths: RawPath[] }>();
  const add = (j: number, c: number, path: Omit<RawPath, 'c'>) => {
    if (!(c > 0)) return;
    const x = found.get(j) ?? found.set(j, { score: 0, paths: [] }).get(j)!;
    x.score += c;
    x.paths.push({ ...path, c });
  };
  const profile = new Set<string>();
  if (key.startsWith('Product:')) {
    const i = m.itemIndex.get(key.slice('Product:'.length));
    if (i === undefined || m.collab.ptr[i + 1]! === m.collab.ptr[i]!) return null;
    for (let q = m.itemInterests.ptr[i]!; q < m.itemInterests.ptr[i + 1]!; q++) profile.add(m.interests[m.itemInterests.idx[q]!]!);
    const src = productNode(m, i);
    for (let q = m.collab.ptr[i]!; q < m.collab.ptr[i + 1]!; q++) {
      const j = m.collab.nbr[q]!;
      add(j, m.collab.w[q]! * discount(j), { kind: 'collab', n: 0, rels: ['CO_ENGAGED'], nodes: [src, productNode(m, j)] });
    }
  } else if (key.startsWith('Interest:')) {
    const id = key.slice('Interest:'.length);
    const t0 = m.interestIndex.get(id);
    if (t0 === undefined) return null;
    profile.add(id);
    const src = interestNode(m, t0);
    const steps: { t: number; rel: string | null; f: number }[] = [{ t: t0, rel: null, f: 1 }];
    for (const [links, f] of [[m.narrower, s.narrower], [m.broader, s.broader]] as const) {
      const end = Math.min(links.ptr[t0 + 1]!, links.ptr[t0]! + s.fanout);
      for (let q = links.ptr[t0]!; q < end; q++) steps.push({ t: links.idx[q]!, rel: m.relNames[links.rel[q]!]!, f });
    }
    for (const { t, rel, f } of steps) {
      for (let q = m.interestItems.ptr[t]!; q < Math.min(m.interestItems.ptr[t + 1]!, m.interestItems.ptr[t]! + s.fanout); q++) {
        const j = m.interestItems.nbr[q]!;
        const c = f * m.interestItems.w[q]! * discount(j);
        if (rel) add(j, c, { kind: 'two-hop', n: 1, rels: [rel, piRel], nodes: [src, interestNode(m, t), productNode(m, j)] });
        else add(j, c, { kind: 'direct', n: 1, rels: [piRel], nodes: [src, productNode(m, j)] });
      }
    }
  } else return null;
  const interestsOf = (j: number) => [...m.itemInterests.idx.subarray(m.itemInterests.ptr[j]!, m.itemInterests.ptr[j + 1]!)].map((t) => m.interests[t]!);
  const pool = [...found].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]).slice(0, poolSize(first, exploration, s.explorePool));
  const candidates = pool.map(([j, x]) => ({ j, key: m.items[j]!, score: x.score, consumers: m.consumers[j]!, interests: interestsOf(j), paths: x.paths }));
  return rerank(candidates, { first, exploration, profile, diversity: s.diversity, poolGrowth: s.explorePool }).map((c) => ({
    entity: productEntity(m, c.j),
    score: c.score,
    reasons: explain(c.paths, c.score, { coldStart: false }),
  }));
}

/**
 * Consumers most like one consumer (raw id as loaded), from the model (related-model.ts):
 * shared products and interests, products the model links to theirs, and follows. Two reads:
 * the live profile of the consumer's person (all its ids), then who engaged with the products
 * and interests involved. Each other person is listed once, as its representative consumer
 * (smallest id); the asking person's own ids never. Results carry pseudonyms only.
 */
export async function lookalikes(deps: EngineDeps, consumerId: string, first = 10): Promise<RecommendationOut[]> {
  checkArgs(first, 0);
  if (!consumerId) throw badInput('consumerId must not be empty');
  const id = storedEntityId(deps.pseudonymSecret, 'Consumer', consumerId);
  const { s, roles } = queryParams(deps);
  const profile = await readProfile(deps, id, consumerId);
  const model = await servedModel(deps);
  if (!model) return relatedFromGraph(deps, profile.consumer.key ?? `Consumer:${id}`, 'Consumer', first, 0);
  const plan = lookalikePlan(model, profile, s, roles);
  // Leaves out the asking person, under any of its ids.
  const engagers = await readEngagers(deps, plan.keys, plan.follows, profile.person ?? id);
  return scoreLookalikes(model, profile, plan, engagers, { first, settings: s, roles });
}
