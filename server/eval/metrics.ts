/** Offline ranking metrics of the contract's evaluation protocol (binary relevance). */

/** Hits in the top k over the held-out count. */
export function recallAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (!relevant.size) return 0;
  return ranked.slice(0, k).filter((x) => relevant.has(x)).length / relevant.size;
}

/** Hits in the top k over k. */
export function precisionAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return ranked.slice(0, k).filter((x) => relevant.has(x)).length / k;
}

/** DCG of the top k (gain 1 per hit at rank r: 1/log2(r+1)) over the best possible DCG. */
export function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((x, i) => {
    if (relevant.has(x)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal ? dcg / ideal : 0;
}

/**
 * Mean −log2 of each recommended item's share of consumers (items nobody engaged with count
 * as one consumer, so a never-seen item is as novel as the rarest seen one).
 */
export function novelty(lists: readonly (readonly string[])[], consumersOf: ReadonlyMap<string, number>, totalConsumers: number): number {
  let sum = 0;
  let n = 0;
  for (const list of lists) {
    for (const item of list) {
      sum += -Math.log2(Math.max(1, consumersOf.get(item) ?? 0) / totalConsumers);
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** Distinct recommended items over all items. */
export function coverage(lists: readonly (readonly string[])[], totalItems: number): number {
  const distinct = new Set(lists.flat());
  return totalItems ? distinct.size / totalItems : 0;
}

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Scores {
  users: number;
  recall: number;
  ndcg: number;
  precision: number;
  coverage: number;
  novelty: number;
}

/** Means of recall, NDCG and precision over consumers, plus coverage and novelty of all lists. */
export function score(
  lists: ReadonlyMap<string, readonly string[]>,
  heldOut: ReadonlyMap<string, ReadonlySet<string>>,
  k: number,
  catalogue: { items: number; consumers: number; consumersOf: ReadonlyMap<string, number> },
): Scores {
  let recall = 0;
  let ndcg = 0;
  let precision = 0;
  for (const [user, relevant] of heldOut) {
    const ranked = lists.get(user) ?? [];
    recall += recallAt(ranked, relevant, k);
    ndcg += ndcgAt(ranked, relevant, k);
    precision += precisionAt(ranked, relevant, k);
  }
  const n = heldOut.size || 1;
  const all = [...lists.values()].map((l) => l.slice(0, k));
  return {
    users: heldOut.size,
    recall: recall / n,
    ndcg: ndcg / n,
    precision: precision / n,
    coverage: coverage(all, catalogue.items),
    novelty: novelty(all, catalogue.consumersOf, catalogue.consumers),
  };
}
