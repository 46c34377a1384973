import { badInput } from '../../core/errors.js';
import { checkInteger, domainLimits } from '../../core/limits.js';
import { resolveEntity, type EntityShape } from '../../graph/entity.js';
import type { ReasonOut } from '../explain.js';
import type { EngineDeps } from '../engine.js';
import type { RecommendModel } from '../model/model.js';
import { defaultSettings, roleParams } from '../settings.js';
import { baseRate, conversionRate, converted, kRounded, liftOver, randomView, timeView, type BacktestView } from './backtest.js';
import { cachedPersonIndex, type PersonIndex } from './persons.js';
import { liveEngagersQuery } from './queries.js';
import { audienceReasons } from './reasons.js';
import { interestTarget, preparePersons, productTarget, scorePersons, topPersons, type Prepared, type Target } from './rank.js';

export interface AudienceMemberOut {
  person: string;
  score: number;
  reasons: ReasonOut[];
}

export interface AudienceOut {
  target: EntityShape;
  size: number;
  members: AudienceMemberOut[];
}

export interface AudienceReportOut {
  size: number | null;
  expectedConversion: number | null;
  baseRate: number;
  lift: number | null;
  method: string;
}

export type AudienceDeps = EngineDeps & { kAnonymity: number };

function checkArgs(type: string, size: number, exploration: number, under: boolean, max: number) {
  checkInteger('size', size, 1, max);
  if (!Number.isFinite(exploration) || exploration < 0 || exploration > 1) throw badInput(`exploration must be a number from 0 to 1, got ${exploration}`, { argument: 'exploration', min: 0, max: 1 });
  if (type !== 'Product' && type !== 'Interest') throw badInput(`an audience is for a Product or an Interest, not ${type}`, { argument: 'type' });
  if (under && type !== 'Interest') throw badInput('under: true needs an Interest (anything under it)', { argument: 'under' });
}

async function servedModel(deps: EngineDeps): Promise<RecommendModel | null> {
  let m = deps.model.current();
  if (!m) {
    await deps.model.ready();
    m = deps.model.current();
  }
  return m;
}

/** The target as model positions; null when the model does not hold it (a product nobody engaged with at the last build). */
function targetOf(m: RecommendModel, entity: EntityShape, under: boolean): Target | null {
  if (entity.type === 'Product') {
    const j = m.itemIndex.get(entity.id);
    return j === undefined ? null : productTarget(m, j);
  }
  const t = m.interestIndex.get(entity.id);
  return t === undefined ? null : interestTarget(m, t, under);
}

/** Prepared persons per index and view (the live one, or a back-test's held-out view). */
const prepared = new WeakMap<PersonIndex, Map<string, { prep: Prepared; view?: BacktestView }>>();
function preparedFor(m: RecommendModel, x: PersonIndex, which: 'live' | 'backtest') {
  const byView = prepared.get(x) ?? prepared.set(x, new Map()).get(x)!;
  let p = byView.get(which);
  if (!p) {
    const view = which === 'backtest' ? (timeView(x) ?? randomView(x)) : undefined;
    p = { prep: preparePersons(m, x, defaultSettings, view?.held), ...(view ? { view } : {}) };
    byView.set(which, p);
  }
  return p;
}

/** Persons who engaged with a target product live (a purchase since the model's version), under any id. */
async function liveExcluded(deps: EngineDeps, m: RecommendModel, x: PersonIndex, target: Target): Promise<Set<number>> {
  const ids: string[] = [];
  for (let j = 0; j < target.items.length; j++) if (target.items[j]) ids.push(m.items[j]!);
  const out = new Set<number>();
  if (!ids.length) return out;
  const rows = await deps.db.read('audience-live-engagers', liveEngagersQuery(deps.vocabulary), { ids });
  for (const r of rows) {
    const u = x.byKey.get(String(r.g));
    if (u !== undefined) out.add(u);
  }
  return out;
}

async function setUp(deps: EngineDeps, id: string, type: string, under: boolean) {
  const entity = await resolveEntity(deps, id, type);
  const m = await servedModel(deps);
  const target = m ? targetOf(m, entity, under) : null;
  if (!m || !target) return { entity, m: null, target: null, x: null } as const;
  const x = await cachedPersonIndex(deps.db, deps.vocabulary, m, deps.settings ?? defaultSettings);
  return { entity, m, target, x } as const;
}

