import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../schema/vocabulary.js';

/** What every resolver gets: built once per request from the app's dependencies. */
export interface ApiContext {
  db: Database;
  config: AppConfig;
  vocabulary: Vocabulary;
  logger: Logger;
}
