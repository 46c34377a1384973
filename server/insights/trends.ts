import { activeConsumersInPeriodQuery, GET_INSIGHTS_META, periodFiguresQuery, risingInterestsQuery } from './queries.js';
import type { Database } from '../db/neo4j.js';
import type { EntityShape } from '../graph/entity.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { entitiesByKeys, resolveEntity } from '../graph/entity.js';
import { linkMetrics } from './metrics.js';
import { consumerLinkRelations, interestType } from '../graph/roles.js';
import { badInput } from '../core/errors.js';
import { checkInteger, domainLimits } from '../core/limits.js';

/** A half-open period [from, to) in Unix seconds. */
export interface Period {
  from: number;
  to: number;
}

export interface PeriodFigures extends Period {
  /** Consumers with any consumer link formed in the period (null when below k). */
  allConsumers: number | null;
  /** Consumers whose link to the source formed in the period (null when below k). */
  sourceConsumers: number | null;
  targetConsumers: number | null;
  support: number | null;
  confidence: number | null;
  lift: number | null;
  /** True when a figure was withheld because its group is smaller than k. */
  suppressed: boolean;
}

export interface TrendResult {
  source: EntityShape;
  target: EntityShape | null;
  before: PeriodFigures;
  after: PeriodFigures;
  /** after / before - 1 of the support (pair) or of the source's consumers; null if before is 0 or suppressed. */
  growth: number | null;
  /** Growth of the share of active consumers (corrects for overall activity changing). */
  shareGrowth: number | null;
  liftChange: number | null;
  /** Binomial z of the after count against the before/after split of all activity. */
  zScore: number | null;
}

export interface TrendOptions {
  id: string;
  type?: string | null;
  targetId?: string | null;
  targetType?: string | null;
  before?: Period | null;
  after?: Period | null;
  kAnonymity: number;
  pseudonymSecret: string;
}

interface PeriodCache {
  active?: Record<string, number>;
  rising?: Record<string, { key: string; before: number; after: number }[]>;
}

interface InsightsMeta {
  maxTs?: number;
  version?: string;
  periodCache?: string;
}

async function readMeta(db: Database): Promise<{ meta: InsightsMeta; cache: PeriodCache }> {
  const meta = ((await db.read('insights-meta', GET_INSIGHTS_META))[0]?.meta ?? {}) as InsightsMeta;
  return { meta, cache: JSON.parse(meta.periodCache ?? '{}') as PeriodCache };
}

const periodId = (p: Period) => `${p.from}|${p.to}`;

/**
 * The default periods for a latest timestamp, in whole calendar months (UTC): the six months
 * ending at the start of the month after it, and the six months before those.
 */
export function periodsEndingAt(maxTs: number): { before: Period; after: Period } {
  const last = new Date(maxTs * 1000);
  const month = (offset: number) => Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1 + offset, 1) / 1000;
  return { after: { from: month(-6), to: month(0) }, before: { from: month(-12), to: month(-6) } };
}

/**
 * Default periods: the last six months up to the latest link timestamp in the data, and the
 * six months before (the data may be historical, so "now" is the data's own last moment).
 */
export async function defaultPeriods(db: Database): Promise<{ before: Period; after: Period }> {
  const { meta } = await readMeta(db);
  return periodsEndingAt(meta.maxTs ?? Date.now() / 1000);
}

/** Consumers with any consumer link formed in the period (counted live). */
export async function activeConsumersLive(db: Database, vocabulary: Vocabulary, p: Period): Promise<number> {
  const rows = await db.read('insights-active-consumers', activeConsumersInPeriodQuery(consumerLinkRelations(vocabulary), vocabulary), { from: p.from, to: p.to });
  return Number(rows[0]?.n ?? 0);
}

/** New consumers per interest in two periods (counted live). */
export async function interestPeriodCountsLive(db: Database, vocabulary: Vocabulary, before: Period, after: Period) {
  const rels = consumerLinkRelations(vocabulary, interestType(vocabulary));
  const rows = await db.read('insights-rising-interests', risingInterestsQuery(rels, vocabulary), {
    beforeFrom: Math.min(before.from, after.from),
    beforeTo: before.to,
    afterFrom: after.from,
    afterTo: Math.max(before.to, after.to),
  });
  return rows.map((r) => ({ key: String(r.key), before: Number(r.before), after: Number(r.after) }));
}

