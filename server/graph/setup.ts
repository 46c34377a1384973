import { AWAIT_INDEXES, schemaStatements } from './schema-statements.js';
import type { Vocabulary } from './vocabulary.js';
import type { Database } from '../db/neo4j.js';

/** Applies constraints and indexes (idempotent) and waits until they are online. */
export async function applySchema(db: Database, vocabulary: Vocabulary): Promise<void> {
  for (const statement of schemaStatements(vocabulary)) {
    await db.autoCommit('schema-setup', statement);
  }
  await db.autoCommit('schema-await-indexes', AWAIT_INDEXES, { seconds: 300 }, { timeoutMs: 310_000 });
}
