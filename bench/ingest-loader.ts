import { parseArgs } from 'node:util';
import { createDriver, Database } from '../server/db/neo4j.js';
import { applySchema } from '../server/graph/setup.js';
import { coreVocabulary } from '../server/graph/vocabulary.js';
import { loadFiles } from '../server/ingest/load.js';

/**
 * The loader as the ingest benchmark's grid runs it (a child process, for its own peak RSS):
 * `loadFiles` with a given number of lanes, partitions and batch size (and `--no-serial-commit`),
 * no derived refresh, JSON summary (and the process's CPU seconds) on stdout. `npm run load` is the same call with the defaults.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { lanes: { type: 'string' }, partitions: { type: 'string' }, 'batch-size': { type: 'string' }, 'no-serial-commit': { type: 'boolean' } },
  });
  const db = new Database(
    createDriver({ uri: process.env.NEO4J_URI!, user: process.env.NEO4J_USER!, password: process.env.NEO4J_PASSWORD!, database: 'neo4j', queryTimeoutMs: 3_600_000 }),
    'neo4j',
    3_600_000,
  );
  try {
    await applySchema(db, coreVocabulary);
    const summary = await loadFiles(db, coreVocabulary, positionals, {
      pseudonymSecret: process.env.PSEUDONYM_SECRET!,
      lanes: values.lanes ? Number(values.lanes) : undefined,
      partitions: values.partitions ? Number(values.partitions) : undefined,
      batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
      serialCommit: !values['no-serial-commit'],
      log: (l) => console.error(l),
    });
    const cpu = process.cpuUsage();
    console.log(JSON.stringify({ ...summary, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100 }));
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`ingest-loader: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
