import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateGeneric } from '../seeds/generator/run-generic.js';
import { sizesForTriples } from '../seeds/generator/synthetic.js';
import { splitTriples } from '../server/eval/split.js';
import { readDataFiles } from '../server/eval/triples.js';

export interface BenchData {
  /** Rows the generator wrote (the size the run is labelled with). */
  generated: number;
  /** Folder with the training split (triples.csv, entities.csv) that every loader reads. */
  trainDir: string;
  trainTriplesFile: string;
  trainTriples: number;
  /** Raw consumer id → held-out product ids (the protocol's split: PURCHASED, 20 %, seed 42). */
  test: Map<string, Set<string>>;
  consumers: number;
  products: number;
  interests: number;
  reused: boolean;
}

const HOLDOUT = 0.2;
const SPLIT_SEED = 42;
const COLUMNS = ['subject', 'subject_type', 'relation', 'object', 'object_type', 'weight', 'timestamp', 'source'] as const;
const cell = (v: string | undefined) => (v === undefined ? '' : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function writeCsv(file: string, rows: Iterable<Record<string, string | undefined>>): Promise<number> {
  const out = createWriteStream(file);
  let n = 0;
  let chunk = COLUMNS.join(',') + '\n';
  const flush = () => (out.write(chunk) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  for (const row of rows) {
    chunk += COLUMNS.map((c) => cell(row[c])).join(',') + '\n';
    n++;
    if (chunk.length > 1 << 20) {
      await flush();
      chunk = '';
    }
  }
  await flush();
  await new Promise<void>((r) => out.end(r));
  return n;
}

/**
 * The benchmark's graph: the seeds generator's graph of about `triples` rows (seed 42) in
 * `dir`, split as the evaluation protocol splits (PURCHASED edges of consumers with ≥ 5 of
 * them, 20 % held out, seed 42). Both steps are skipped when `dir` already holds their output,
 * so `--keep DIR` makes reruns start at the database.
 */
export async function prepareBenchData(triples: number, dir: string, log: (line: string) => void): Promise<BenchData> {
  const sizes = sizesForTriples(triples);
  const genDir = join(dir, `seeds-${triples}`);
  const trainDir = join(dir, `train-${triples}`);
  const meta = join(trainDir, 'split.json');
  if (existsSync(meta)) {
    const saved = JSON.parse(readFileSync(meta, 'utf8')) as { generated: number; trainTriples: number; test: [string, string[]][] };
    log(`reusing the graph and split in ${trainDir}`);
    return {
      generated: saved.generated,
      trainDir,
      trainTriplesFile: join(trainDir, 'triples.csv'),
      trainTriples: saved.trainTriples,
      test: new Map(saved.test.map(([c, ps]) => [c, new Set(ps)])),
      ...sizes,
      reused: true,
    };
  }
  let generated: number;
  if (existsSync(join(genDir, 'ground-truth.json'))) {
    generated = readFileSync(join(genDir, 'triples.csv'), 'utf8').split('\n').length - 2;
    log(`reusing the generated graph in ${genDir}`);
  } else {
    log(`generating ~${triples} triples (${sizes.consumers} consumers, ${sizes.products} products, ${sizes.interests} interests)…`);
    const t0 = Date.now();
    generated = generateGeneric({ ...sizes, seed: 42, outDir: genDir }).triples;
    log(`  ${generated} triples in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const data = readDataFiles([join(genDir, 'triples.csv')]);
  const { train, test } = splitTriples(data.triples, ['PURCHASED'], HOLDOUT, SPLIT_SEED);
  mkdirSync(trainDir, { recursive: true });
  copyFileSync(join(genDir, 'entities.csv'), join(trainDir, 'entities.csv'));
  const trainTriples = await writeCsv(join(trainDir, 'triples.csv'), train as unknown as Record<string, string | undefined>[]);
  writeFileSync(meta, JSON.stringify({ generated, trainTriples, test: [...test].map(([c, ps]) => [c, [...ps]]) }));
  log(`  split: ${trainTriples} training triples, ${test.size} consumers with held-out purchases`);
  return { generated, trainDir, trainTriplesFile: join(trainDir, 'triples.csv'), trainTriples, test, ...sizes, reused: false };
}