/**
 * The persons most likely to engage with a product, an interest or (`under`) anything under
 * an interest, from the served model (rank.ts), strongest first, each with up to three
 * reasons. Persons who engaged with a target product under any of their ids are left out.
 * Members are person ids (`p_…`), pseudonymous like consumer ids. Before any model exists, or
 * for a target the model does not hold, the audience is empty.
 */
export async function audience(deps: AudienceDeps, id: string, type: string, size = 100, exploration = 0, under = false): Promise<AudienceOut> {
  checkArgs(type, size, exploration, under, domainLimits.audienceSize);
  const { entity, m, target, x } = await setUp(deps, id, type, under);
  if (!m || !target || !x) return { target: entity, size: 0, members: [] };
  const { prep } = preparedFor(m, x, 'live');
  const exclude = await liveExcluded(deps, m, x, target);
  const scored = scorePersons(m, x, prep, target, { exploration, exclude });
  const chosen = topPersons(scored, size);
  const roles = roleParams(deps.vocabulary, deps.settings ?? defaultSettings);
  const strongRel = roles.strongRels.join('/') || 'PURCHASED';
  const weakRel = roles.engRels.filter((r) => !roles.strongRels.includes(r)).join('/') || 'VIEWED';
  const relOf = (u: number, j: number) => {
    for (let e = x.ptr[u]!; e < x.ptr[u + 1]!; e++) if (x.item[e] === j) return x.strong[e] ? strongRel : weakRel;
    return strongRel;
  };
  const o = { piRel: roles.piRels.join('/') || 'RELATES_TO', taxRel: roles.taxRels.join('/') || 'SUBTOPIC_OF', relOf };
  return {
    target: entity,
    size: chosen.length,
    members: chosen.map((u) => ({ person: x.persons[u]!, score: scored.score[u]!, reasons: audienceReasons(m, x, prep, scored, target, u, o) })),
  };
}

/**
 * An audience as an aggregate (role reader): its size (rounded down to a multiple of k, null
 * below k), the conversion it is expected to reach and the lift over the base rate, both
 * back-tested: the model scores every person from what they did before the held-out
 * engagements (the most recent 10 % of timestamped purchases; at random, 20 % of each
 * person's, where the graph has no timestamps), the audience of the same size is taken among
 * those who could still convert, and `expectedConversion` is the share of it that made a
 * held-out purchase of a target product; `baseRate` the same share among everyone who could.
 * The model's item lists were learned with the held-out rows in them, so the figure is
 * optimistic by what those rows moved in them. No person id.
 */
export async function audienceReport(deps: AudienceDeps, id: string, type: string, size = 100, under = false): Promise<AudienceReportOut> {
  checkArgs(type, size, 0, under, domainLimits.audienceReportSize);
  const k = deps.kAnonymity;
  const { m, target, x } = await setUp(deps, id, type, under);
  if (!m || !target || !x) return { size: null, expectedConversion: null, baseRate: 0, lift: null, method: 'none: no model holds the target yet' };
  const live = scorePersons(m, x, preparedFor(m, x, 'live').prep, target, { exploration: 0, exclude: await liveExcluded(deps, m, x, target) });
  const n = topPersons(live, size).length;
  const shown = kRounded(n, k);
  const { prep, view } = preparedFor(m, x, 'backtest');
  const past = scorePersons(m, x, prep, target, { exploration: 0 });
  const conv = converted(x, view!, target);
  const among = new Uint8Array(x.keys.length);
  for (let u = 0; u < among.length; u++) among[u] = view!.population[u]! & past.eligible[u]!;
  const base = baseRate(among, conv);
  const members = topPersons(past, n, among);
  const rate = shown !== null && members.length >= k ? conversionRate(members, conv) : null;
  const method =
    view!.method === 'time'
      ? `held out by time: ${view!.heldOut} purchases since ${new Date(view!.cut! * 1000).toISOString()}`
      : `held out at random: ${view!.heldOut} purchases (20 % of each person's with at least 5)`;
  return { size: shown, expectedConversion: rate, baseRate: base, lift: rate === null ? null : liftOver(rate, base), method };
}
