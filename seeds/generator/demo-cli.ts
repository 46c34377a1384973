import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemo } from './demo.js';

const usage = 'usage: npm run seed:demo [-- --out DIR]   (regenerates seeds/demo byte for byte)';
const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(usage);
} else if (argv.length !== 0 && !(argv.length === 2 && argv[0] === '--out')) {
  console.error(`seed:demo: unexpected arguments ${argv.join(' ')}\n${usage}`);
  process.exitCode = 2;
} else {
  const out = argv[1] ? resolve(argv[1]) : join(dirname(fileURLToPath(import.meta.url)), '..', 'demo');
  const t0 = performance.now();
  const r = generateDemo(out);
  const by = Object.entries(r.groundTruth.counts.byRelation).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`seed:demo: ${r.triples} triples (${by}), ${r.entities} entities → ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
