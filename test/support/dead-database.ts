import { createDriver, Database } from '../../server/db/neo4j.js';

/** A Bolt address where nothing listens (port 1). */
export const nowhere = { uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: 'x', database: 'neo4j' };

/**
 * A real Database (the product's driver settings) whose server does not exist: the driver
 * connects lazily, so an app built on it starts at once, and every query fails as
 * "unavailable" (after the driver's short retries). Needs no Neo4j and no test context.
 */
export function deadDatabase(): Database {
  const driver = createDriver({ ...nowhere, queryTimeoutMs: 1_000 });
  return new Database(driver, nowhere.database, 1_000);
}
