import { relationsWithRole } from '../graph/roles.js';
import type { Vocabulary } from '../graph/vocabulary.js';

/**
 * How a request scores from the learned model (server/recommend/score.ts). Each path family's
 * scores are normalised to sum to its weight, so the weights are the families' shares of the
 * mix; collab is the learned item–item model (model/learn-model.ts), the others read the
 * consumer's live interests, follows and product links. The family weights are the walk
 * engine's (its profile weight was chosen with `npm run eval -- --tune` on a validation split
 * carved from MovieLens training data; similar/interest/social 0.05 on held-out consumers of the
 * generated bench split) and have not been retuned for the learned model. β is 0 at
 * exploration 0 (EASE^R's weights already account for popularity; not tuned).
 */
export interface RecommendSettings {
  /** RP3β popularity exponent: a target's score is divided by (consumers + 1)^beta. */
  beta: number;
  /**
   * Exploration of `related` (engine.ts, related-model.ts): β rises by `exploreBeta` ·
   * e^`explorePower`, the pool is `first` · (1 + `explorePool` · e) and the MMR re-rank gives
   * `diversity` · e of the say to unfamiliar interests and dissimilarity (explore.ts).
   * `recommendProducts` no longer uses them: on a validation split (seed 43) carved from the
   * MovieLens training split (seed 42; never its test pairs), 599 consumers, they gave at
   * e = 0 / 0.5 / 1 NDCG@10 0.2149 / 0.2027 (94 %) / 0.0625 with 416 / 565 (1.36×) / 1144
   * distinct products: raising β re-ranks the head too, and costs NDCG faster than it adds coverage.
   */
  exploreBeta: number;
  explorePower: number;
  diversity: number;
  explorePool: number;
  /**
   * Exploration of `recommendProducts` (explore.ts `consumerExploration`): β stays `beta`, so
   * the first `first` − round(`first` · e^`exploreSlots`) results are exploration 0's; the
   * explored places come from the `first` · (1 + `exploreTailPool` · e) strongest, ranked by
   * score · (exposure + 1)^−`exploreTailBeta` (exposure: how much the model shows the product
   * to everyone, explore.ts `exposure`), with MMR weight `exploreTailDiversity` · e. Chosen on
   * the same MovieLens validation split (599 consumers; exploration 0: NDCG 0.2149, 416
   * distinct), at e = 0.5 (3 explored places), NDCG kept / distinct ×: discounting consumers
   * instead of exposure, β 1.5, pool 10 / 20: 90.3 % / 1.88×, 87.8 % / 2.03×; exposure β 1 pool
   * 4 / 6 / 10 / 15: 95.3 % / 1.59×, 93.2 % / 1.76×, 91.2 % / 2.00×, 89.4 % / 2.12×; β 0.8 / 1 /
   * 1.25 at pool 12: 91.3 % / 2.03×, 90.2 % / 2.09×, 90.1 % / 2.10× (chosen: 0.8, 12); MMR 0.1
   * at 0.5 cost coverage (821 against 834) and narrowed e = 1 (1,057 against 1,314); 2 places
   * (power 2.5, consumers discount) kept 91–94 % at ≤ 1.8×.
   * The chosen curve there, e = 0.3 / 0.5 / 0.6 / 1: 96.5 / 91.4 / 87.9 / 35.7 % kept with
   * 575 / 846 / 946 / 1,314 distinct (1.38 / 2.03 / 2.27 / 3.16×). On a validation split of the
   * generated 200k graph (seed 43 of 42, 2,628 consumers) it keeps 98.6 / 95.0 / 92.5 / 38.2 %,
   * but its 1,000 products are nearly all recommended at exploration 0 already (979), so
   * coverage cannot double there. Above 0.5 the explored places' exponent rises with
   * (2e)^`exploreTailRise` (1.6 at 1), so 1 stays the most novel: with it constant the
   * integration graph's hubs kept every place at 1. Validation, e = 0.6 / 1, rise 0 / 1 / 2:
   * NDCG 0.1888 / 0.1860 / 0.1841 and 0.0766 / 0.0376 / 0.0339, distinct 946 / 968 / 982 and
   * 1,314 / 1,340 / 1,295, novelty at 1 4.96 / 5.32 / 5.36.
   * On the MovieLens test split that setting kept 94.6 % with only 1.75×: one validation seed
   * had put it at the edge. Since then the discount is the model's pool exposure (how many
   * consumers hold the product among their 70 strongest candidates, counted at build,
   * pool-exposure.ts) and `exploreTailBeta` was chosen again on three validation splits carved
   * from the MovieLens training split (seeds 43, 44, 45 of 42; 599 consumers each), at e = 0.5,
   * NDCG kept / distinct × per seed: collab-share exposure β 0.8 (before): 91.4 / 2.03, 92.3 /
   * 1.82, 89.9 / 1.81; pool exposure β 0.5: 92.6 / 2.40, 93.8 / 2.28, 90.6 / 2.21 (mean 92.3 % /
   * 2.30×, chosen); β 0.8: 91.6 / 2.46, 93.1 / 2.33, 89.5 / 2.24; β 1.2: 91.3 / 2.50, 92.8 / 2.34,
   * 89.1 / 2.26. Counting pools from the held-out consumers' items alone (collab only) or per
   * product (its neighbour lists weighted by its consumers) gave no gain (≤ 2.1×): what spreads
   * the explored places is the whole request's candidates. Half or a quarter of the consumers
   * sampled: 2.32× / 2.24× (seed 43). Generated 200k validation split: 95.4 % kept at 0.5 (95.0
   * before), coverage already full at 0.
   */
  exploreSlots: number;
  exploreTailBeta: number;
  exploreTailRise: number;
  exploreTailPool: number;
  exploreTailDiversity: number;
  /** Damped engagement weight of each role: strong (purchase) and weak (view) signals. */
  strongFactor: number;
  weakFactor: number;
  /** Weights of the path families in a consumer's score. */
  collab: number;
  similar: number;
  interest: number;
  profile: number;
  social: number;
  /** Products the consumer viewed but has not bought (only when `excludeViewed` is false). */
  revisit: number;
  /**
   * Never recommend what the consumer already viewed (true), only what they bought (false), or
   * null: decided by the data (viewed products come back where views lead to purchases).
   */
  excludeViewed: boolean | null;
  /** Taxonomy expansion of an interest: narrower and broader interests. */
  narrower: number;
  broader: number;
  /** Fan-out caps per hop (top-k neighbours by damped weight). */
  seedCap: number;
  interestCap: number;
  fanout: number;
  /** Most relationships a hop reads from one node before ranking (bounds supernodes). */
  scan: number;
  /**
   * Lookalikes and a product's consumers (related-model.ts): the say of consumers reached
   * through the model's neighbours of the source's products against those sharing them (1),
   * of followed consumers, how many learned neighbours are looked at, and the popularity
   * exponent of a shared product (a product everyone bought says little about likeness).
   * Not tuned: set so shared products lead, as the graph query did.
   */
  lookalikeTaste: number;
  lookalikeSocial: number;
  lookalikeExpand: number;
  lookalikeBeta: number;
}