/**
 * The period figures that do not depend on the question, for the default periods, computed in
 * the post-load refresh so default trend queries need not scan all recent links.
 */
export async function precomputePeriodCache(db: Database, vocabulary: Vocabulary, maxTs: number | null): Promise<string> {
  if (maxTs === null) return '{}';
  const { before, after } = periodsEndingAt(maxTs);
  const cache: PeriodCache = {
    active: {
      [periodId(before)]: await activeConsumersLive(db, vocabulary, before),
      [periodId(after)]: await activeConsumersLive(db, vocabulary, after),
    },
    rising: { [`${periodId(before)}|${periodId(after)}`]: await interestPeriodCountsLive(db, vocabulary, before, after) },
  };
  return JSON.stringify(cache);
}

/** Periods are whole UTC days (or coarser): the granularity a caller can compare at. */
export const PERIOD_GRANULARITY_S = 86_400;

/**
 * A period snapped to whole UTC days: both ends down to midnight, at least one day long.
 * Without it [A, t) against [A, t + 1 s) isolated one consumer's link (issue 17, finding 7);
 * two periods now differ by whole days of links or not at all.
 */
export function snapPeriod(p: Period): Period {
  const d = PERIOD_GRANULARITY_S;
  const from = Math.floor(p.from / d) * d;
  const to = Math.max(from + d, Math.floor(p.to / d) * d);
  return { from, to };
}

function checkPeriod(p: Period, name: string) {
  if (!Number.isFinite(p.from) || !Number.isFinite(p.to) || p.from >= p.to) throw badInput(`${name}: from must be before to`);
}

/** Binomial z of `after` among `after + before` against the share p0 that overall activity predicts. */
export function growthZ(before: number, after: number, allBefore: number, allAfter: number): number | null {
  const n = before + after;
  if (n === 0 || allBefore + allAfter === 0) return null;
  const p0 = allAfter / (allBefore + allAfter);
  if (p0 <= 0 || p0 >= 1) return null;
  return (after - n * p0) / Math.sqrt(n * p0 * (1 - p0));
}

/** The two periods a comparison uses: as given, else the defaults ending at the latest link; both checked. */
async function comparedPeriods(db: Database, given: Period | null | undefined, givenAfter: Period | null | undefined) {
  const { meta, cache } = await readMeta(db);
  const defaults = periodsEndingAt(meta.maxTs ?? Date.now() / 1000);
  if (given) checkPeriod(given, 'before');
  if (givenAfter) checkPeriod(givenAfter, 'after');
  const before = given ? snapPeriod(given) : defaults.before;
  const after = givenAfter ? snapPeriod(givenAfter) : defaults.after;
  return { cache, before, after };
}

/**
 * An interest (or a demand link between two entities) compared between two periods, on the
 * links formed in each period (`firstTs`): counts, confidence, lift and growth. Groups below k
 * consumers are withheld and flagged.
 */
export async function trend(db: Database, vocabulary: Vocabulary, o: TrendOptions): Promise<TrendResult> {
  const k = Math.max(1, o.kAnonymity);
  const { cache, before, after } = await comparedPeriods(db, o.before, o.after);
  const source = await resolveEntity({ db, vocabulary, pseudonymSecret: o.pseudonymSecret }, o.id, o.type);
  const target = o.targetId ? await resolveEntity({ db, vocabulary, pseudonymSecret: o.pseudonymSecret }, o.targetId, o.targetType) : null;
  const sourceRels = consumerLinkRelations(vocabulary, source.type);
  const targetRels = target ? consumerLinkRelations(vocabulary, target.type) : null;
  if (sourceRels.length === 0 || (targetRels && targetRels.length === 0)) {
    throw badInput('trends need entities linked to consumers (interests or products)');
  }
  const cypher = periodFiguresQuery(sourceRels, targetRels, vocabulary);
  const figures = async (p: Period): Promise<PeriodFigures> => {
    const [[r], n] = await Promise.all([
      db.read('insights-trend-period', cypher, { sourceKey: source.key, targetKey: target?.key ?? null, from: p.from, to: p.to }),
      cache.active?.[periodId(p)] ?? activeConsumersLive(db, vocabulary, p),
    ]);
    const nS = Number(r?.nS ?? 0);
    const nT = r?.nT == null ? null : Number(r.nT);
    const support = r?.support == null ? null : Number(r.support);
    const small = (x: number | null) => x !== null && x < k;
    const suppressed = small(nS) || small(nT) || small(support);
    const m = target && nT !== null && support !== null && !suppressed ? linkMetrics({ support, sourceConsumers: nS, targetConsumers: nT, allConsumers: n }) : null;
    return {
      ...p,
      // The population is a count of consumers too: a one-second window had 1.
      allConsumers: small(n) ? null : n,
      sourceConsumers: small(nS) ? null : nS,
      targetConsumers: small(nT) ? null : nT,
      support: small(support) ? null : support,
      confidence: m?.confidence ?? null,
      lift: m?.lift ?? null,
      suppressed,
    };
  };
  const [b, a] = await Promise.all([figures(before), figures(after)]);
  const count = (f: PeriodFigures) => (target ? f.support : f.sourceConsumers);
  const cb = count(b);
  const ca = count(a);
  const growth = cb !== null && ca !== null && cb > 0 ? ca / cb - 1 : null;
  const shareGrowth = cb !== null && ca !== null && cb > 0 && b.allConsumers && a.allConsumers ? ca / a.allConsumers / (cb / b.allConsumers) - 1 : null;
  return {
    source,
    target,
    before: b,
    after: a,
    growth,
    shareGrowth,
    liftChange: a.lift !== null && b.lift !== null ? a.lift - b.lift : null,
    zScore: cb !== null && ca !== null && b.allConsumers !== null && a.allConsumers !== null ? growthZ(cb, ca, b.allConsumers, a.allConsumers) : null,
  };
}

