import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { profileFrom } from './engine.js';
import { poolSize } from './explore.js';
import type { RecommendModel } from './model/model.js';
import { consumerProfileQuery, sampleConsumersQuery } from './queries.js';
import { scoreConsumer, type ConsumerProfile, type ScoreRoles } from './score.js';
import { defaultSettings, roleParams, type RecommendSettings } from './settings.js';

/**
 * Defaults: how many consumers the build samples, and the request shape whose exploration
 * pool is counted (`first` 10 at exploration 0.5: the 70 strongest candidates).
 */
export const poolExposureDefaults = { sample: 2_000, first: 10, exploration: 0.5 };

/**
 * Each product's pool exposure: how many consumers have it among their strongest candidates
 * (the pool exploration draws its explored places from), estimated from a sample of consumers
 * scored by the model being built and scaled to all its consumers. explore.ts discounts the
 * explored places by it: a product in everybody's pool is what exploration should not keep
 * handing out, and counting pools directly spreads the explored places over the catalogue
 * better than the collab-share estimate (validation figures in settings.ts).
 */
export function countPools(m: RecommendModel, profiles: Iterable<ConsumerProfile>, consumers: number, o: { settings?: RecommendSettings; roles: ScoreRoles; first?: number; exploration?: number }): Float32Array {
  const settings = o.settings ?? defaultSettings;
  const take = poolSize(o.first ?? poolExposureDefaults.first, o.exploration ?? poolExposureDefaults.exploration, settings.exploreTailPool);
  const counts = new Float64Array(m.items.length);
  let sampled = 0;
  for (const profile of profiles) {
    sampled++;
    for (const r of scoreConsumer(m, profile, { first: take, exploration: 0, settings, roles: o.roles, revisit: m.revisitViewed })) {
      const j = m.itemIndex.get(r.entity.id);
      if (j !== undefined) counts[j]! += 1;
    }
  }
  const scale = sampled ? Math.max(1, consumers) / sampled : 0;
  return Float32Array.from(counts, (c) => c * scale);
}

/** Reads the sample's live profiles (the request's own read) and counts their pools into `m.poolExposure`. */
export async function samplePoolExposure(db: Database, vocabulary: Vocabulary, m: RecommendModel, log: (line: string) => void = () => {}, sample = poolExposureDefaults.sample): Promise<void> {
  const t0 = performance.now();
  const s = defaultSettings;
  const roles = roleParams(vocabulary, s);
  // One consumer a person (its profile read is the whole person's), as the model counts persons.
  const persons = new Map<string, string>();
  for (const r of await db.read('model-sample-consumers', sampleConsumersQuery(vocabulary), { limit: sample }, { timeoutMs: 600_000 })) {
    if (!persons.has(String(r.person))) persons.set(String(r.person), String(r.id));
  }
  const ids = [...persons.values()];
  const query = consumerProfileQuery(vocabulary);
  const profiles: ConsumerProfile[] = [];
  for (const id of ids) {
    const rows = await db.read('model-sample-profile', query, { consumerId: id, scan: s.scan, fanout: s.fanout, interestCap: s.interestCap });
    if (rows.length) profiles.push(profileFrom(id, rows[0]!));
  }
  const consumers = Number(m.info.consumers ?? profiles.length) || profiles.length;
  m.poolExposure = countPools(m, profiles, consumers, { roles });
  m.info.pool_sample = profiles.length;
  m.info.pool_seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  log(`model ${m.version}: pool exposure from ${profiles.length} sampled consumers in ${m.info.pool_seconds} s`);
}
