import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateGeneric } from './run-generic.js';
import { sizesForTriples } from './synthetic.js';

const usage =
  'usage: npm run seed:generate -- --out DIR [--triples N | --consumers N --products M --interests K] [--seed S] [--quiet]';

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new Error(`--${name} must be a positive integer, got "${value}"`);
  }
  return Number(value);
}

/** `npm run seed:generate`: a generated graph with ground truth, independent of any server. */
function main(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        consumers: { type: 'string' },
        products: { type: 'string' },
        interests: { type: 'string' },
        triples: { type: 'string' },
        seed: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`seed:generate: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }
  let sizes;
  let seed;
  try {
    if (!args.out) throw new Error('--out DIR is required');
    const triples = positiveInt('triples', args.triples);
    const base = triples !== undefined ? sizesForTriples(triples) : { consumers: 2000, products: 300, interests: 150 };
    sizes = {
      consumers: positiveInt('consumers', args.consumers) ?? base.consumers,
      products: positiveInt('products', args.products) ?? base.products,
      interests: positiveInt('interests', args.interests) ?? base.interests,
    };
    seed = args.seed === undefined ? 42 : Number(args.seed);
    if (!/^-?\d+$/.test(args.seed ?? '42') || !Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got "${args.seed}"`);
  } catch (error) {
    console.error(`seed:generate: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  const outDir = resolve(args.out);
  const t0 = performance.now();
  if (!args.quiet) {
    console.error(`seed:generate: ${sizes.consumers} consumers, ${sizes.products} products, ${sizes.interests} interests, seed ${seed} → ${outDir}`);
  }
  let result;
  try {
    result = generateGeneric({
      ...sizes,
      seed,
      outDir,
      onProgress: args.quiet
        ? undefined
        : (done, total, triples) =>
            console.error(`  ${done}/${total} consumers (${Math.round((100 * done) / total)}%), ${triples} triples, ${((performance.now() - t0) / 1000).toFixed(1)} s`),
    });
  } catch (error) {
    console.error(`seed:generate: ${(error as Error).message}`);
    return 1;
  }
  const seconds = (performance.now() - t0) / 1000;
  const gt = result.groundTruth;
  console.log(
    `seed:generate: wrote ${result.triples} triples and ${result.entities} entities in ${seconds.toFixed(1)} s ` +
      `(${gt.opportunities.length} opportunities, ${gt.demandLinks.length} demand links, ${gt.trends.length} trends, ` +
      `${gt.lookalikeGroups.length} lookalike groups in ${result.files.groundTruth})`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
