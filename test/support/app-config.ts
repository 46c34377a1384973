import type { AppConfig } from '../../server/config.js';
import { nowhere } from './dead-database.js';

/** Where the config points the app's Neo4j. */
export interface Neo4jTarget {
  uri: string;
  user: string;
  password: string;
  database: string;
}

/**
 * App config for tests: anonymous local access, a fixed pseudonym secret, and `neo4j` (by
 * default an address where nothing listens, for tests that need no database).
 */
export function appConfig(overrides: Partial<AppConfig> = {}, neo4j: Neo4jTarget = nowhere): AppConfig {
  return {
    neo4j: { uri: neo4j.uri, user: neo4j.user, password: neo4j.password, database: neo4j.database, queryTimeoutMs: 30_000 },
    port: 0,
    host: '127.0.0.1',
    pseudonymSecret: 'test-secret-test-secret-test-secret',
    kAnonymity: 5,
    logLevel: 'silent',
    production: false,
    // The test machine is shared and busy: a generous request timeout keeps tests about behaviour.
    api: { requestTimeoutMs: 60_000 },
    ...overrides,
  };
}
