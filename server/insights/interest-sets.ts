import {
  activeConsumersInPeriodQuery,
  interestConsumersQuery,
  interestPairsQuery,
  servedConsumersQuery,
  servingProductsQuery,
  taxonomyEdgesQuery,
  tripleExtensionQuery,
} from './queries.js';
import { COUNT_PERSONS } from '../graph/queries.js';
import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { linkMetrics } from './metrics.js';
import { consumerInterestRelations, consumerLinkRelations, interestType, relationsWithRole } from '../graph/roles.js';

/** A combination of interests with its demand (consumers linked to all members) and supply. */
export interface InterestSet {
  id: string;
  members: string[];
  /** First two members, indexed for pair lookups. */
  a: string;
  b: string;
  size: number;
  /** Consumers linked to every member. */
  support: number;
  /** Consumers linked to each member, in member order. */
  memberConsumers: number[];
  allConsumers: number;
  /** Observed over expected under independence of all members: support·N^(m-1) / Π|member|. */
  lift: number;
  pmi: number;
  /** z-score of a pair's overlap (hypergeometric); for larger sets the Poisson z of support vs expected. */
  zScore: number;
  expected: number;
  /** Consumers beyond chance: support - expected. */
  excess: number;
  /**
   * support × PMI per member link (log2 of lift^(1/(size-1))): the association mass the
   * combination carries, in consumer-bits. Grows with consumers and, more slowly, with lift, so
   * a strong cross-category pair beats a weak pair of popular interests.
   */
  demand: number;
  /** Products relating to every member (null: supply not evaluated, too weak to matter). */
  serving: string[] | null;
  /** Share of the set's consumers who engaged with a serving product. */
  coverage: number;
  /** 0..1: 1 = nothing serves it; falls with serving products and the share they reach. */
  gap: number;
  /** demand × gap: association the supply leaves unserved. */
  gapScore: number;
  /** True when a larger set containing this one pays off and is reported instead. */
  subsumed: boolean;
}

export interface InterestSetOptions {
  /** Unix seconds; only links whose firstTs is in [since, until) count. */
  since?: number | null;
  until?: number | null;
  minSupport?: number;
  /** Strongest interests per consumer that form pairs (bounds the pair explosion). */
  perConsumer?: number;
  /** How many sets (by demand) get their supply evaluated. */
  supplyCandidates?: number;
  /** How many top pairs are tried for extension to a triple. */
  extendTop?: number;
  /** Stored/returned sets at most (strongest demand first). */
  maxSets?: number;
}

const chunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/**
 * The gap of a set: 1 when nothing serves it. Supply is what the set's consumers actually buy:
 * `coverage` is the share of them with a strong engagement (a purchase) of a serving product,
 * so a product almost nobody buys is hardly supply and a view is interest, not service. That
 * share counts at depth n/(n+1) of the n serving products: one product, however well adopted,
 * is a single option and leaves at least half the gap (the demo's pregnancy-safe sensitive
 * skincare, 72 consumers, one cleanser); many well-bought products close it. Products nobody
 * buys never shrink the gap, however many there are.
 */
export function gapOf(servingProducts: number, coverage: number): number {
  if (servingProducts <= 0) return 1;
  const c = Math.min(1, Math.max(0, coverage));
  return 1 - c * (servingProducts / (servingProducts + 1));
}

/**
 * Computes interest pairs (and triples that pay off) with co-occurrence, lift and supply gap.
 * Runs in the derived refresh (whole history) and live for a time window.
 */
