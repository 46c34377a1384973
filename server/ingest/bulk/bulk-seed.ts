import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Connected } from '../../db/connect.js';
import { mergeVocabulary, readSchemaFile } from '../../graph/stored-vocabulary.js';
import type { Vocabulary } from '../../graph/vocabulary.js';
import type { LocalNeo4jOptions } from '../../local-neo4j/local-neo4j.js';
import type { Refresh } from '../../refresh/pipeline.js';
import { expandPaths } from '../sources.js';
import { bulkLoadFiles, storeDirOf, type BulkSummary } from './bulk-load.js';

export interface BulkSeedOptions {
  pseudonymSecret: string;
  local: LocalNeo4jOptions;
  database: string;
  /** Connects to the bundled Neo4j (starting it); the connection is handed back, still open. */
  connect: () => Promise<Connected>;
  refresh?: Refresh;
  log?: (line: string) => void;
}

/**
 * `npm start`'s first run on the bundled Neo4j: when its database has no store yet (nothing was
 * ever loaded or started) and `dir` holds data files, loads them with the offline importer
 * before Neo4j's first start (with `dir/schema.json` if present), then starts Neo4j once and
 * hands that connection back. Returns null when this does not apply (the caller connects and
 * seeds an empty graph online as before).
 */
export async function bulkSeedIfNew(
  dir: string,
  vocabulary: Vocabulary,
  options: BulkSeedOptions,
): Promise<{ connected: Connected; vocabulary: Vocabulary; summary: BulkSummary } | null> {
  if (!existsSync(dir) || expandPaths([dir]).files.length === 0) return null;
  if (existsSync(storeDirOf(options.local, options.database))) return null;
  const schemaFile = join(dir, 'schema.json');
  const effective = existsSync(schemaFile) ? mergeVocabulary(vocabulary, readSchemaFile(schemaFile)) : vocabulary;
  let connected: Connected | undefined;
  try {
    const summary = await bulkLoadFiles(effective, [dir], {
      pseudonymSecret: options.pseudonymSecret,
      local: options.local,
      database: options.database,
      refresh: options.refresh,
      log: options.log,
      // One start, after the import: the connection stays open for the server.
      connect: async () => {
        connected ??= await options.connect();
        return { db: connected.db, startedHere: connected.local?.startedHere ?? false, pid: connected.local?.pid, close: async () => undefined };
      },
    });
    return { connected: connected!, vocabulary: effective, summary };
  } catch (error) {
    await connected?.close();
    throw error;
  }
}
