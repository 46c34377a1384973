import { generate, type GenerateResult } from './generate.js';
import { Rng } from './random.js';
import { genericBehaviour, MIN_SIZES, syntheticCatalog, syntheticStories } from './synthetic.js';

export interface GenericOptions {
  consumers: number;
  products: number;
  interests: number;
  seed: number;
  outDir: string;
  onProgress?: (done: number, total: number, triples: number) => void;
}

/**
 * Generates a graph of the given sizes with planted stories into `outDir` (entities.csv,
 * triples.csv, ground-truth.json). Deterministic for a seed. Used by `npm run seed:generate`
 * and importable by benchmarks and tests.
 */
export function generateGeneric(o: GenericOptions): GenerateResult {
  for (const key of ['consumers', 'products', 'interests'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < MIN_SIZES[key]) {
      throw new Error(`--${key} must be an integer ≥ ${MIN_SIZES[key]} (the planted stories need room), got ${o[key]}`);
    }
  }
  // Catalog and stories get their own stream, so their draws do not shift with the consumer count.
  const rng = new Rng(o.seed ^ 0x5eed);
  const catalog = syntheticCatalog(rng, o.products, o.interests);
  const stories = syntheticStories(rng, catalog, o.consumers);
  return generate({
    mode: 'generic',
    seed: o.seed,
    consumers: o.consumers,
    catalog,
    stories,
    behaviour: genericBehaviour,
    outDir: o.outDir,
    onProgress: o.onProgress,
  });
}
