import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/neo4j.js';
import { graphIsEmpty } from '../graph/entity.js';
import { applySchema } from '../graph/setup.js';
import { mergeVocabulary, readSchemaFile, storeVocabulary } from '../graph/stored-vocabulary.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { loadFiles, type LoadOptions } from './load.js';
import { expandPaths } from './sources.js';
import type { LoadSummary } from './types.js';

/**
 * `npm start`'s first run: when the graph has no entities and `dir` holds data files, loads
 * them (with `dir/schema.json` if present, which extends and stores the vocabulary). Returns
 * the vocabulary to serve and the load's summary, or no summary when nothing was loaded.
 */
export async function seedIfEmpty(
  db: Database,
  vocabulary: Vocabulary,
  dir: string,
  options: LoadOptions,
): Promise<{ vocabulary: Vocabulary; summary?: LoadSummary }> {
  if (!existsSync(dir) || expandPaths([dir]).files.length === 0) return { vocabulary };
  if (!(await graphIsEmpty(db))) return { vocabulary };
  const schemaFile = join(dir, 'schema.json');
  let effective = vocabulary;
  if (existsSync(schemaFile)) {
    effective = mergeVocabulary(vocabulary, readSchemaFile(schemaFile));
    await applySchema(db, effective);
    await storeVocabulary(db, effective);
  }
  const summary = await loadFiles(db, effective, [dir], options);
  return { vocabulary: effective, summary };
}
