import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { pseudonymize } from '../privacy/pseudonym.js';
import { baseRate, conversionRate, liftOver, median } from '../recommend/audience/backtest.js';
import { readPersonIndex, type PersonIndex } from '../recommend/audience/persons.js';
import { interestTarget, preparePersons, productTarget, scorePersons, type Target } from '../recommend/audience/rank.js';
import type { RecommendModel } from '../recommend/model/model.js';

/**
 * `npm run eval -- … --audience`: the held-out conversion of audiences. The protocol's split
 * (every consumer with ≥ 5 purchases has 20 % of them held out) is loaded as training; for
 * each of the `products` most-bought products of the training data and each of the `interests`
 * broadest top-level interests (anything under them), every measurable person (one with
 * held-out purchases) who has not engaged with the target in training is ranked by the
 * audience code the API runs (persons read by the same batched read, scored by rank.ts at
 * exploration 0) and by activity (most active first: purchases + 0.3 × views in training).
 * An audience's conversion is the share of it with a held-out purchase of the target; the
 * random control's is its expectation, the base rate over all measurable persons (a random
 * draw of 1 % is a handful of persons, whose rate is mostly 0); lift = conversion / base rate.
 * Targets nobody bought in the held-out pairs have no base rate and are left out.
 */
export interface AudienceEvalOptions {
  products: number;
  interests: number;
  /** Audience shares of the measurable persons. */
  shares?: { top1: number; top10: number };
}

interface Cell {
  size: number;
  conversion: number;
  lift: number | null;
}

export interface AudienceTargetRow {
  kind: 'product' | 'interest';
  id: string;
  name: string;
  /** Measurable persons who could convert, and how many did. */
  population: number;
  converters: number;
  baseRate: number;
  model: { top1: Cell; top10: Cell };
  mostActive: { top1: Cell; top10: Cell };
}

const cells = (rows: AudienceTargetRow[], who: 'model' | 'mostActive') => ({
  top1: { lift: median(rows.map((r) => r[who].top1.lift)), conversion: median(rows.map((r) => r[who].top1.conversion)) },
  top10: { lift: median(rows.map((r) => r[who].top10.lift)), conversion: median(rows.map((r) => r[who].top10.conversion)) },
});

/** The summary of evaluated rows: median lifts per method and audience share. */
export function summarise(rows: AudienceTargetRow[]) {
  const products = rows.filter((r) => r.kind === 'product');
  const interests = rows.filter((r) => r.kind === 'interest');
  return {
    model: cells(products, 'model'),
    mostActive: cells(products, 'mostActive'),
    random: { conversion: median(products.map((r) => r.baseRate)) },
    products: products.length,
    interests: { count: interests.length, model: cells(interests, 'model'), mostActive: cells(interests, 'mostActive'), random: { conversion: median(interests.map((r) => r.baseRate)) } },
  };
}

/** The `n` first of `among` by `key` descending, ties in person-key order (keyed hashes: a random order). */
function top(among: number[], key: (u: number) => number, n: number): number[] {
  return [...among].sort((a, b) => key(b) - key(a) || a - b).slice(0, n);
}

/** One target's row: model and most-active audiences of each share against the base rate. */
export function evaluateTarget(
  m: RecommendModel,
  x: PersonIndex,
  prep: ReturnType<typeof preparePersons>,
  target: Target,
  measurable: Uint8Array,
  conv: Uint8Array,
  shares: { top1: number; top10: number },
): Omit<AudienceTargetRow, 'kind' | 'id' | 'name'> | null {
  const scored = scorePersons(m, x, prep, target, { exploration: 0 });
  const among: number[] = [];
  const mask = new Uint8Array(x.keys.length);
  for (let u = 0; u < x.keys.length; u++) {
    if (measurable[u] && scored.eligible[u]) {
      among.push(u);
      mask[u] = 1;
    }
  }
  const base = baseRate(mask, conv);
  if (!(base > 0)) return null;
  let converters = 0;
  for (const u of among) converters += conv[u]!;
  const cell = (key: (u: number) => number, share: number): Cell => {
    const size = Math.max(1, Math.round(share * among.length));
    const conversion = conversionRate(top(among, key, size), conv);
    return { size, conversion, lift: liftOver(conversion, base) };
  };
  const byModel = (u: number) => scored.score[u]!;
  const byActivity = (u: number) => prep.rate[u]!;
  return {
    population: among.length,
    converters,
    baseRate: base,
    model: { top1: cell(byModel, shares.top1), top10: cell(byModel, shares.top10) },
    mostActive: { top1: cell(byActivity, shares.top1), top10: cell(byActivity, shares.top10) },
  };
}

