import {
  CONSUMER_EXISTS,
  LOOKALIKES,
  POPULAR_PRODUCTS,
  recommendProductsQuery,
  relatedQuery,
} from './queries.js';
import type { Database } from '../db/neo4j.js';
import { resolveEntity, toEntity, type EntityShape } from '../graph/entity.js';
import { storedEntityId } from '../privacy/pseudonym.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { explain, type RawPath, type ReasonOut } from './explain.js';
import { explorationBeta, poolSize, rerank } from './explore.js';
import { defaultSettings, roleParams, type RecommendSettings } from './settings.js';
import { badInput, notFound } from '../core/errors.js';
import { checkInteger, domainLimits } from '../core/limits.js';

export interface EngineDeps {
  db: Database;
  vocabulary: Vocabulary;
  pseudonymSecret: string;
  settings?: RecommendSettings;
}

export interface RecommendationOut {
  entity: EntityShape;
  score: number;
  reasons: ReasonOut[];
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
 * The next products for one consumer (raw id as loaded), best first, each with up to three
 * explained paths. Unknown consumer → RecommendNotFoundError; a consumer with no engagement
 * gets interest-, social- or popularity-based results that say so.
 */
export async function recommendProducts(deps: EngineDeps, consumerId: string, first = 10, exploration = 0.3): Promise<RecommendationOut[]> {
  checkArgs(first, exploration);
  if (!consumerId) throw badInput('consumerId must not be empty');
  const id = storedEntityId(deps.pseudonymSecret, 'Consumer', consumerId);
  const { s, roles } = queryParams(deps);
  const pool = poolSize(first, 1);
  const rows = await deps.db.read('recommend-products', recommendProductsQuery(deps.vocabulary), {
    ...roles,
    consumerId: id,
    excludeViewed: s.excludeViewed,
    beta: explorationBeta(s, exploration),
    seedCap: s.seedCap,
    coCap: s.coCap,
    interestCap: s.interestCap,
    fanout: s.fanout,
    scan: s.scan,
    pool,
    w: { collab: s.collab, similar: s.similar, interest: s.interest, profile: s.profile, social: s.social, revisit: s.revisit, narrower: s.narrower, broader: s.broader },
  });
  let engaged = 0;
  let candidates: RawCandidate[] = [];
  let profile = new Set<string>();
  if (rows.length) {
    const row = rows[0]!;
    engaged = Number(row.engaged);
    profile = new Set(row.profile as string[]);
    candidates = (row.candidates as Omit<RawCandidate, 'key' | 'consumers'>[]).map((c) => ({
      ...c,
      key: String(c.entity.key),
      consumers: Number(c.entity._consumers ?? 0),
    }));
  } else {
    const exists = await deps.db.read('recommend-consumer', CONSUMER_EXISTS, { ...roles, consumerId: id });
    if (!exists.length) throw notFound(`no consumer with id "${consumerId}"`);
    engaged = Number(exists[0]!.engaged);
  }
  const coldStart = engaged === 0;
  const chosen = rerank(candidates, { first, exploration, profile, diversity: s.diversity });
  const out = chosen.map((c) => shape(c, coldStart));
  if (out.length < first) {
    // Too little linked to fill the list: the most popular products, said as such.
    const have = new Set(out.map((r) => r.entity.key));
    const popular = await deps.db.read('recommend-popular', POPULAR_PRODUCTS, {
      ...roles,
      consumerId: id,
      scanPopular: first + have.size + 50,
      limit: first + have.size,
    });
    for (const p of popular) {
      if (out.length >= first) break;
      const entity = entityOf(p.entity as Record<string, unknown>);
      if (have.has(entity.key)) continue;
      const n = Number(p.consumers);
      const path: RawPath = { kind: 'popular', c: 0, n, rels: [], nodes: [p.entity as Record<string, unknown>] };
      const [reason] = explain([path], 0, { coldStart: coldStart && profile.size === 0 });
      out.push({ entity, score: 0, reasons: [{ ...reason!, share: 1, path: { ...reason!.path, strength: n } }] });
    }
  }
  return out;
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
 * Consumers most like one consumer (raw id as loaded): shared products and interests, each
 * discounted by its popularity, plus social links. Results carry pseudonyms only.
 */
export async function lookalikes(deps: EngineDeps, consumerId: string, first = 10): Promise<RecommendationOut[]> {
  checkArgs(first, 0);
  if (!consumerId) throw badInput('consumerId must not be empty');
  const id = storedEntityId(deps.pseudonymSecret, 'Consumer', consumerId);
  const { s, roles } = queryParams(deps);
  const exists = await deps.db.read('lookalikes-consumer', CONSUMER_EXISTS, { ...roles, consumerId: id });
  if (!exists.length) throw notFound(`no consumer with id "${consumerId}"`);
  const rows = await deps.db.read('lookalikes', LOOKALIKES, {
    ...roles,
    shareRels: [...roles.engRels, ...roles.interestRels],
    consumerId: id,
    beta: s.beta,
    seedCap: s.seedCap,
    fanout: s.fanout,
    scan: s.scan,
    limit: first,
    w: { social: s.social },
  });
  return rows.map((r) => shape(r as unknown as RawCandidate, false));
}
