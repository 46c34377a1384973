import type { RecommendModel } from './model/model.js';
import type { RecommendSettings } from './settings.js';

/** One candidate for the exploration re-rank. */
export interface Candidate {
  key: string;
  score: number;
  /** Consumers linked to it (popularity). */
  consumers: number;
  /** Interests it relates to (its "category"). */
  interests: string[];
  /** How much the model shows it to everyone (`exposure`); the explored places discount this, else `consumers`. */
  exposure?: number;
}

export interface ExploreOptions {
  first: number;
  /** 0 = most accurate … 1 = most novel and diverse. */
  exploration: number;
  /** Interests the consumer already engaged with (their own and their products'). */
  profile: ReadonlySet<string>;
  /** Say of sameness and near-duplication against relevance at exploration 1 (settings.ts). */
  diversity: number;
  /** Pool growth at exploration 1 (`poolSize`; settings.ts `explorePool`). */
  poolGrowth?: number;
  /** Explored places `first` · e^slotPower (exploredSlots); none given: every place. */
  slotPower?: number;
  /** Popularity exponent of the explored places' ranking (0: the score as it is). */
  tailBeta?: number;
  /**
   * Above exploration 0.5 the explored places give way from exploration 0's own answer: its
   * products' relevance × (1 − (2e − 1)), so at 1 they come only when the pool has nothing else.
   */
  leaveSafe?: boolean;
}

/** How many of the strongest candidates exploration may choose from: `first` · (1 + growth · exploration). */
export function poolSize(first: number, exploration: number, growth = 4): number {
  return Math.ceil(first * (1 + growth * Math.min(1, Math.max(0, exploration))));
}

/**
 * The popularity exponent at `exploration`: the base β plus `exploreBeta` · e^`explorePower`
 * (the power keeps small explorations cheap while 1 stays the most novel).
 * Raising it is what trades popularity for novelty and catalogue coverage: hubs are
 * discounted harder, so long-tail products backed by the same strong paths move up, and the
 * candidate pool itself (the query's LIMIT) is chosen at that β.
 */
export function explorationBeta(s: { beta: number; exploreBeta: number; explorePower?: number }, exploration: number): number {
  return s.beta + s.exploreBeta * Math.min(1, Math.max(0, exploration)) ** (s.explorePower ?? 1);
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const set = new Set(a);
  let both = 0;
  for (const x of b) if (set.has(x)) both++;
  return both / (set.size + b.length - both);
}

/**
 * How many of `first` results exploration hands to novel picks: `first` · e^power, rounded.
 * The head (the rest) stays in score order, so a small exploration changes only the last
 * places, where a miss costs least NDCG, and exploration 1 explores every place.
 */
export function exploredSlots(first: number, exploration: number, power = 2): number {
  const e = Math.min(1, Math.max(0, exploration));
  return Math.min(first, Math.round(first * e ** power));
}

/**
 * MMR-style re-rank of candidates already scored at `explorationBeta`. At exploration 0 the
 * order is the score order. Otherwise the `first − exploredSlots` strongest stay first, and
 * the explored places are filled from the rest of the `poolSize` strongest, ranked by their
 * score discounted by popularity, (consumers + 1)^−`tailBeta` (the RP3β discount of the
 * model's own score: products still strongly linked to the consumer, but ones fewer others
 * are shown, which is what widens catalogue coverage), weighed against novelty of kind
 * (share of the candidate's interests the consumer has not engaged with) minus similarity to
 * what is already chosen (interest Jaccard), with weight `diversity`·e. Only the pool
 * competes, so every result keeps a strong path.
 */
