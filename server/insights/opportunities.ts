import {
  ADJACENT_INTERESTS,
  closestProductsQuery,
  driverSegmentsQuery,
  GET_INSIGHTS_META,
  SUPPRESSED_OPPORTUNITIES,
  subtreeQuery,
  TOP_OPPORTUNITIES,
} from './queries.js';
import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { entitiesByKeys, resolveEntity, toEntity, typeOfKey, type EntityShape } from '../graph/entity.js';
import { computeInterestSets, type InterestSet } from './interest-sets.js';
import { consumerInterestRelations, interestType, relationsWithRole } from '../graph/roles.js';
import { badInput } from '../core/errors.js';
import { checkInteger, domainLimits } from '../core/limits.js';

export interface OpportunityOptions {
  first?: number;
  minConsumers?: number | null;
  /** An interest (id or key); only sets with a member in its taxonomy subtree. */
  subtree?: string | null;
  /** Interests (ids or keys): only sets with a member among them (combined with subtree: either). */
  involving?: string[] | null;
  /** Unix seconds: only links formed in [since, until); computed live. */
  since?: number | null;
  until?: number | null;
  kAnonymity: number;
  pseudonymSecret: string;
}

export interface SegmentShare {
  segment: number;
  consumers: number;
  share: number;
}

export interface Opportunity {
  interests: EntityShape[];
  consumers: number;
  lift: number;
  pmi: number;
  zScore: number;
  expectedConsumers: number;
  excessConsumers: number;
  demand: number;
  servingProducts: number;
  coverage: number;
  gap: number;
  gapScore: number;
  closestProducts: EntityShape[];
  adjacentInterests: EntityShape[];
  segments: SegmentShare[];
  /** Driving segments left out because fewer than k of the set's consumers are in them. */
  suppressedSegments: number;
}

export interface OpportunityReport {
  opportunities: Opportunity[];
  /** Candidate opportunities left out because fewer than k consumers share them. */
  suppressed: number;
  /** True when computed live for a time window; false when read from the post-load precomputation. */
  live: boolean;
  /** When the precomputation ran (epoch ms); null when live or never computed. */
  computedAt: number | null;
}

interface StoredSet extends Omit<InterestSet, 'serving'> {
  serving: string[];
  /** Precomputed driving segments (post-load refresh), when known. */
  driversKnown?: boolean;
  driverSegments?: number[];
  driverCounts?: number[];
}

/**
 * Interest combinations many consumers share (support, lift) that few products serve (supply
 * gap), best gap score first, with the closest products, adjacent interests and driving
 * segments. Reads the post-load precomputation; a time window is computed live.
 */
export async function productOpportunities(db: Database, vocabulary: Vocabulary, o: OpportunityOptions): Promise<OpportunityReport> {
  const first = o.first ?? 10;
  checkInteger('first', first, 1, domainLimits.opportunitiesFirst);
  if (o.minConsumers != null && (!Number.isInteger(o.minConsumers) || o.minConsumers < 1)) {
    throw badInput('minConsumers must be a positive integer');
  }
  if (o.since != null && o.until != null && o.since >= o.until) throw badInput('since must be before until');
  const k = Math.max(1, o.kAnonymity);
  const minConsumers = Math.max(k, o.minConsumers ?? 0);
  let subtree: string[] | null = null;
  if (o.subtree) {
    const root = await resolveEntity({ db, vocabulary, pseudonymSecret: o.pseudonymSecret }, o.subtree, o.subtree.includes(':') ? null : interestType(vocabulary));
    const rows = await db.read('insights-subtree', subtreeQuery(relationsWithRole(vocabulary, 'taxonomy'), vocabulary), { key: root.key });
    subtree = (rows[0]?.keys as string[]) ?? [root.key];
  }
  if (o.involving && o.involving.length > 0) {
    if (o.involving.length > domainLimits.opportunitiesInvolving) throw badInput(`involving: at most ${domainLimits.opportunitiesInvolving} interests`);
    const type = interestType(vocabulary);
    const named = await Promise.all(o.involving.map((id) => resolveEntity({ db, vocabulary, pseudonymSecret: o.pseudonymSecret }, id, id.includes(':') ? null : type)));
    subtree = [...(subtree ?? []), ...named.map((e) => e.key)];
  }
  const inSubtree = (s: { members: string[] }) => !subtree || s.members.some((m) => subtree!.includes(m));

  const meta = (await db.read('insights-meta', GET_INSIGHTS_META))[0]?.meta as { version?: number; computedAt?: number } | undefined;
  let top: StoredSet[];
  let suppressed: number;
  const live = o.since != null || o.until != null;
  if (live) {
    const { sets } = await computeInterestSets(db, vocabulary, { since: o.since, until: o.until, minSupport: 2, supplyCandidates: 1000 });
    const open = sets.filter((s) => s.gapScore > 0 && !s.subsumed && inSubtree(s)) as StoredSet[];
    suppressed = sets.filter((s) => s.support < k && !s.subsumed && inSubtree(s)).length;
    top = distinct(open.filter((s) => s.support >= minConsumers).sort((x, y) => y.gapScore - x.gapScore || y.support - x.support), first);
  } else {
    if (!meta?.version) return { opportunities: [], suppressed: 0, live: false, computedAt: null };
    const params = { version: meta.version, minConsumers, subtree, first: first * 4, k };
    const [rows, hidden] = await Promise.all([
      db.read('insights-opportunities', TOP_OPPORTUNITIES, params),
      db.read('insights-opportunities-suppressed', SUPPRESSED_OPPORTUNITIES, params),
    ]);
    top = distinct((rows[0]?.top as StoredSet[]) ?? [], first);
    suppressed = Number(hidden[0]?.n ?? 0);
  }
  const opportunities = await describe(db, vocabulary, top, meta?.version ?? null, k);
  return { opportunities, suppressed, live, computedAt: live ? null : (meta?.computedAt ?? null) };
}

