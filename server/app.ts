import { join } from 'node:path';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { repoRoot, type AppConfig } from './config.js';
import type { Database } from './db/neo4j.js';
import type { ApiContext } from './graphql/context.js';
import { toClientError } from './graphql/errors.js';
import { buildSchema } from './graphql/schema.js';
import { useHealth } from './http/health.js';
import { useStaticWeb } from './http/static-web.js';
import type { Vocabulary } from './schema/vocabulary.js';

export interface AppDeps {
  db: Database;
  config: AppConfig;
  logger: Logger;
  vocabulary: Vocabulary;
  /** Folder of the built web explorer; defaults to web/dist. */
  webRoot?: string;
}

export type App = YogaServerInstance<Record<string, unknown>, ApiContext>;

/**
 * Builds the whole HTTP app (GraphQL, health, web explorer) from its dependencies. It does
 * not listen: `main.ts` does, and tests call `app.fetch(...)` with no port.
 */
export function createApp({ db, config, logger, vocabulary, webRoot = join(repoRoot, 'web', 'dist') }: AppDeps): App {
  return createYoga<Record<string, unknown>, ApiContext>({
    schema: buildSchema(vocabulary),
    context: () => ({ db, config, vocabulary, logger }),
    graphqlEndpoint: '/graphql',
    // Our own /health checks Neo4j; park Yoga's built-in one where nobody looks.
    healthCheckEndpoint: '/.yoga-health',
    graphiql: config.production ? false : { title: 'Knowledge-graph insight explorer' },
    landingPage: false,
    maskedErrors: {
      maskError: (error) => {
        const safe = toClientError(error);
        if (safe.extensions.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error }, 'unexpected resolver error');
        return safe;
      },
    },
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    plugins: [useHealth({ db }), useStaticWeb({ root: webRoot, apiPaths: ['/graphql', '/health', '/metrics'] })],
  });
}
