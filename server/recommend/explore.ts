/** One candidate for the exploration re-rank. */
export interface Candidate {
  key: string;
  score: number;
  /** Consumers linked to it (popularity). */
  consumers: number;
  /** Interests it relates to (its "category"). */
  interests: string[];
}

export interface ExploreOptions {
  first: number;
  /** 0 = most accurate … 1 = most novel and diverse. */
  exploration: number;
  /** Interests the consumer already engaged with (their own and their products'). */
  profile: ReadonlySet<string>;
}

/** How many of the strongest candidates exploration may choose from. */
export function poolSize(first: number, exploration: number): number {
  return Math.ceil(first * (1 + 4 * exploration));
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const set = new Set(a);
  let both = 0;
  for (const x of b) if (set.has(x)) both++;
  return both / (set.size + b.length - both);
}

/**
 * MMR-style re-rank. At exploration 0 the order is the score order. Higher values weigh, with
 * weight 0.7·e, novelty (low popularity, interests the consumer has not engaged with) and
 * dissimilarity to what is already chosen (interest Jaccard) against relevance (1 − 0.7·e). Only
 * the `poolSize` strongest candidates compete, so every result keeps a strong path.
 */
export function rerank<T extends Candidate>(candidates: readonly T[], o: ExploreOptions): T[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const e = Math.min(1, Math.max(0, o.exploration));
  if (e === 0) return sorted.slice(0, o.first);
  const pool = sorted.slice(0, poolSize(o.first, e));
  const maxScore = pool[0]?.score || 1;
  const maxPop = Math.log1p(Math.max(1, ...pool.map((c) => c.consumers)));
  const novelty = new Map<T, number>();
  for (const c of pool) {
    const popularity = Math.log1p(c.consumers) / maxPop;
    const same = c.interests.length ? c.interests.filter((i) => o.profile.has(i)).length / c.interests.length : 0;
    novelty.set(c, 1 - (popularity + same) / 2);
  }
  // Relevance keeps at least 30 % of the say even at 1, so a result never rests on novelty alone.
  const lambda = 0.7 * e;
  const chosen: T[] = [];
  const left = new Set(pool);
  while (chosen.length < o.first && left.size) {
    let best: T | undefined;
    let bestValue = -Infinity;
    for (const c of left) {
      let sim = 0;
      for (const s of chosen) sim = Math.max(sim, jaccard(c.interests, s.interests));
      const value = (1 - lambda) * (c.score / maxScore) + lambda * (novelty.get(c)! - sim);
      if (value > bestValue) {
        bestValue = value;
        best = c;
      }
    }
    chosen.push(best!);
    left.delete(best!);
  }
  return chosen;
}
