import { REFRESH_ENGAGEMENT_DEGREES, UPDATE_ENGAGEMENT_DEGREES } from './queries.js';
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

/**
 * The incremental update: `_consumers` of the touched entities, recounted exactly (a new link
 * can only change the degree of its own endpoint), in batches of 1000 keys.
 */
export async function updateEngagementDegrees(db: Database, vocabulary: Vocabulary, touched: { entities: { key: string }[] }): Promise<void> {
  const relations = consumerLinkRelations(vocabulary);
  const keys = touched.entities.map((e) => e.key);
  for (let i = 0; i < keys.length; i += 1000) {
    await db.write('derived-engagement-degrees-update', UPDATE_ENGAGEMENT_DEGREES, { keys: keys.slice(i, i + 1000), relations });
  }
}
