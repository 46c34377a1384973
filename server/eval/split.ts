import { seededRandom } from '../core/seeded-random.js';
import type { Triple } from './triples.js';

export interface Split {
  train: Triple[];
  /** Raw consumer id → held-out product ids. */
  test: Map<string, Set<string>>;
}

/**
 * The protocol's split: for every consumer with at least `minEdges` strong-engagement edges
 * (distinct products), `holdout` of them (rounded, at least one) are held out at random;
 * every other row stays in training. Rows of a held-out pair are all removed from training.
 */
export function splitTriples(triples: readonly Triple[], strongRelations: readonly string[], holdout: number, seed: number, minEdges = 5): Split {
  const random = seededRandom(seed);
  const byConsumer = new Map<string, string[]>();
  for (const t of triples) {
    if (!strongRelations.includes(t.relation) || t.subject_type !== 'Consumer') continue;
    const list = byConsumer.get(t.subject) ?? [];
    if (!list.includes(t.object)) list.push(t.object);
    byConsumer.set(t.subject, list);
  }
  const test = new Map<string, Set<string>>();
  for (const consumer of [...byConsumer.keys()].sort()) {
    const products = byConsumer.get(consumer)!.sort();
    if (products.length < minEdges) continue;
    for (let i = products.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [products[i], products[j]] = [products[j]!, products[i]!];
    }
    const n = Math.max(1, Math.round(products.length * holdout));
    test.set(consumer, new Set(products.slice(0, n)));
  }
  const train = triples.filter((t) => !(t.subject_type === 'Consumer' && strongRelations.includes(t.relation) && test.get(t.subject)?.has(t.object)));
  return { train, test };
}

/** Held-out pairs from a `--test` CSV (header consumer,product). */
export function testPairs(rows: readonly Record<string, string>[], file: string): Map<string, Set<string>> {
  const test = new Map<string, Set<string>>();
  rows.forEach((r, i) => {
    if (!r.consumer || !r.product) throw new Error(`${file}:${i + 2}: needs consumer and product columns`);
    const set = test.get(r.consumer) ?? new Set<string>();
    set.add(r.product);
    test.set(r.consumer, set);
  });
  return test;
}
