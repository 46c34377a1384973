import { REFRESH_ENGAGEMENT_DEGREES } from './queries.js';
import type { Database } from '../db/neo4j.js';
import { consumerLinkRelations } from './roles.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * `_consumers` on every non-consumer entity: distinct consumers linked to it by engagement or
 * interest relations. Popularity and hub discounts read it instead of counting per query.
 */
export async function refreshEngagementDegrees(db: Database, vocabulary: Vocabulary): Promise<void> {
  const relations = consumerLinkRelations(vocabulary);
  await db.autoCommit('derived-engagement-degrees', REFRESH_ENGAGEMENT_DEGREES, { relations }, { timeoutMs: 600_000 });
}
