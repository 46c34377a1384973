import { readFileSync } from 'node:fs';
import { browseResolvers } from './browse/resolvers.js';
import { refreshEngagementDegrees, updateEngagementDegrees } from './graph/degrees.js';
import type { Domain } from './graphql/schema.js';
import { identityResolvers } from './identity/resolvers.js';
import { refreshIdentity, updateIdentity } from './identity/precompute.js';
import { ingestResolvers } from './ingest/resolvers.js';
import { insightsResolvers } from './insights/resolvers.js';
import { refreshInsights, updateInsights } from './insights/precompute.js';
import { refreshRecommendAffinity, updateRecommendModel } from './recommend/precompute.js';
import { recommendationsResolvers } from './recommend/resolvers.js';
import { refreshWith, updateWith, type PrecomputeStep, type Refresh, type Update } from './refresh/pipeline.js';
import { scenesResolvers } from './scenes/resolvers.js';
import { statsResolvers } from './stats/resolvers.js';

const sdl = (domain: string) => readFileSync(new URL(`./${domain}/schema.graphql`, import.meta.url), 'utf8');

/** Every domain's SDL and resolvers, merged into the API schema by `buildSchema`. */
export const domains: Domain[] = [
  { name: 'stats', typeDefs: sdl('stats'), resolvers: statsResolvers },
  { name: 'browse', typeDefs: sdl('browse'), resolvers: browseResolvers },
  { name: 'recommend', typeDefs: sdl('recommend'), resolvers: recommendationsResolvers },
  { name: 'insights', typeDefs: sdl('insights'), resolvers: insightsResolvers },
  { name: 'ingest', typeDefs: sdl('ingest'), resolvers: ingestResolvers },
  { name: 'scenes', typeDefs: sdl('scenes'), resolvers: scenesResolvers },
  { name: 'identity', typeDefs: sdl('identity'), resolvers: identityResolvers },
];

/**
 * The precompute steps rerun after every load, in order: identity (persons) first, then consumer degrees (recommend
 * and insights read `_consumers`), then each domain's own step. Raise a step's `format` when
 * what it writes changes, so `npm start` refreshes a graph derived by an older version.
 */
export const precomputeSteps: PrecomputeStep[] = [
  // First: every later step counts consumers as persons (coalesce(c.person, c.id)).
  { name: 'identity', format: 1, run: refreshIdentity, update: updateIdentity },
  // degrees 2, insights 2: counts of persons (coalesce(c.person, c.id)), not of consumer ids (issue 18).
  { name: 'degrees', format: 2, run: refreshEngagementDegrees, update: updateEngagementDegrees },
  // 2: the learned model (:KgModel versions) is built too; 3: with its taxonomy lists; 4: learned one row a person.
  { name: 'recommend', format: 4, run: refreshRecommendAffinity, update: async (db, vocabulary, touched) => void (await updateRecommendModel(db, vocabulary, touched)), holdsProperties: true },
  { name: 'insights', format: 2, run: refreshInsights, update: updateInsights },
];

/** The full refresh: every precompute step, then the `KgMeta {key: 'derived'}` stamp. */
export const refreshDerived: Refresh = refreshWith(precomputeSteps);

/** The incremental path after a small write: each step's `update` for the touched keys, then its stamp. */
export const updateDerived: Update = updateWith(precomputeSteps);
