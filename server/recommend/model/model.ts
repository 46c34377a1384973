import type { ItemLists } from '../learn/sparse.js';

/**
 * The learned recommendation model as one API process holds it: every array is typed and
 * indexed by product (or interest) position, so serving is arithmetic on arrays. Built by
 * `learnModel` at refresh time, stored in Neo4j as a version (store.ts), loaded by each
 * process (holder.ts). Immutable once built: a hot swap replaces the whole object.
 */
export interface RecommendModel {
  version: string;
  builtAt: string;
  /** Product ids, names, English names ('' when none) and consumers per product. */
  items: string[];
  names: string[];
  namesEn: string[];
  /** Each product's other properties as the Entity's `properties` JSON ('' when none). */
  props: string[];
  consumers: Int32Array;
  /**
   * Per product, how many consumers have it among their strongest candidates (pool-exposure.ts,
   * estimated at build from a sample); absent in versions stored before it, and 0 for products
   * an incremental update added since the build.
   */
  poolExposure?: Float32Array;
  /** Product → its learned neighbours (EASE^R over the most engaged products plus RP3β). */
  collab: ItemLists;
  /** Product → interests it relates to (indices into `interests`), strongest first. */
  itemInterests: { ptr: Int32Array; idx: Int32Array };
  /** Interest ids and names. */
  interests: string[];
  interestNames: string[];
  /** English interest names ('' when none). */
  interestNamesEn: string[];
  /**
   * The taxonomy around each interest (item side, so in the model, not read per request):
   * `narrower[t]` the interests under t, `broader[t]` those above it, each with the index of
   * its relation in `relNames`, at most `taxonomyTop` each.
   */
  narrower: LinkLists;
  broader: LinkLists;
  /** Product → the graph's product–product links (SIMILAR_TO role), damped weight over the product's total. */
  similar: ItemLists & { rel: Int32Array };
  /** Relation names the link lists point into. */
  relNames: string[];
  /** Interest → its products, weighted (damped weight over the interest's total, popularity-discounted). */
  interestItems: ItemLists;
  /** Family weights learned on the refresh's validation split, and the popularity exponents. */
  weights: ModelWeights;
  /** Whether views lead to purchases here (then a viewed product may be recommended again). */
  revisitViewed: boolean;
  /** How it was learned: sizes, choices and validation figures, for logs and the README. */
  info: Record<string, number | string>;
  /** Derived lookups (not stored). */
  itemIndex: Map<string, number>;
  interestIndex: Map<string, number>;
}

/** Compressed rows of (index, relation) pairs. */
export interface LinkLists {
  ptr: Int32Array;
  idx: Int32Array;
  rel: Int32Array;
}

export interface ModelWeights {
  /** Interest family (the consumer's interests and their narrower/broader ones) against collab 1. */
  interest: number;
  /** Profile family: interests of the consumer's own products. */
  profile: number;
  /** Social family: what followed consumers engaged with. */
  social: number;
  /** Popularity exponent at exploration 0 and its rise at exploration 1. */
  beta: number;
  exploreBeta: number;
  /** Say of unfamiliar interests and dissimilarity in the re-rank at exploration 1 (explore.ts). */
  diversity: number;
}

/** Adds the lookups a stored model does not carry. */
export function withIndexes(m: Omit<RecommendModel, 'itemIndex' | 'interestIndex'>): RecommendModel {
  return { ...m, itemIndex: new Map(m.items.map((id, i) => [id, i])), interestIndex: new Map(m.interests.map((id, i) => [id, i])) };
}

/** Bytes the model's arrays take in the process (typed arrays exactly, strings estimated). */
export function modelBytes(m: RecommendModel): number {
  const typed = [
    ...[m.consumers, ...(m.poolExposure ? [m.poolExposure] : []), m.collab.ptr, m.collab.nbr, m.collab.w, m.itemInterests.ptr, m.itemInterests.idx, m.interestItems.ptr, m.interestItems.nbr, m.interestItems.w],
    ...[m.narrower.ptr, m.narrower.idx, m.narrower.rel, m.broader.ptr, m.broader.idx, m.broader.rel, m.similar.ptr, m.similar.nbr, m.similar.w, m.similar.rel],
  ];
  let bytes = typed.reduce((s, a) => s + a.byteLength, 0);
  for (const list of [m.items, m.names, m.namesEn, m.props, m.interests, m.interestNames, m.interestNamesEn]) for (const s of list) bytes += 40 + 2 * s.length;
  // The two lookup maps: about 80 bytes an entry in V8.
  bytes += 80 * (m.items.length + m.interests.length);
  return bytes;
}
