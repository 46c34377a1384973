import { popularityIndex, refreshViewConversionQuery, REFRESH_CONSUMER_WALKS, REFRESH_INTEREST_TOP, REFRESH_WEIGHT_SUMS } from './queries.js';
import type { Database } from '../db/neo4j.js';
import { refreshCoEngagement } from './co-engagement.js';
import { affinitySettings, roleParams } from './settings.js';
import { buildModel } from './model/build.js';
import type { Vocabulary } from '../graph/vocabulary.js';

/**
 * What the recommendation engine precomputes: per-entity sums of damped weights by role
 * family (the random walk's denominators), the co-engagement neighbour lists `_coIds` (RP3β-style
 * two-step walk, top-k per product), the popularity index for cold starts and whether views
 * lead to purchases here (`KgMeta {key: 'recommend'}`). Runs after
 * `refreshEngagementDegrees`, whose `_consumers` it reads. Last, the learned model
 * (model/build.ts) is rebuilt from the graph and published as a new version.
 */
export async function refreshRecommendAffinity(db: Database, vocabulary: Vocabulary): Promise<void> {
  const roles = roleParams(vocabulary);
  await db.autoCommit('derived-recommend-index', popularityIndex(vocabulary));
  await db.autoCommit('derived-recommend-weights', REFRESH_WEIGHT_SUMS, roles, { timeoutMs: 1_800_000 });
  const walk = { ...roles, ...affinitySettings, scan: 20_000 };
  await db.autoCommit('derived-recommend-interest-top', REFRESH_INTEREST_TOP, walk, { timeoutMs: 1_800_000 });
  await db.autoCommit('derived-recommend-walks', REFRESH_CONSUMER_WALKS, walk, { timeoutMs: 1_800_000 });
  await refreshCoEngagement(db, vocabulary);
  await db.autoCommit('derived-recommend-view-conversion', refreshViewConversionQuery(vocabulary), { minShare: affinitySettings.minBoughtAfterView }, { timeoutMs: 600_000 });
  // After the view conversion: the model records whether viewed products may come back.
  await buildModel(db, vocabulary);
}
