import type { Neo4jConfig } from '../config.js';
import { ConfigError } from '../config.js';
import { defaultLocalOptions, useOrStartLocalNeo4j, type RunningLocalNeo4j } from '../local-neo4j/local-neo4j.js';
import { DatabaseUnavailableError } from './errors.js';
import { createDriver, Database } from './neo4j.js';

export interface Connected {
  db: Database;
  /** The bundled Neo4j when NEO4J_URI is unset; `stop()` stops it only if we started it. */
  local?: RunningLocalNeo4j;
  uri: string;
  /** Closes the driver, then stops the bundled Neo4j if we started it. */
  close(): Promise<void>;
}

/**
 * Connects to the configured Neo4j, or to the bundled one (starting it when needed) when
 * NEO4J_URI is unset, and verifies connectivity before returning.
 */
export async function connectNeo4j(config: Neo4jConfig, log: (line: string) => void = () => undefined): Promise<Connected> {
  let local: RunningLocalNeo4j | undefined;
  let uri: string;
  let user = config.user;
  let password: string;
  if (config.uri) {
    if (!config.password) throw new ConfigError('NEO4J_PASSWORD must be set when NEO4J_URI is set');
    uri = config.uri;
    password = config.password;
  } else {
    local = await useOrStartLocalNeo4j(defaultLocalOptions(), log);
    ({ uri, user, password } = local);
  }
  const driver = createDriver({ ...config, uri, user, password });
  try {
    await driver.verifyConnectivity({ database: config.database });
  } catch (error) {
    await driver.close();
    await local?.stop();
    throw new DatabaseUnavailableError(`cannot connect to Neo4j at ${uri}: ${(error as Error).message}`);
  }
  const db = new Database(driver, config.database, config.queryTimeoutMs);
  return {
    db,
    local,
    uri,
    async close() {
      await db.close();
      await local?.stop();
    },
  };
}
