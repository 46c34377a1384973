import { DROP_WALK_PROPERTIES, popularityIndex, refreshViewConversionQuery } from './queries.js';
import type { Database } from '../db/neo4j.js';
import { buildModel } from './model/build.js';
import { revisitSettings } from './settings.js';
import type { Vocabulary } from '../graph/vocabulary.js';

/**
 * The recommend precompute step: the popularity index (the answer before any model exists),
 * whether views lead to purchases here (`KgMeta {key: 'recommend'}.revisitViewed`, which the
 * model records), then the learned model (model/build.ts), built from the graph and published
 * as a new version. Runs after `refreshEngagementDegrees`, whose `_consumers` it reads. The
 * walk engine's per-node properties of earlier versions are removed where they are left.
 */
export async function refreshRecommendAffinity(db: Database, vocabulary: Vocabulary): Promise<void> {
  await db.autoCommit('derived-recommend-index', popularityIndex(vocabulary));
  await db.autoCommit('derived-recommend-drop-walk', DROP_WALK_PROPERTIES, {}, { timeoutMs: 1_800_000 });
  await db.autoCommit('derived-recommend-view-conversion', refreshViewConversionQuery(vocabulary), { minShare: revisitSettings.minBoughtAfterView }, { timeoutMs: 600_000 });
  await buildModel(db, vocabulary);
}
