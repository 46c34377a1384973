import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../schema/vocabulary.js';
import { refreshEngagementDegrees } from './engagement-degrees.js';
import { refreshRecommendAffinity } from './recommend-affinity.js';

/** One derived computation over the graph, rerun after every load. */
export type DerivedStep = (db: Database, vocabulary: Vocabulary) => Promise<void>;

/**
 * Everything precomputed from the triples, in order. `npm run load` and `ingestTriples` call
 * `refreshDerived` after they commit, so derived values are never older than the last load.
 */
export const derivedSteps: DerivedStep[] = [refreshEngagementDegrees, refreshRecommendAffinity];

/** Reruns every derived step and stamps the time on the `KgMeta {key: 'derived'}` node. */
export async function refreshDerived(db: Database, vocabulary: Vocabulary): Promise<void> {
  for (const step of derivedSteps) await step(db, vocabulary);
  await db.write('derived-stamp', "MERGE (m:KgMeta {key: 'derived'}) SET m.refreshedAt = datetime().epochMillis");
}
