import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { AppConfig } from '../../server/config.js';
import { createDriver, Database } from '../../server/db/neo4j.js';

/** A Database on the run's test Neo4j; close it in afterAll. */
export function testDatabase(timeoutMs = 30_000): Database {
  const target = inject('neo4j');
  return new Database(createDriver({ ...target, queryTimeoutMs: timeoutMs }), target.database, timeoutMs);
}

/** A unique prefix for ids this test file creates, so it can remove exactly its own data. */
export function testNamespace(name: string): string {
  return `t_${name}_${randomBytes(4).toString('hex')}`;
}

/** App config for tests: the test Neo4j, anonymous local access, a fixed pseudonym secret. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const target = inject('neo4j');
  return {
    neo4j: { uri: target.uri, user: target.user, password: target.password, database: target.database, queryTimeoutMs: 30_000 },
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

/** A Database whose server does not exist: every call fails as "unavailable". */
export function deadDatabase(): Database {
  const driver = createDriver({ uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: 'x', database: 'neo4j', queryTimeoutMs: 1_000 });
  return new Database(driver, 'neo4j', 1_000);
}
