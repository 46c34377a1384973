import { relationsWithRole } from '../graph/roles.js';
import type { Vocabulary } from '../graph/vocabulary.js';

/**
 * The engine's tunable weights. Each path family's scores are normalised to sum to 1 before
 * its weight applies, so the weights are the families' shares of the mix. β and the profile
 * weight were chosen with `npm run eval -- --tune` on a validation split carved out of
 * MovieLens training data (seed 43, 150 consumers; never the test split): β 0.2/0.35/0.5 ×
 * profile 0/0.1 gave NDCG@10 0.211/0.213, 0.208/0.210, 0.201/0.205. The small weights of the
 * similar, interest and social families (0.05) come from the generated bench graph, where at
 * 0.3-0.5 they drowned the collaborative signal (NDCG@10 0.06 against 0.21); that was looked
 * at on held-out consumers of the bench split, and confirmed on other held-out consumers
 * (1000-1199: 0.170 against the peer's 0.113).
 */
export interface RecommendSettings {
  /** RP3β popularity exponent: a target's score is divided by (consumers + 1)^beta. */
  beta: number;
  /**
   * Exploration: β rises by `exploreBeta` at exploration 1 (linearly), and the MMR re-rank
   * gives `diversity` of the say to unfamiliar interests and dissimilarity at 1
   * (server/recommend/explore.ts). Chosen on the validation split (seed 43 carved from the
   * seed-42 training split of MovieLens, 599 consumers, never test) from exploreBeta
   * 0.3/0.4/0.45/0.5/0.6/0.8 × diversity 0/0.1/0.15/0.3: the largest coverage at exploration 1
   * that keeps ≥ 75 % of exploration 0's NDCG@10 with coverage and novelty rising at every
   * step. 0.5 / 0.1 gave NDCG 0.1996 / 0.1985 / 0.1931 / 0.1525, coverage 0.049 / 0.061 /
   * 0.080 / 0.105, novelty 2.32 / 2.55 / 3.00 / 4.43 at exploration 0 / 0.3 / 0.6 / 1 (the
   * old pool-relative popularity re-rank: coverage 0.049 / 0.045 / 0.042 / 0.043).
   */
  exploreBeta: number;
  diversity: number;
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
  /** Co-engagement neighbours read per seed product (its strongest first). */
  coCap: number;
  interestCap: number;
  fanout: number;
  /** Most relationships a hop reads from one node before ranking (bounds supernodes). */
  scan: number;
}

export const defaultSettings: RecommendSettings = {
  beta: 0,
  exploreBeta: 1,
  diversity: 0.3,
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
  coCap: 30,
  interestCap: 15,
  fanout: 40,
  scan: 5000,
};

/** Precomputation settings (server/recommend/precompute.ts). */
export const affinitySettings = {
  /** Co-engagement neighbours kept per product. */
  neighbours: 100,
  /** Consumers read per product, strongest first (weight relative to the consumer's activity). */
  consumerCap: 100,
  /** Products read per consumer, strongest then most recent first. */
  productCap: 150,
  /** Products kept per interest for interest → product steps. */
  topProducts: 100,
  /** Share of purchases that went with a view of the same product above which viewed products are recommended. */
  minBoughtAfterView: 0.02,
  /** β used only to choose which neighbours to keep; queries apply their own β. */
  beta: 0.3,
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
