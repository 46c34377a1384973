import DataLoader from 'dataloader';
import type { Database } from '../db/neo4j.js';
import { entitiesByKeys, type EntityShape } from './entity.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * The request-scoped loaders: every per-item fetch in a request shares one Cypher round trip,
 * and nothing is cached across requests or callers. Domains keep their own loaders here too
 * (`scoped`), so there is one such system.
 */
export interface Loaders {
  /** Entity by key ("Type:id"); null when there is none. */
  entityByKey: DataLoader<string, EntityShape | null>;
  /** The request's one instance of a domain's loader or cached value, made on first use. */
  scoped<T>(name: string, create: () => T): T;
}

/** Creates fresh loaders; call once per request. */
export function createLoaders(db: Database, vocabulary: Vocabulary): Loaders {
  const domainLoaders = new Map<string, unknown>();
  return {
    scoped: <T>(name: string, create: () => T): T => {
      if (!domainLoaders.has(name)) domainLoaders.set(name, create());
      return domainLoaders.get(name) as T;
    },
    entityByKey: new DataLoader<string, EntityShape | null>(
      async (keys) => {
        const byKey = await entitiesByKeys(db, vocabulary, keys);
        return keys.map((k) => byKey.get(k) ?? null);
      },
      { maxBatchSize: 500 },
    ),
  };
}