export async function computeInterestSets(db: Database, vocabulary: Vocabulary, o: InterestSetOptions = {}): Promise<{ sets: InterestSet[]; allConsumers: number }> {
  const since = o.since ?? null;
  const until = o.until ?? null;
  const windowed = since !== null || until !== null;
  const minSupport = Math.max(2, o.minSupport ?? 3);
  const interest = interestType(vocabulary);
  const { interestRels, productInterestRels, engagementRels } = supplyRelations(vocabulary);
  const linkRels = consumerLinkRelations(vocabulary);
  const taxonomyRels = relationsWithRole(vocabulary, 'taxonomy');
  const window = { since, until };
  const timeout = { timeoutMs: 600_000 };

  const allConsumers = windowed
    ? Number((await db.read('insights-active-consumers', activeConsumersInPeriodQuery(linkRels, vocabulary), { from: since ?? -1e15, to: until ?? 1e15 }, timeout))[0]?.n ?? 0)
    : Number((await db.read('insights-persons', COUNT_PERSONS))[0]?.n ?? 0);
  const perInterest = new Map<string, number>();
  for (const r of await db.read('insights-interest-consumers', interestConsumersQuery(interestRels, interest, vocabulary), window, timeout)) {
    perInterest.set(String(r.key), Number(r.n));
  }
  const pairRows = await db.read(
    'insights-interest-pairs',
    interestPairsQuery(interestRels, interest, vocabulary),
    { ...window, minSupport, perConsumer: o.perConsumer ?? 60 },
    timeout,
  );

  // Parent–child pairs co-occur by construction of the taxonomy; they are not demand.
  const ancestors = await taxonomyAncestors(db, vocabulary, taxonomyRels);
  const related = (a: string, b: string) => ancestors.get(a)?.has(b) || ancestors.get(b)?.has(a);

  let sets: InterestSet[] = [];
  for (const r of pairRows) {
    const a = String(r.a);
    const b = String(r.b);
    if (related(a, b)) continue;
    const support = Number(r.support);
    const nA = perInterest.get(a) ?? 0;
    const nB = perInterest.get(b) ?? 0;
    const set = pairSet(a, b, support, nA, nB, allConsumers);
    if (set) sets.push(set);
  }
  sets.sort((x, y) => y.demand - x.demand || (x.id < y.id ? -1 : 1));
  sets = sets.slice(0, o.maxSets ?? 20_000);

  const candidates = sets.slice(0, o.supplyCandidates ?? 3_000);
  await evaluateSupply(db, vocabulary, candidates, { interestRels, productInterestRels, engagementRels, window });

  // Triples: extend the strongest pairs by a third interest that most of their consumers share.
  const top = [...candidates].sort((x, y) => y.gapScore - x.gapScore).slice(0, o.extendTop ?? 200);
  const triples: InterestSet[] = [];
  if (top.length > 0 && !windowed) {
    const rows = await db.read(
      'insights-interest-triples',
      tripleExtensionQuery(interestRels, interest, vocabulary),
      { pairs: top.map((s) => ({ a: s.a, b: s.b })), minSupport },
      timeout,
    );
    const pairSupport = new Map(top.map((s) => [`${s.a}|${s.b}`, s]));
    const seen = new Set<string>();
    // Each pair extends by its best third interest only, so one pair does not fill the list with near-duplicates.
    const extended = new Set<string>();
    rows.sort((x, y) => Number(y.support) - Number(x.support) || (String(x.x) < String(y.x) ? -1 : 1));
    for (const r of rows) {
      const pair = pairSupport.get(`${r.a}|${r.b}`)!;
      const x = String(r.x);
      const support = Number(r.support);
      const nX = perInterest.get(x) ?? 0;
      if (related(pair.a, x) || related(pair.b, x) || nX === 0) continue;
      const confidence = support / pair.support;
      const liftX = confidence / (nX / allConsumers);
      // Pays off: most of the pair's consumers share the third interest, far above its base rate.
      if (confidence < 0.5 || liftX < 2 || support < Math.max(minSupport, o.minSupport ?? 0)) continue;
      if (extended.has(pair.id)) continue;
      extended.add(pair.id);
      const members = [pair.a, pair.b, x].sort();
      const id = members.join('|');
      if (seen.has(id)) continue;
      seen.add(id);
      const nM = members.map((k) => perInterest.get(k) ?? 0);
      triples.push(newSet(members, support, nM, allConsumers, null));
    }
    await evaluateSupply(db, vocabulary, triples, { interestRels, productInterestRels, engagementRels, window });
    const byId = new Map(sets.map((s) => [s.id, s]));
    // A triple replaces a pair only when it carries at least the pair's unserved demand: the
    // demo's dog owners who camp (82 consumers) must not vanish behind the 38 of them who also
    // brew pour-over coffee.
    for (const t of triples) {
      if (t.gapScore <= 0) continue;
      for (const [i, j] of [[0, 1], [0, 2], [1, 2]] as const) {
        const pair = byId.get(`${t.members[i]}|${t.members[j]}`);
        if (pair && t.gapScore >= pair.gapScore) pair.subsumed = true;
      }
    }
  }
  return { sets: [...sets, ...triples], allConsumers };
}

