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
  /** Say of sameness and near-duplication against relevance at exploration 1 (settings.ts). */
  diversity: number;
}

/** How many of the strongest candidates exploration may choose from. */
export function poolSize(first: number, exploration: number): number {
  return Math.ceil(first * (1 + 4 * exploration));
}

/**
 * The popularity exponent at `exploration`: the base β plus `exploreBeta` · e^`explorePower`
 * (the power keeps small explorations cheap while 1 stays the most novel).
 * Raising it is what trades popularity for novelty and catalogue coverage: hubs are
 * discounted harder, so long-tail products backed by the same strong paths move up, and the
 * candidate pool itself (the query's LIMIT) is chosen at that β.
 */
export function explorationBeta(s: { beta: number; exploreBeta: number; explorePower?: number }, exploration: number): number {
  return s.beta + s.exploreBeta * Math.min(1, Math.max(0, exploration)) ** (s.explorePower ?? 1);
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const set = new Set(a);
  let both = 0;
  for (const x of b) if (set.has(x)) both++;
  return both / (set.size + b.length - both);
}

/**
 * MMR-style re-rank of candidates already scored at `explorationBeta`. At exploration 0 the
 * order is the score order. Higher values give weight `diversity`·e to novelty of kind
 * (share of the candidate's interests the consumer has not engaged with) minus its
 * similarity to what is already chosen (interest Jaccard), against relevance
 * (1 − diversity·e). Popularity is not scored here: the higher β already discounted it, and
 * a pool-relative popularity term pulled every consumer towards the same few "different"
 * items, which lowered catalogue coverage. Only the `poolSize` strongest candidates compete,
 * so every result keeps a strong path.
 */
export function rerank<T extends Candidate>(candidates: readonly T[], o: ExploreOptions): T[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const e = Math.min(1, Math.max(0, o.exploration));
  if (e === 0) return sorted.slice(0, o.first);
  const pool = sorted.slice(0, poolSize(o.first, e));
  const maxScore = pool[0]?.score || 1;
  const novelty = new Map<T, number>();
  for (const c of pool) {
    const same = c.interests.length ? c.interests.filter((i) => o.profile.has(i)).length / c.interests.length : 0;
    novelty.set(c, 1 - same);
  }
  const lambda = Math.min(1, Math.max(0, o.diversity)) * e;
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
