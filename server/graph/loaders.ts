import DataLoader from 'dataloader';
import { ENTITIES_BY_KEY } from '../browse/queries.js';
import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from './vocabulary.js';
import { toEntity, type EntityShape } from './entity.js';

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
        const rows = await db.read('entities-by-key', ENTITIES_BY_KEY, { keys: [...keys], types: vocabulary.entityTypes });
        const byKey = new Map(rows.filter((r) => r.type).map((r) => [String(r.key), toEntity(r.props as Record<string, unknown>, String(r.type))]));
        return keys.map((k) => byKey.get(k) ?? null);
      },
      { maxBatchSize: 500 },
    ),
  };
}
