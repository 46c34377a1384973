import { join } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { accessPolicy } from './auth/keys.js';
import { useAuth } from './auth/use-auth.js';
import { useOriginGuard } from './auth/use-origin-guard.js';
import { apiSettings, repoRoot, type AppConfig } from './config.js';
import type { Database } from './db/neo4j.js';
import type { ApiContext } from './context.js';
import { toClientError } from './graphql/errors.js';
import { scrubbedError, scrubLogText } from './core/log-scrub.js';
import { guardRootFields } from './graphql/guard.js';
import { createLoaders } from './graph/loaders.js';
import { buildSchema } from './graphql/schema.js';
import { domains, refreshDerived, updateDerived } from './domains.js';
import { scheduleRefresh, scheduleUpdate } from './refresh/background.js';
import type { Touched } from './refresh/pipeline.js';
import { armorPlugins, useRequestGuards } from './graphql/use-limits.js';
import { useHealth } from './http/health.js';
import { useHttpErrors } from './http/http-errors.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { useObservability } from './http/observability.js';
import { requestState } from './auth/request-state.js';
import { seesConsumers } from './auth/reader-view.js';
import { useStaticWeb } from './http/static-web.js';
import { offlineGraphiQL } from './http/graphiql.js';
import type { Vocabulary } from './graph/vocabulary.js';
import { createModelHolder, type ModelHolder } from './recommend/model/holder.js';

export interface AppDeps {
  db: Database;
  config: AppConfig;
  logger: Logger;
  vocabulary: Vocabulary;
  /** Folder of the built web explorer; defaults to web/dist. */
  webRoot?: string;
  /**
   * The GraphQL schema to serve; defaults to the product's domains. Either way its root
   * fields get the access check and argument caps (guardRootFields).
   */
  schema?: GraphQLSchema;
  /** The recommendation model holder; defaults to one that loads and polls `db`. */
  recommendModel?: ModelHolder;
}

export type App = YogaServerInstance<Record<string, unknown>, ApiContext> & { metrics: Metrics; recommendModel: ModelHolder };

/**
 * Builds the whole HTTP app (GraphQL, health, metrics, web explorer) from its dependencies:
 * keys and the local-default rule from `config.host` and `config.apiKeysFile`, limits and
 * production switches from `apiSettings(config)`. It does not listen: `main.ts` does, and
 * tests call `app.fetch(...)` with no port. Throws ConfigError for a bad keys file.
 */
export function createApp({ db, config, logger, vocabulary, webRoot = join(repoRoot, 'web', 'dist'), schema, recommendModel }: AppDeps): App {
  const settings = apiSettings(config);
  const policy = accessPolicy({ host: config.host, apiKeysFile: config.apiKeysFile, localAnonymousRole: settings.localAnonymousRole });
  const metrics = createMetrics(db);
  const corsOrigins = settings.corsOrigins;
  // --- Recommendation model hook: load the published model now, poll for new versions, and
  // swap at once after this process's own refresh (server/recommend/model/holder.ts).
  const model =
    recommendModel ?? createModelHolder(db, { onError: (error) => logger.warn({ err: error }, 'recommendation model: check or load failed; serving the one loaded') });
  void model.start();
  const refreshInBackground = () =>
    scheduleRefresh(db, vocabulary, refreshDerived, (error) => logger.error({ err: scrubbedError(error) }, 'derived refresh in the background failed')).then(async () => {
      await model.sync().catch(() => undefined);
    });
  const updateInBackground = (touched: Touched) =>
    scheduleUpdate(db, vocabulary, updateDerived, touched, (error) => logger.error({ err: scrubbedError(error) }, 'incremental derived update failed')).then(async () => {
      await model.sync().catch(() => undefined);
    });
  // --- end of the model hook.
  const yoga = createYoga<Record<string, unknown>, ApiContext>({
    schema: guardRootFields(schema ?? buildSchema(vocabulary, domains)),
    context: ({ request }) => {
      // useAuth has authenticated every request that reaches execution.
      const caller = requestState(request).caller ?? { name: 'anonymous', role: null };
      return {
        db,
        config,
        vocabulary,
        logger,
        loaders: createLoaders(db, vocabulary),
        caller,
        seesConsumers: seesConsumers(caller.role),
        requestId: requestState(request).id,
        refreshInBackground,
        updateInBackground,
        recommendModel: model,
      };
    },
    graphqlEndpoint: '/graphql',
    // Our own /health checks Neo4j; park Yoga's built-in one where nobody looks.
    healthCheckEndpoint: '/.yoga-health',
    graphiql: settings.graphiql ? { title: 'Knowledge-graph insight explorer' } : false,
    // GraphiQL's assets are bundled and served by us, never from a CDN (server/http/graphiql.ts).
    renderGraphiQL: offlineGraphiQL(),
    landingPage: false,
    // One operation per request: batching would multiply every limit below.
    batching: false,
    // Keys travel in a header, never a cookie: no credentialed CORS for anyone.
    cors: corsOrigins.length === 0 ? false : { origin: corsOrigins.includes('*') ? '*' : corsOrigins, methods: ['GET', 'POST'], credentials: false },
    maskedErrors: {
      maskError: (error) => {
        const safe = toClientError(error);
        if (safe.extensions.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: scrubbedError(error) }, 'unexpected resolver error');
        return safe;
      },
    },
    // Yoga's own lines quote what callers sent (variables, the query's source): scrubbed, and
    // only built at a level that is logged (Yoga writes debug lines for every request).
    logging: {
      debug: (...args) => logger.isLevelEnabled('debug') && logger.debug(scrubLogText(args.map(String).join(' '))),
      info: (...args) => logger.isLevelEnabled('info') && logger.info(scrubLogText(args.map(String).join(' '))),
      warn: (...args) => logger.warn(scrubLogText(args.map(String).join(' '))),
      error: (...args) => logger.error(scrubLogText(args.map(String).join(' '))),
    },
    plugins: [
      useHttpErrors({ maxBodyBytes: settings.maxBodyBytes }),
      useOriginGuard({ allowedHosts: settings.allowedHosts, corsOrigins }),
      useAuth({
        policy,
        rateLimitPerMinute: settings.rateLimitPerMinute,
        anonymousRateLimitPerMinute: settings.anonymousRateLimitPerMinute,
        trustProxy: settings.trustProxy,
      }),
      useObservability({ logger, metrics }),
      useHealth({ db }),
      useStaticWeb({ root: webRoot, apiPaths: ['/graphql', '/health', '/metrics'] }),
      ...armorPlugins(config.production),
      useRequestGuards({ timeoutMs: settings.requestTimeoutMs, introspection: settings.introspection }),
    ],
  });
  return Object.assign(yoga, { metrics, recommendModel: model });
}