export function rerank<T extends Candidate>(candidates: readonly T[], o: ExploreOptions): T[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const e = Math.min(1, Math.max(0, o.exploration));
  if (e === 0) return sorted.slice(0, o.first);
  const pool = sorted.slice(0, poolSize(o.first, e, o.poolGrowth));
  const slots = o.slotPower === undefined ? o.first : exploredSlots(o.first, e, o.slotPower);
  const chosen: T[] = pool.slice(0, Math.max(0, o.first - slots));
  const tailBeta = o.tailBeta ?? 0;
  const relevance = new Map<T, number>();
  const safe = new Set(o.leaveSafe ? sorted.slice(0, o.first) : []);
  const keepSafe = 1 - Math.min(1, Math.max(0, 2 * e - 1));
  for (const c of pool.slice(chosen.length)) {
    const r = tailBeta > 0 ? c.score * ((c.exposure ?? c.consumers) + 1) ** -tailBeta : c.score;
    relevance.set(c, safe.has(c) ? r * keepSafe : r);
  }
  let maxScore = 0;
  for (const r of relevance.values()) maxScore = Math.max(maxScore, r);
  maxScore ||= 1;
  const novelty = new Map<T, number>();
  for (const c of relevance.keys()) {
    const same = c.interests.length ? c.interests.filter((i) => o.profile.has(i)).length / c.interests.length : 0;
    novelty.set(c, 1 - same);
  }
  const lambda = Math.min(1, Math.max(0, o.diversity)) * e;
  const left = new Set(relevance.keys());
  while (chosen.length < o.first && left.size) {
    let best: T | undefined;
    let bestValue = -Infinity;
    for (const c of left) {
      let sim = 0;
      for (const s of chosen) sim = Math.max(sim, jaccard(c.interests, s.interests));
      const value = (1 - lambda) * (relevance.get(c)! / maxScore) + lambda * (novelty.get(c)! - sim);
      if (value > bestValue) {
        bestValue = value;
        best = c;
      }
    }
    chosen.push(best!);
    left.delete(best!);
  }
  return chosen;
}

/**
 * How `recommendProducts` explores (settings.ts `exploreSlots`, `exploreTailBeta`,
 * `exploreTailPool`, `exploreTailDiversity`): the score keeps exploration 0's popularity
 * exponent, so the head is exploration 0's order, and exploration only fills the explored
 * places from a wider pool.
 */
export function consumerExploration(
  s: Pick<RecommendSettings, 'beta' | 'exploreSlots' | 'exploreTailBeta' | 'exploreTailRise' | 'exploreTailPool' | 'exploreTailDiversity'>,
  first: number,
  exploration: number,
) {
  return {
    beta: s.beta,
    pool: poolSize(first, exploration, s.exploreTailPool),
    // Above 0.5 the discount keeps rising (× (2e)^exploreTailRise), so 1 is the most novel; 0 … 0.5 keep `exploreTailBeta`.
    options: {
      diversity: s.exploreTailDiversity,
      poolGrowth: s.exploreTailPool,
      slotPower: s.exploreSlots,
      tailBeta: s.exploreTailBeta * Math.max(1, 2 * Math.min(1, exploration)) ** s.exploreTailRise,
      leaveSafe: true,
    },
  };
}

/**
 * How much the model shows each product to everyone, which the explored places discount: the
 * model's pool exposure (how many consumers have the product among their strongest candidates,
 * counted at build, pool-exposure.ts) where the version has it; else, for versions stored
 * before it, the expected share of the collab family over all consumers: Σ over products i
 * of consumers(i) · w(i→j) / Σ_k w(i→k). Either spreads the explored places over the
 * catalogue at a smaller cost in NDCG than raw consumer counts; counting pools spreads them
 * furthest (validation figures in settings.ts). Once per model.
 */
const exposureCache = new WeakMap<RecommendModel, Float64Array>();
export function exposure(m: RecommendModel): Float64Array {
  let ex = exposureCache.get(m);
  if (!ex && m.poolExposure) {
    ex = Float64Array.from(m.poolExposure);
    exposureCache.set(m, ex);
  }
  if (!ex) {
    ex = new Float64Array(m.items.length);
    const { ptr, nbr, w } = m.collab;
    for (let i = 0; i < m.items.length; i++) {
      let total = 0;
      for (let q = ptr[i]!; q < ptr[i + 1]!; q++) total += Math.max(0, w[q]!);
      if (!(total > 0)) continue;
      for (let q = ptr[i]!; q < ptr[i + 1]!; q++) ex[nbr[q]!]! += (m.consumers[i]! * Math.max(0, w[q]!)) / total;
    }
    exposureCache.set(m, ex);
  }
  return ex;
}