/** Per person, the model positions of their held-out products (raw consumer ids → persons through the pseudonym). */
export function heldOutByPerson(m: RecommendModel, x: PersonIndex, test: ReadonlyMap<string, ReadonlySet<string>>, secret: string): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const [raw, products] of test) {
    const u = x.byConsumer.get(pseudonymize(secret, raw));
    if (u === undefined) continue;
    const set = out.get(u) ?? out.set(u, new Set()).get(u)!;
    for (const p of products) {
      const j = m.itemIndex.get(p);
      if (j !== undefined) set.add(j);
    }
  }
  return out;
}

/** Runs the audience evaluation on the loaded training graph and its model. */
export async function evaluateAudiences(
  db: Database,
  vocabulary: Vocabulary,
  m: RecommendModel,
  test: ReadonlyMap<string, ReadonlySet<string>>,
  secret: string,
  o: AudienceEvalOptions,
  log: (line: string) => void = () => {},
) {
  const t0 = performance.now();
  const x = await readPersonIndex(db, vocabulary, m);
  const prep = preparePersons(m, x);
  const held = heldOutByPerson(m, x, test, secret);
  const measurable = new Uint8Array(x.keys.length);
  for (const u of held.keys()) measurable[u] = 1;
  log(`audience: ${x.keys.length} persons, ${held.size} with held-out purchases; preparing took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const shares = o.shares ?? { top1: 0.01, top10: 0.1 };
  // Most bought in training: persons with a purchase of the product.
  const buyers = new Int32Array(m.items.length);
  for (let e = 0; e < x.item.length; e++) if (x.strong[e] && x.item[e]! >= 0) buyers[x.item[e]!]!++;
  const products = [...buyers.keys()].filter((j) => buyers[j]! > 0).sort((a, b) => buyers[b]! - buyers[a]! || a - b).slice(0, o.products);
  // Top-level interests (nothing broader), broadest first by the training buyers of what is under them.
  const roots = m.interests.map((_, t) => t).filter((t) => m.broader.ptr[t + 1]! === m.broader.ptr[t]!);
  const rootTargets = roots.map((t) => {
    const target = interestTarget(m, t, true);
    let reach = 0;
    for (let j = 0; j < target.items.length; j++) if (target.items[j]) reach += buyers[j]!;
    return { t, target, reach };
  });
  const interests = rootTargets.filter((r) => r.reach > 0).sort((a, b) => b.reach - a.reach || a.t - b.t).slice(0, o.interests);
  const rows: AudienceTargetRow[] = [];
  const conversions = (target: Target) => {
    const conv = new Uint8Array(x.keys.length);
    for (const [u, set] of held) for (const j of set) if (target.items[j]) conv[u] = 1;
    return conv;
  };
  for (const j of products) {
    const target = productTarget(m, j);
    const r = evaluateTarget(m, x, prep, target, measurable, conversions(target), shares);
    if (r) rows.push({ kind: 'product', id: m.items[j]!, name: m.namesEn[j] || m.names[j]!, ...r });
  }
  for (const { t, target } of interests) {
    const r = evaluateTarget(m, x, prep, target, measurable, conversions(target), shares);
    if (r) rows.push({ kind: 'interest', id: m.interests[t]!, name: m.interestNamesEn[t] || m.interestNames[t]!, ...r });
  }
  log(`audience: ${rows.length} targets evaluated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { ...summarise(rows), persons: x.keys.length, measurable: held.size, shares, targets: rows };
}
