import { DROP_WALK_PROPERTIES, popularityIndex, refreshViewConversionQuery } from './queries.js';
import type { Database } from '../db/neo4j.js';
import { buildModel } from './model/build.js';
import { samplePoolExposure } from './pool-exposure.js';
import { updateModel, type UpdateOutcome } from './model/update.js';
import type { Touched } from '../refresh/pipeline.js';
import { revisitSettings } from './settings.js';
import type { Vocabulary } from '../graph/vocabulary.js';

/**
 * The recommend precompute step: the popularity index (the answer before any model exists),
 * whether views lead to purchases here (`KgMeta {key: 'recommend'}.revisitViewed`, which the
 * model records), then the learned model (model/build.ts), built from the graph and published
 * as a new version, with each product's pool exposure counted from a sample of consumers
 * (pool-exposure.ts) before it is stored. Runs after `refreshEngagementDegrees`, whose `_consumers` it reads. The
 * walk engine's per-node properties of earlier versions are removed where they are left.
 */
export async function refreshRecommendAffinity(db: Database, vocabulary: Vocabulary): Promise<void> {
  await db.autoCommit('derived-recommend-index', popularityIndex(vocabulary));
  await db.autoCommit('derived-recommend-drop-walk', DROP_WALK_PROPERTIES, {}, { timeoutMs: 1_800_000 });
  await db.autoCommit('derived-recommend-view-conversion', refreshViewConversionQuery(vocabulary), { minShare: revisitSettings.minBoughtAfterView }, { timeoutMs: 600_000 });
  await buildModel(db, vocabulary, undefined, undefined, (m) => samplePoolExposure(db, vocabulary, m));
}

/**
 * The recommend step's update after a small write: the touched products' part of the model
 * recomputed and published as a new version (model/update.ts), no graph-wide pass. Products
 * are taken from the touched entities' stored keys ("Product:<id>").
 */
export async function updateRecommendModel(db: Database, vocabulary: Vocabulary, touched: Touched): Promise<UpdateOutcome> {
  const keys = new Set([...touched.entities, ...(touched.described ?? [])].filter((e) => e.type === 'Product' || e.key.startsWith('Product:')).map((e) => e.key));
  const products = [...keys].map((key) => key.slice(key.indexOf(':') + 1));
  return updateModel(db, vocabulary, products);
}