export interface RisingInterest {
  entity: EntityShape;
  /** New consumers in each period; null when fewer than k (withheld, see `suppressed`). */
  before: number | null;
  after: number | null;
  growth: number | null;
  /** Null when a count is withheld: a score of a hidden count gave the count away. */
  zScore: number | null;
  suppressed: boolean;
}

/**
 * Interests whose new consumers grew (or, with `falling`, shrank) most between two periods, ranked by the binomial z of the
 * growth against overall activity (so a jump from 1 to 3 does not beat 400 to 900). Interests
 * with fewer than k new consumers in both periods are left out and counted.
 */
export async function risingInterests(
  db: Database,
  vocabulary: Vocabulary,
  o: { first?: number; before?: Period | null; after?: Period | null; kAnonymity: number; falling?: boolean },
): Promise<{ interests: RisingInterest[]; suppressed: number; before: Period; after: Period }> {
  const first = o.first ?? 10;
  checkInteger('first', first, 1, domainLimits.risingInterestsFirst);
  const k = Math.max(1, o.kAnonymity);
  const { cache, before, after } = await comparedPeriods(db, o.before, o.after);
  const all = cache.rising?.[`${periodId(before)}|${periodId(after)}`] ?? (await interestPeriodCountsLive(db, vocabulary, before, after));
  const totalBefore = all.reduce((s, r) => s + r.before, 0);
  const totalAfter = all.reduce((s, r) => s + r.after, 0);
  const visible = all.filter((r) => r.before >= k || r.after >= k);
  // Only interests with both counts shown are ranked by their score; those with a withheld
  // count follow, by the count that is shown, so neither a score nor a rank reveals it.
  const full = (r: { before: number; after: number }) => r.before >= k && r.after >= k;
  const shown = (r: { before: number; after: number }) => (o.falling ? -Math.max(r.before, r.after) : Math.max(r.before, r.after));
  const scored = visible
    .map((r) => ({ ...r, z: full(r) ? (growthZ(r.before, r.after, totalBefore, totalAfter) ?? 0) : null }))
    .sort((x, y) => {
      if ((x.z === null) !== (y.z === null)) return x.z === null ? 1 : -1;
      const by = x.z !== null && y.z !== null ? (o.falling ? x.z - y.z : y.z - x.z) : shown(y) - shown(x);
      return by || (x.key < y.key ? -1 : 1);
    })
    .slice(0, first);
  const entities = await entitiesByKeys(db, vocabulary, scored.map((s) => s.key));
  return {
    interests: scored.flatMap((s) =>
      entities.has(s.key)
        ? [{
            entity: entities.get(s.key)!,
            before: s.before >= k ? s.before : null,
            after: s.after >= k ? s.after : null,
            growth: s.before >= k && s.after >= k ? s.after / s.before - 1 : null,
            zScore: s.z,
            suppressed: s.before < k || s.after < k,
          }]
        : [],
    ),
    suppressed: all.length - visible.length,
    before,
    after,
  };
}