/** The relations supply is evaluated over: interests, product → interest, and what counts as served. */
export function supplyRelations(vocabulary: Vocabulary): { interestRels: string[]; productInterestRels: string[]; engagementRels: string[] } {
  // Served means bought (gapOf); a vocabulary without strong engagement falls back to any.
  const strongRels = relationsWithRole(vocabulary, 'engagement-strong');
  return {
    interestRels: consumerInterestRelations(vocabulary),
    productInterestRels: relationsWithRole(vocabulary, 'product-interest'),
    engagementRels: strongRels.length > 0 ? strongRels : relationsWithRole(vocabulary, 'engagement-strong', 'engagement-weak'),
  };
}

/** A pair (a < b) as an interest set, or null when it is no association (lift ≤ 1). */
export function pairSet(a: string, b: string, support: number, nA: number, nB: number, allConsumers: number): InterestSet | null {
  const m = linkMetrics({ support, sourceConsumers: nA, targetConsumers: nB, allConsumers });
  if (m.lift <= 1) return null;
  return newSet([a, b], support, [nA, nB], allConsumers, m.zScore);
}

export function newSet(members: string[], support: number, memberConsumers: number[], n: number, pairZ: number | null): InterestSet {
  const expected = memberConsumers.reduce((p, c) => p * (c / n), n);
  const lift = expected > 0 ? support / expected : 0;
  return {
    id: members.join('|'),
    members,
    a: members[0]!,
    b: members[1]!,
    size: members.length,
    support,
    memberConsumers,
    allConsumers: n,
    lift,
    pmi: lift > 0 ? Math.log2(lift) : 0,
    zScore: pairZ ?? (expected > 0 ? (support - expected) / Math.sqrt(expected) : 0),
    expected,
    excess: support - expected,
    demand: lift > 1 ? (support * Math.log2(lift)) / (members.length - 1) : 0,
    serving: null,
    coverage: 0,
    gap: 0,
    gapScore: 0,
    subsumed: false,
  };
}

export async function evaluateSupply(
  db: Database,
  vocabulary: Vocabulary,
  sets: InterestSet[],
  ctx: { interestRels: string[]; productInterestRels: string[]; engagementRels: string[]; window: { since: number | null; until: number | null } },
): Promise<void> {
  const timeout = { timeoutMs: 600_000 };
  for (const batch of chunks(sets, 500)) {
    const serving = new Map<string, string[]>();
    if (ctx.productInterestRels.length > 0) {
      const rows = await db.read('insights-serving-products', servingProductsQuery(ctx.productInterestRels, vocabulary), {
        sets: batch.map((s) => ({ id: s.id, members: s.members })),
      }, timeout);
      for (const r of rows) serving.set(String(r.id), r.serving as string[]);
    }
    for (const s of batch) s.serving = serving.get(s.id) ?? [];
    const served = batch.filter((s) => s.serving!.length > 0);
    const coverage = new Map<string, number>();
    if (served.length > 0 && ctx.engagementRels.length > 0) {
      const rows = await db.read(
        'insights-served-consumers',
        servedConsumersQuery(ctx.interestRels, ctx.engagementRels, vocabulary),
        { sets: served.map((s) => ({ id: s.id, members: s.members, serving: s.serving })), ...ctx.window },
        timeout,
      );
      for (const r of rows) coverage.set(String(r.id), Number(r.support) > 0 ? Number(r.served) / Number(r.support) : 0);
    }
    for (const s of batch) {
      s.coverage = coverage.get(s.id) ?? 0;
      s.gap = gapOf(s.serving!.length, s.coverage);
      s.gapScore = s.demand * s.gap;
    }
  }
}

/** Every interest's ancestors along the taxonomy relations, computed in memory from the (small) taxonomy. */
export async function taxonomyAncestors(db: Database, vocabulary: Vocabulary, taxonomyRels: string[]): Promise<Map<string, Set<string>>> {
  const parents = new Map<string, string[]>();
  if (taxonomyRels.length > 0) {
    for (const r of await db.read('insights-taxonomy', taxonomyEdgesQuery(taxonomyRels, vocabulary))) {
      parents.set(String(r.child), [...(parents.get(String(r.child)) ?? []), String(r.parent)]);
    }
  }
  const memo = new Map<string, Set<string>>();
  const visit = (k: string, stack: Set<string>): Set<string> => {
    const known = memo.get(k);
    if (known) return known;
    const out = new Set<string>();
    for (const p of parents.get(k) ?? []) {
      if (stack.has(p)) continue;
      out.add(p);
      stack.add(p);
      for (const g of visit(p, stack)) out.add(g);
      stack.delete(p);
    }
    memo.set(k, out);
    return out;
  };
  for (const k of parents.keys()) visit(k, new Set([k]));
  return memo;
}
