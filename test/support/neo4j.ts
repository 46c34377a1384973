import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { AppConfig } from '../../server/config.js';
import { createDriver, Database } from '../../server/db/neo4j.js';
import { appConfig } from './app-config.js';

// Tests that need no database import ./dead-database.js and ./app-config.js directly: the
// functions here read the run's test Neo4j (inject), which only the database tiers provide.
export { deadDatabase } from './dead-database.js';

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
  return appConfig(overrides, inject('neo4j'));
}