export const defaultSettings: RecommendSettings = {
  beta: 0,
  exploreBeta: 1,
  explorePower: 2,
  diversity: 0.3,
  explorePool: 4,
  exploreSlots: 2,
  exploreTailBeta: 0.5,
  exploreTailRise: 1,
  exploreTailPool: 12,
  exploreTailDiversity: 0,
  strongFactor: 1,
  weakFactor: 0.3,
  collab: 1,
  similar: 0.05,
  interest: 0.05,
  profile: 0.1,
  social: 0.05,
  revisit: 0.1,
  excludeViewed: null,
  narrower: 0.5,
  broader: 0.25,
  seedCap: 100,
  interestCap: 15,
  fanout: 40,
  scan: 5000,
  lookalikeTaste: 0.5,
  lookalikeSocial: 0.3,
  lookalikeExpand: 20,
  lookalikeBeta: 0.5,
};

/** Whether viewed products may be recommended again (server/recommend/precompute.ts). */
export const revisitSettings = {
  /** Share of purchases that went with a view of the same product above which viewed products are recommended. */
  minBoughtAfterView: 0.02,
};

/** Relation names and role factors the queries take as parameters (never pasted into Cypher). */
export function roleParams(vocabulary: Vocabulary, s: Pick<RecommendSettings, 'strongFactor' | 'weakFactor'> = defaultSettings) {
  const strong = relationsWithRole(vocabulary, 'engagement-strong');
  const weak = relationsWithRole(vocabulary, 'engagement-weak');
  const factors: Record<string, number> = {};
  for (const r of strong) factors[r] = s.strongFactor;
  for (const r of weak) factors[r] = s.weakFactor;
  return {
    engRels: [...strong, ...weak],
    strongRels: strong,
    factors,
    interestRels: relationsWithRole(vocabulary, 'interest'),
    piRels: relationsWithRole(vocabulary, 'product-interest'),
    taxRels: relationsWithRole(vocabulary, 'taxonomy'),
    socialRels: relationsWithRole(vocabulary, 'social'),
    ppRels: relationsWithRole(vocabulary, 'product-product'),
    allRels: vocabulary.relations.map((r) => r.name),
  };
}
