import { join } from 'node:path';
import type { Database } from '../db/neo4j.js';
import { loadFiles } from '../ingest/load.js';
import type { Vocabulary } from '../graph/vocabulary.js';

/**
 * Loads the training files into the evaluation's own database with the real loader (the code
 * `npm run load` runs: validation, pseudonymised consumers, aggregated relationships). The
 * derived refresh is left to the caller, which times it apart. Returns the rejected rows.
 */
export async function loadTrainingFiles(db: Database, vocabulary: Vocabulary, secret: string, paths: string[], log: (line: string) => void): Promise<number> {
  const dir = paths[0] ? join(paths[0], '..') : '.';
  const summary = await loadFiles(db, vocabulary, paths, {
    pseudonymSecret: secret,
    rejectsFile: join(dir, 'rejects.csv'),
    log,
  });
  log(`loader: ${summary.loaded} rows loaded, ${summary.rejected} rejected in ${summary.seconds.toFixed(1)} s`);
  return summary.rejected;
}
