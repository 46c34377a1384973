import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { connectNeo4j } from '../db/connect.js';
import { precomputeSteps, refreshDerived } from '../domains.js';
import { loadStoredVocabulary } from '../graph/stored-vocabulary.js';
import { runSteps } from '../refresh/pipeline.js';

const usage = `usage: npm run refresh [-- --step NAME]
  Recomputes the derived values over the whole graph: every step (${precomputeSteps.map((s) => s.name).join(', ')}) in order,
  or only --step NAME (repeatable). Segments and the other global structures change only here
  and on the server's schedule (REFRESH_INTERVAL_SECONDS); small writes update the rest incrementally.`;

/** `npm run refresh`: the full refresh on demand (or single steps). */
async function main(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { step: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
  } catch (error) {
    console.error(`npm run refresh: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const names = values.step ?? [];
  const unknown = names.filter((n) => !precomputeSteps.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(`npm run refresh: unknown step ${unknown.map((n) => `"${n}"`).join(', ')}; steps: ${precomputeSteps.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const config = loadConfig();
  const connected = await connectNeo4j(config.neo4j, (l) => console.log(l));
  try {
    const vocabulary = await loadStoredVocabulary(connected.db);
    const t0 = Date.now();
    if (names.length === 0) await refreshDerived(connected.db, vocabulary);
    else await runSteps(connected.db, vocabulary, precomputeSteps.filter((s) => names.includes(s.name)));
    console.log(`refreshed ${names.length === 0 ? 'every step' : names.join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await connected.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`npm run refresh: ${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}`);
    process.exit(1);
  },
);
