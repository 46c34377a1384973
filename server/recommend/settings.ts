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
   * Exploration: β rises by `exploreBeta` at exploration 1 (linearly), and the MMR re-rank
   * gives `diversity` of the say to unfamiliar interests and dissimilarity at 1
   * (server/recommend/explore.ts). 1 / 0.3 were chosen on the demo graph, for the product's
   * rule that a consumer's top 10 at 0 and at 1 share at most half their items: exploreBeta
   * 0.5 / 1 / 1.5 at diversity 0.1 left 7.0 / 5.4 / 4.4 of 10 shared on average (60 consumers),
   * 1 at 0.3 left 3.0 (at most 5). Their cost in NDCG is in README's eval table.
   * `explorePower` shapes the way there, β = exploreBeta · e^power: chosen on a validation
   * split (seed 43) carved from the MovieLens training split (seed 42; never its test pairs),
   * 300 consumers, NDCG@10 / distinct products at e = 0 / 0.5 / 1: linear 0.210 / 0.155 / 0.058,
   * 317 / 613 / 842; power 2: 0.210 / 0.197 / 0.058, 317 / 408 / 842 (94 % kept at 0.5, 1.3×
   * the coverage); power 3: 0.204 at 0.5 with 334. Neither reaches "≥ 90 % NDCG with ≥ 2×
   * coverage at 0.5".
   */
  exploreBeta: number;
  explorePower: number;
  diversity: number;
  explorePool: number;
  exploreSlots: number;
  exploreTailBeta: number;
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
  exploreTailBeta: 0.8,
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
