/**
 * NDCG@k (binary relevance) of the k best-scored entries of a dense score row, `own` left
 * out; the ideal DCG counts min(k, relevant) hits, with `relevantCount` from the caller's set.
 */
export function ndcgAtK(scores: Float64Array, own: ReadonlySet<number>, isRelevant: (j: number) => boolean, k: number, relevantCount?: number): number {
  const top = topK(scores, own, k);
  let dcg = 0;
  let hits = 0;
  top.forEach((j, r) => {
    if (isRelevant(j)) {
      dcg += 1 / Math.log2(r + 2);
      hits++;
    }
  });
  let rel = relevantCount;
  if (rel === undefined) {
    rel = 0;
    for (let j = 0; j < scores.length; j++) if (isRelevant(j)) rel++;
  }
  let ideal = 0;
  for (let r = 0; r < Math.min(k, rel); r++) ideal += 1 / Math.log2(r + 2);
  void hits;
  return ideal ? dcg / ideal : 0;
}

/** Indices of the k largest positive scores, largest first, `own` left out. */
export function topK(scores: Float64Array, own: ReadonlySet<number>, k: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < scores.length; j++) {
    const s = scores[j]!;
    if (!(s > 0) || own.has(j)) continue;
    if (best.length < k) {
      best.push(j);
      for (let p = best.length - 1; p > 0 && scores[best[p]!]! > scores[best[p - 1]!]!; p--) [best[p], best[p - 1]] = [best[p - 1]!, best[p]!];
    } else if (s > scores[best[k - 1]!]!) {
      best[k - 1] = j;
      for (let p = k - 1; p > 0 && scores[best[p]!]! > scores[best[p - 1]!]!; p--) [best[p], best[p - 1]] = [best[p - 1]!, best[p]!];
    }
  }
  return best;
}
