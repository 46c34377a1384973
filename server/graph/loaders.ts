import DataLoader from 'dataloader';
import type { Database } from '../db/neo4j.js';
import { entitiesByKeys, type EntityShape } from './entity.js';
import type { Vocabulary } from './vocabulary.js';

/** DataLoaders of one request: every per-item fetch in a request shares one Cypher round trip. */
export interface Loaders {
  /** Entity by key ("Type:id"); null when there is none. */
  entityByKey: DataLoader<string, EntityShape | null>;
}

/** Creates fresh loaders; call once per request so nothing is cached across callers. */
export function createLoaders(db: Database, vocabulary: Vocabulary): Loaders {
  return {
    entityByKey: new DataLoader<string, EntityShape | null>(
      async (keys) => {
        const byKey = await entitiesByKeys(db, vocabulary, keys);
        return keys.map((k) => byKey.get(k) ?? null);
      },
      { maxBatchSize: 500 },
    ),
  };
}
