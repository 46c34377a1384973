import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { convertMovieLens, defaultMovieLensInputs, findMovieLensInput } from './convert.js';

const usage = 'usage: npm run seed:movielens -- --out DIR [--input MOVIELENS_DIR]   (default input ../shared/data/movielens-small from the repo root)';

/** `npm run seed:movielens`: MovieLens latest-small → triple and entity files. */
function main(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, input: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`seed:movielens: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }
  if (!args.out) {
    console.error(`seed:movielens: --out DIR is required\n${usage}`);
    return 2;
  }
  const input = args.input ? resolve(args.input) : findMovieLensInput();
  if (!input) {
    console.error(`seed:movielens: MovieLens not found in ${defaultMovieLensInputs().join(' or ')}; pass --input`);
    return 2;
  }
  const out = resolve(args.out);
  const t0 = performance.now();
  console.error(`seed:movielens: converting ${input} → ${out}`);
  try {
    const c = convertMovieLens(input, out);
    const skipped = Object.entries(c.skipped).map(([why, n]) => `${n} × ${why}`).join(', ');
    console.log(
      `seed:movielens: ${c.triples} triples (${c.purchased} PURCHASED, ${c.viewed} VIEWED, ${c.interestedIn} INTERESTED_IN, ` +
        `${c.relatesToTag + c.relatesToGenre} RELATES_TO), ${c.movies} movies, ${c.interests.tags} tag and ${c.interests.genres} genre interests, ` +
        `${c.users} users in ${((performance.now() - t0) / 1000).toFixed(1)} s${skipped ? `; skipped ${skipped}` : ''}. ` +
        `Research, non-commercial use only (GroupLens terms in ${out}/README.md).`,
    );
  } catch (error) {
    console.error(`seed:movielens: ${(error as Error).message}`);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
