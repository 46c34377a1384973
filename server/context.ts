import type { Logger } from 'pino';
import type { AppConfig } from './config.js';
import type { Database } from './db/neo4j.js';
import type { Vocabulary } from './graph/vocabulary.js';
import type { Caller } from './auth/roles.js';
import type { EntityLookup } from './graph/entity.js';
import type { Loaders } from './graph/loaders.js';
import type { ModelHolder } from './recommend/model/holder.js';
import type { Touched } from './refresh/pipeline.js';

/** What every resolver gets: built once per request from the app's dependencies. */
export interface ApiContext {
  db: Database;
  config: AppConfig;
  vocabulary: Vocabulary;
  logger: Logger;
  /** Per-request DataLoaders (server/graph/loaders.ts). */
  loaders: Loaders;
  /** Who is calling and with which role (server/auth). */
  caller: Caller;
  /** Whether the caller may see individual consumers (role `service` and up); others get aggregates of at least k. */
  seesConsumers: boolean;
  /** Id of this request, in logs and the `x-request-id` response header. */
  requestId: string;
  /**
   * Schedules the full refresh of derived values in the background (coalesced); the
   * composition root binds it to the domains' precompute steps.
   */
  refreshInBackground: () => Promise<void>;
  /**
   * Schedules the incremental update of the derived values a small write touched (same
   * queue as the full refresh); the composition root binds it to the steps' updates.
   */
  updateInBackground: (touched: Touched) => Promise<void>;
  /** The learned recommendation model this process serves, hot-swapped (server/recommend/model/holder.ts). */
  recommendModel: ModelHolder;
}

/** Entity resolution for this request: its database, vocabulary, secret and batched key lookups. */
export function entityLookup(ctx: ApiContext): EntityLookup {
  return {
    db: ctx.db,
    vocabulary: ctx.vocabulary,
    pseudonymSecret: ctx.config.pseudonymSecret,
    byKey: (key) => ctx.loaders.entityByKey.load(key),
  };
}
