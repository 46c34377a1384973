/** What the generator draws from: interest clusters, interests, products and consumer segments. */

export interface Cluster {
  id: string;
  name: string;
  nameEn: string;
}

export interface CatalogInterest {
  id: string;
  name: string;
  nameEn: string;
  cluster: number;
  /** Index of the parent interest (SUBTOPIC_OF), or null for a cluster root. */
  parent: number | null;
}

export interface CatalogProduct {
  id: string;
  name: string;
  nameEn: string;
  cluster: number;
  /** Interest indices it RELATES_TO, the first being its main one. */
  interests: number[];
}

export interface Segment {
  id: string;
  name: string;
  nameEn: string;
  /** Relative size. */
  weight: number;
  /** [cluster index, share of the segment's interests drawn from it]. */
  clusters: Array<[number, number]>;
}

/**
 * Interests and products are listed most popular first inside each cluster: the generator's
 * power-law draws prefer low positions.
 */
export interface Catalog {
  clusters: Cluster[];
  interests: CatalogInterest[];
  products: CatalogProduct[];
  segments: Segment[];
}

/** A reference to a catalog entry by index. */
export type Ref = { type: 'Interest'; index: number } | { type: 'Product'; index: number };

/** The stories planted on top of the background behaviour. */
export interface StorySpec {
  opportunities: Array<{
    label: string;
    interests: number[];
    /** Consumers given all of these interests. */
    consumers: number;
    /** Products given RELATES_TO all of these interests (little engaged with). */
    servingProducts: number[];
  }>;
  /** Applied in order, so chains (A → B, then B → C) carry through. */
  demandLinks: Array<{ label: string; source: Ref; target: Ref; strength: number }>;
  /** `extraConsumers` more consumers get the interest, on the same trend timing. */
  trends: Array<{ label: string; interest: number; growth: number; extraConsumers: number }>;
  lookalikes: Array<{
    label: string;
    size: number;
    seeds: number;
    products: number[];
    interests: number[];
  }>;
}

/** Behaviour volumes per consumer (means of the draws). */
export interface BehaviourParams {
  interestsMean: number;
  purchasesMean: number;
  viewsMean: number;
  followsMean: number;
  /** Share of a consumer's interests drawn from its segment's clusters. */
  segmentFocus: number;
  /** Share of engagement anchored on one of the consumer's interests (else global popularity). */
  interestAnchoring: number;
  /** Power-law skew of interest and influencer popularity draws (1 = uniform). */
  skew: number;
  /** Power-law skew of product popularity draws among an interest's products. */
  productSkew: number;
  /** Power-law skew of the draws over all products (the bestsellers' pull). */
  globalSkew: number;
  /** Share of products with a SIMILAR_TO link. */
  similarShare: number;
}
