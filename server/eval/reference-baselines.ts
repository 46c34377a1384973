import { binaryMatrix, easeBaseline, interactions, rp3Baseline } from './baselines.js';
import { ndcgAt } from './metrics.js';
import { splitTriples } from './split.js';
import type { Triple } from './triples.js';
import { ease, easeItems, gram } from '../recommend/learn/ease.js';

/** Grids searched on the validation split (carved from training with seed + 1, never test). */
export const referenceGrids = { rp3Beta: [0.1, 0.2, 0.3, 0.5], easeLambda: [50, 200, 800], easeMaxItems: 8000 };

export interface ReferenceRun {
  lists: Map<string, string[]>;
  /** The setting chosen on validation and the validation NDCG of each tried. */
  chosen: number;
  validation: Record<string, number>;
  /** Cost of the final fit on the training split. */
  seconds: number;
  memory_mb: number;
  items?: number;
}

function meanNdcg(lists: Map<string, string[]>, heldOut: Map<string, Set<string>>, k: number): number {
  let sum = 0;
  for (const [u, rel] of heldOut) sum += ndcgAt(lists.get(u) ?? [], rel, k);
  return heldOut.size ? sum / heldOut.size : 0;
}

/**
 * RP3β and EASE^R on the same split as ours, each with its one hyper-parameter (β, λ) chosen
 * on a validation split carved out of the training rows (the protocol's split, seed + 1), then
 * refitted on all training rows. EASE is learned over the products with ≥ 2 training
 * consumers, at most the 8,000 most engaged.
 */
export function referenceBaselines(
  train: readonly Triple[],
  users: readonly string[],
  k: number,
  strong: readonly string[],
  holdout: number,
  seed: number,
  log: (line: string) => void,
): { rp3beta: ReferenceRun; ease: ReferenceRun } {
  const val = splitTriples(train, strong, holdout, seed + 1);
  const xv = binaryMatrix(interactions(val.train, strong));
  const valUsers = [...val.test.keys()];
  const x = binaryMatrix(interactions(train, strong));

  const rp3Val: Record<string, number> = {};
  let bestBeta = referenceGrids.rp3Beta[0]!;
  for (const beta of referenceGrids.rp3Beta) {
    rp3Val[`beta=${beta}`] = meanNdcg(rp3Baseline(xv, valUsers, k, { beta }), val.test, k);
    if (rp3Val[`beta=${beta}`]! > rp3Val[`beta=${bestBeta}`]!) bestBeta = beta;
  }
  log(`rp3beta: β ${bestBeta} chosen on validation (${JSON.stringify(rp3Val)})`);
  let t0 = performance.now();
  const rp3Lists = rp3Baseline(x, users, k, { beta: bestBeta });
  const rp3 = { lists: rp3Lists, chosen: bestBeta, validation: rp3Val, seconds: (performance.now() - t0) / 1000, memory_mb: (x.items.length * 100 * 8) / 2 ** 20 };

  const vItems = easeItems(xv, referenceGrids.easeMaxItems);
  const vGram = gram(xv, vItems);
  const easeVal: Record<string, number> = {};
  let bestLambda = referenceGrids.easeLambda[0]!;
  for (const lambda of referenceGrids.easeLambda) {
    const t = performance.now();
    easeVal[`lambda=${lambda}`] = meanNdcg(easeBaseline(xv, valUsers, k, ease(xv, vItems, lambda, vGram)), val.test, k);
    log(`ease: validation λ ${lambda} over ${vItems.length} products: ndcg ${easeVal[`lambda=${lambda}`]!.toFixed(4)} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    if (easeVal[`lambda=${lambda}`]! > easeVal[`lambda=${bestLambda}`]!) bestLambda = lambda;
  }
  t0 = performance.now();
  const items = easeItems(x, referenceGrids.easeMaxItems);
  const model = ease(x, items, bestLambda);
  const easeLists = easeBaseline(x, users, k, model);
  const easeRun = {
    lists: easeLists,
    chosen: bestLambda,
    validation: easeVal,
    seconds: (performance.now() - t0) / 1000,
    memory_mb: model.b.byteLength / 2 ** 20,
    items: items.length,
  };
  log(`ease: λ ${bestLambda} over ${items.length} products in ${easeRun.seconds.toFixed(1)} s, ${easeRun.memory_mb.toFixed(0)} MB`);
  return { rp3beta: rp3, ease: easeRun };
}
