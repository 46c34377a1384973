import { IDENTITY_TOUCHED_ENTITIES, REFRESH_ENGAGEMENT_DEGREES, UPDATE_ENGAGEMENT_DEGREES } from './queries.js';
import type { Database } from '../db/neo4j.js';
import { consumerLinkRelations } from './roles.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * `_consumers` on every non-consumer entity: distinct persons (`coalesce(c.person, c.id)`)
 * linked to it by engagement or interest relations through any of their ids. Popularity, hub
 * discounts and demand links read it instead of counting per query.
 */
export async function refreshEngagementDegrees(db: Database, vocabulary: Vocabulary): Promise<void> {
  const relations = consumerLinkRelations(vocabulary);
  await db.autoCommit('derived-engagement-degrees', REFRESH_ENGAGEMENT_DEGREES, { relations }, { timeoutMs: 600_000 });
}

/**
 * The entities whose person counts a write moved without touching them: those linked to the
 * persons of touched consumers whose person may have changed (the identity step adds everyone
 * whose person changed to `touched.consumers`; see IDENTITY_TOUCHED_ENTITIES). A consumer whose
 * own links changed in the write and whose person is single-id adds nothing. Not caught: one
 * write that both splits a consumer off into a person of its own and links that consumer to an
 * entity (its old partners still are, so only a pair of the split-off side's own could be stale).
 */
export async function identityTouchedEntities(
  db: Database,
  vocabulary: Vocabulary,
  touched: { consumers: string[]; entities: { key: string }[] },
): Promise<{ key: string; type: string }[]> {
  if (touched.consumers.length === 0) return [];
  const relations = consumerLinkRelations(vocabulary);
  const entities = touched.entities.map((e) => e.key);
  const out = new Map<string, { key: string; type: string }>();
  for (let i = 0; i < touched.consumers.length; i += 1000) {
    const rows = await db.read('derived-identity-touched', IDENTITY_TOUCHED_ENTITIES, { consumers: touched.consumers.slice(i, i + 1000), entities, relations });
    for (const r of rows) out.set(String(r.key), { key: String(r.key), type: String(r.type) });
  }
  return [...out.values()];
}

/**
 * The incremental update: `_consumers` of the touched entities and of those whose persons'
 * ids changed, recounted exactly (a new link can only change the count of its own endpoint, a
 * new or dropped identity link the counts of its persons' entities), in batches of 1000 keys.
 */
export async function updateEngagementDegrees(db: Database, vocabulary: Vocabulary, touched: { consumers: string[]; entities: { key: string }[] }): Promise<void> {
  const relations = consumerLinkRelations(vocabulary);
  const keys = [...new Set([...touched.entities.map((e) => e.key), ...(await identityTouchedEntities(db, vocabulary, touched)).map((e) => e.key)])];
  for (let i = 0; i < keys.length; i += 1000) {
    await db.write('derived-engagement-degrees-update', UPDATE_ENGAGEMENT_DEGREES, { keys: keys.slice(i, i + 1000), relations });
  }
}
