import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../server/config.js';
import { terminalReport, writeResults } from './report.js';
import { runBench, type BenchOptions } from './suite.js';

const usage =
  'usage: npm run bench -- [--triples N] [--concurrency 1,8,32] [--duration S] [--field-duration S] [--soak S] [--soak-rate R] [--peer-users N] [--keep DIR] [--out DIR] [--json]';

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new Error(`--${name} must be a whole number ≥ ${min}, got "${value}"`);
  }
  return Number(value);
}

/** Parses the command line into options; throws with a message naming the bad argument. */
function parseBenchArgs(argv: string[], log: (line: string) => void): { options: BenchOptions; json: boolean; out: string; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      triples: { type: 'string' },
      concurrency: { type: 'string' },
      duration: { type: 'string' },
      'field-duration': { type: 'string' },
      soak: { type: 'string' },
      'soak-rate': { type: 'string' },
      'peer-users': { type: 'string' },
      'batch-size': { type: 'string' },
      keep: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const concurrency = (values.concurrency ?? '1,8,32').split(',').map((c) => wholeNumber('concurrency', c.trim(), 0, 1));
  if (concurrency.some((c) => c > 256)) throw new Error('--concurrency levels must be at most 256');
  const duration = wholeNumber('duration', values.duration, 10, 1);
  const options: BenchOptions = {
    triples: wholeNumber('triples', values.triples, 1_000_000, 1000),
    concurrency,
    duration,
    fieldSeconds: wholeNumber('field-duration', values['field-duration'], Math.min(5, duration), 1),
    soak: wholeNumber('soak', values.soak, 30, 0),
    soakRate: wholeNumber('soak-rate', values['soak-rate'], 100, 1),
    peerUsers: wholeNumber('peer-users', values['peer-users'], 200, 1),
    peerSeconds: Math.max(10, duration * 3),
    batchSize: wholeNumber('batch-size', values['batch-size'], 5000, 1),
    keep: values.keep ? resolve(values.keep) : undefined,
    log,
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { options, json: values.json ?? false, out: resolve(values.out ?? join(repoRoot, 'bench', 'results', stamp)), help: values.help ?? false };
}

async function main(argv: string[]): Promise<number> {
  const log = (line: string) => console.error(line);
  let parsed;
  try {
    parsed = parseBenchArgs(argv, log);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (parsed.help) {
    console.log(usage);
    return 0;
  }
  const result = await runBench(parsed.options);
  const dir = writeResults(result, parsed.out);
  if (parsed.json) console.log(JSON.stringify(result));
  else console.log(terminalReport(result));
  log(`\nreport: ${join(dir, 'report.md')} (chart recommend-latency.svg, result.json)`);
  const errors = result.recommend.reduce((s, r) => s + r.errors, 0) + result.insights.reduce((s, r) => s + r.errors, 0) + (result.soak?.errors ?? 0);
  if (errors) log(`bench: ${errors} requests failed`);
  return errors ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
