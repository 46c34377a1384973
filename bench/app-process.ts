// Child process of `npm run bench`: the real app (createApp) on a free loopback port, in a
// process of its own so the benchmark can read the server's RSS apart from the load generator.
import { createServer } from 'node:http';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createDriver, Database } from '../server/db/neo4j.js';
import { createLogger } from '../server/logger.js';
import { loadStoredVocabulary } from '../server/graph/stored-vocabulary.js';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' });
  if (!config.neo4j.uri || !config.neo4j.password) throw new Error('the bench server needs NEO4J_URI and NEO4J_PASSWORD');
  const logger = createLogger(config.logLevel);
  const driver = createDriver({ ...config.neo4j, uri: config.neo4j.uri, password: config.neo4j.password });
  const db = new Database(driver, config.neo4j.database, config.neo4j.queryTimeoutMs);
  // As npm start: the vocabulary the loader stored with the graph.
  const app = createApp({ db, config, logger, vocabulary: await loadStoredVocabulary(db) });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  process.stdout.write(JSON.stringify({ port }) + '\n');
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void db.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent's end of stdin closing means it is gone: never outlive it.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((error: unknown) => {
  console.error(`bench server: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
