import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { STAMP_DERIVED } from './queries.js';

/** One precomputation over the whole graph (a domain's derived values), rerun after every load. */
export type PrecomputeStep = (db: Database, vocabulary: Vocabulary) => Promise<void>;

/** What a loader runs after it commits; the composition root builds it from the domains' steps. */
export type Refresh = (db: Database, vocabulary: Vocabulary) => Promise<void>;

/**
 * A refresh that runs `steps` in order and then stamps the time on `KgMeta {key: 'derived'}`,
 * so derived values are never older than the last load.
 */
export function refreshWith(steps: readonly PrecomputeStep[]): Refresh {
  return async (db, vocabulary) => {
    for (const step of steps) await step(db, vocabulary);
    await db.write('derived-stamp', STAMP_DERIVED);
  };
}