/**
 * Keeps the list varied: a combination sharing two or more interests with a better one already
 * listed is a near-duplicate (the same demand seen through another set) and is skipped.
 */
export function distinct<T extends { members: string[] }>(ranked: T[], first: number): T[] {
  const out: T[] = [];
  for (const s of ranked) {
    if (out.length >= first) break;
    if (out.some((o) => o.members.filter((m) => s.members.includes(m)).length >= 2)) continue;
    out.push(s);
  }
  return out;
}

/** Adds entities, closest products, adjacent interests and driving segments to the chosen sets. */
async function describe(db: Database, vocabulary: Vocabulary, top: StoredSet[], version: number | null, k: number): Promise<Opportunity[]> {
  if (top.length === 0) return [];
  const sets = top.map((s) => ({ id: s.id, members: s.members }));
  const interestRels = consumerInterestRelations(vocabulary);
  const productInterestRels = relationsWithRole(vocabulary, 'product-interest');
  const unknownDrivers = sets.filter((_, i) => !top[i]!.driversKnown);
  const [closestRows, adjacentRows, driverRows, members] = await Promise.all([
    productInterestRels.length
      ? db.read('insights-closest-products', closestProductsQuery(productInterestRels, vocabulary), { sets, limit: 3 })
      : Promise.resolve([]),
    version ? db.read('insights-adjacent-interests', ADJACENT_INTERESTS, { sets, version, k, limit: 5 }) : Promise.resolve([]),
    unknownDrivers.length ? db.read('insights-driver-segments', driverSegmentsQuery(interestRels, vocabulary), { sets: unknownDrivers }) : Promise.resolve([]),
    entitiesByKeys(db, vocabulary, top.flatMap((s) => s.members)),
  ]);
  const byId = <T>(rows: Record<string, unknown>[], field: string) => new Map(rows.map((r) => [String(r.id), r[field] as T]));
  const closest = byId<Record<string, unknown>[]>(closestRows, 'products');
  const adjacent = byId<Record<string, unknown>[]>(adjacentRows, 'adjacent');
  const drivers = byId<{ segment: number; n: number }[]>(driverRows, 'segments');
  for (const s of top) {
    if (s.driversKnown) drivers.set(s.id, (s.driverSegments ?? []).map((segment, i) => ({ segment, n: s.driverCounts![i]! })));
  }
  const shape = (props: Record<string, unknown>) => toEntity(props, typeOfKey(String(props.key)));
  return top.map((s) => {
    const segs = (drivers.get(s.id) ?? []).sort((x, y) => y.n - x.n || x.segment - y.segment);
    return {
      interests: s.members.flatMap((m) => members.get(m) ?? []),
      consumers: s.support,
      lift: s.lift,
      pmi: s.pmi,
      zScore: s.zScore,
      expectedConsumers: s.expected,
      excessConsumers: s.excess,
      demand: s.demand,
      servingProducts: s.serving.length,
      coverage: s.coverage,
      gap: s.gap,
      gapScore: s.gapScore,
      closestProducts: (closest.get(s.id) ?? []).map(shape),
      adjacentInterests: (adjacent.get(s.id) ?? []).map(shape),
      segments: segs.filter((g) => g.n >= k).map((g) => ({ segment: g.segment, consumers: g.n, share: g.n / s.support })),
      suppressedSegments: segs.filter((g) => g.n < k).length,
    };
  });
}
