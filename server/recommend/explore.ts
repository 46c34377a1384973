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
  /**
   * Dithering at exploration 1 (settings.ts `exploreNoise`): each candidate's relevance is
   * multiplied by e^(noise·e·g), g a Gumbel draw fixed by (`seed`, candidate key). Close
   * scores trade places, clear leaders stay; every consumer draws differently, so the same
   * strong pool yields different items across consumers (catalogue coverage), and the same
   * consumer always gets the same answer. 0 or no seed: no dithering.
   */
  noise?: number;
  /** Pool growth at exploration 1 (`poolSize`; settings.ts `explorePool`). */
  poolGrowth?: number;
  /** Who the results are for (the consumer's stored id, or the source entity's key). */
  seed?: string;
}

/** A Gumbel(0, 1) draw fixed by two strings (FNV-1a, then a murmur3 finaliser, to a uniform in (0, 1)). */
export function gumbel(seed: string, key: string): number {
  let h = 0x811c9dc5;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  };
  mix(seed);
  h = Math.imul(h ^ 0xff, 0x01000193);
  mix(key);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  const u = ((h >>> 0) + 0.5) / 2 ** 32;
  return -Math.log(-Math.log(u));
}

/** How many of the strongest candidates exploration may choose from: `first` · (1 + growth · exploration). */
export function poolSize(first: number, exploration: number, growth = 4): number {
  return Math.ceil(first * (1 + growth * Math.min(1, Math.max(0, exploration))));
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
  const pool = sorted.slice(0, poolSize(o.first, e, o.poolGrowth));
  const sigma = o.seed ? Math.max(0, o.noise ?? 0) * e : 0;
  const relevance = new Map<T, number>();
  for (const c of pool) relevance.set(c, sigma > 0 ? c.score * Math.exp(sigma * gumbel(o.seed!, c.key)) : c.score);
  let maxScore = 0;
  for (const r of relevance.values()) maxScore = Math.max(maxScore, r);
  maxScore ||= 1;
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
      const value = (1 - lambda) * (relevance.get(c)! / maxScore) + lambda * (novelty.get(c)! - sim);
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
