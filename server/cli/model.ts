import { loadConfig } from '../config.js';
import { connectNeo4j } from '../db/connect.js';
import { loadStoredVocabulary } from '../graph/stored-vocabulary.js';
import { buildModel } from '../recommend/model/build.js';
import { servedVersion } from '../recommend/model/store.js';
import { READ_SERVED_INFO } from '../recommend/model/queries.js';

const usage = `usage: npm run model -- relearn|status
  relearn  learn the recommendation model from the whole graph now and publish it as a new
           version (every API process picks it up within its poll interval, 3 s)
  status   the served version, when it was built and how`;

/** `npm run model -- relearn|status`: the learned recommendation model on demand. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    console.log(usage);
    return 0;
  }
  if (!command || rest.length || !['relearn', 'status'].includes(command)) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  const connected = await connectNeo4j(config.neo4j, (l) => console.error(l));
  try {
    const db = connected.db;
    if (command === 'status') {
      const version = await servedVersion(db);
      if (!version) {
        console.log('no model has been published yet (a load or `npm run model -- relearn` builds one)');
        return 3;
      }
      const [row] = await db.read('model-status', READ_SERVED_INFO, { version });
      console.log(`served ${version}, built ${String(row?.builtAt ?? '?')}: ${String(row?.info ?? '{}')}`);
      return 0;
    }
    const t0 = performance.now();
    const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
    const before = await servedVersion(db);
    console.error(`relearning the recommendation model (served now: ${before ?? 'none'})…`);
    const m = await buildModel(db, await loadStoredVocabulary(db), undefined, (line) => console.error(`[${elapsed()}] ${line}`));
    console.log(`published ${m.version} in ${elapsed()}: ${m.items.length} products, ${m.info.consumers} consumers, λ ${m.info.lambda}, γ ${m.info.gamma}, ${m.info.memory_mb} MB in memory`);
    return 0;
  } finally {
    await connected.close().catch(() => undefined);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`npm run model: ${(error as Error).message}`);
    process.exit(1);
  },
);
