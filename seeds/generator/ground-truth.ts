/**
 * The ground-truth file the generator writes beside its output (ground-truth.json): what was
 * planted and what the written files measurably show. Consumer ids are the raw ids of the files
 * (the loader pseudonymises them; pass them to the API as they are). Documented in seeds/README.md.
 */

/** Half-open period of ISO dates: from inclusive, to exclusive (both at 00:00 UTC). */
export interface TrendPeriod {
  from: string;
  to: string;
}

export interface EntityRef {
  type: 'Interest' | 'Product';
  id: string;
}

export interface GroundTruthOpportunity {
  id: string;
  label: string;
  /** Interest ids of the combination (two or three). */
  interests: string[];
  /** Consumers given every interest of the combination on top of the background. */
  plantedConsumers: number;
  /** Products planted to relate to all of the interests (weak supply), often none. */
  servingProducts: string[];
  measured: {
    /** Consumers interested in all of them in the files (planted plus background). */
    consumers: number;
    /** consumers / (product of each interest's consumer share), over all consumers. */
    lift: number;
    interestConsumers: number[];
    /** Every product that RELATES_TO all of the interests in the files. */
    servingProducts: string[];
    /** Consumers engaged (PURCHASED or VIEWED) with those products, summed. */
    servingProductConsumers: number;
  };
}

export interface GroundTruthDemandLink {
  label: string;
  source: EntityRef;
  target: EntityRef;
  /** Planted share of the source's consumers that were given the target. */
  strength: number;
  /** The contract's DemandLink figures over consumers, measured on the files. */
  measured: {
    sourceConsumers: number;
    support: number;
    confidence: number;
    lift: number;
    /** 1-based rank of the target among all entities of its type with support ≥ 5 for this source. */
    rankByLift: number;
    rankByConfidence: number;
    /** The same ranks among targets outside the source's cluster (sector): the cross-category view. */
    crossClusterRankByLift: number;
    crossClusterRankByConfidence: number;
  };
}

export interface GroundTruthTrend {
  label: string;
  interest: string;
  periodA: TrendPeriod;
  periodB: TrendPeriod;
  /** Planted ratio of the interest's new INTERESTED_IN rows in period B to period A. */
  growth: number;
  /** Consumers given the interest on top of the background (their rows follow the same timing). */
  extraConsumers: number;
  measured: { countA: number; countB: number; growth: number };
}

export interface GroundTruthLookalikeGroup {
  id: string;
  label: string;
  /** Raw consumer ids to start from. */
  seeds: string[];
  /** Raw consumer ids of the rest of the group (seeds not included): what a lookalike search should find. */
  members: string[];
  signatureProducts: string[];
  signatureInterests: string[];
  /** Mean over seeds of the share of members among the seed's |members| nearest consumers (Jaccard of their engaged products and interests). */
  measured: { recallAtSize: number };
}

/** How a multi-id person's ids are linked in the files. */
export type PersonLink = 'same-as' | 'phone' | 'both';

/** One person under several raw consumer ids (demo seeds, issue 18). */
export interface GroundTruthPerson {
  id: string;
  /** Raw ids, CRM first: the CRM member id (the generator's consumer), the social openid, the loyalty card. */
  ids: string[];
  /** The system of each id, in the order of `ids`. */
  sources: string[];
  /**
   * `same-as`: SAME_AS rows only; `phone`: the same phone on each id's Consumer entity row only;
   * `both`: SAME_AS joins the CRM and social ids, the phone the social and loyalty ids (neither alone
   * joins all three), and the CRM id has a phone of its own.
   */
  linkedBy: PersonLink;
}

export interface GroundTruth {
  format: 'kg-seeds-ground-truth/1';
  mode: 'demo' | 'generic';
  seed: number;
  params: { consumers: number; products: number; interests: number };
  window: TrendPeriod;
  files: { entities: string; triples: string; consumers?: string; schema?: string };
  counts: { triples: number; byRelation: Record<string, number>; entities: Record<string, number> };
  clusters: Array<{ id: string; name: string; nameEn: string; interests: string[] }>;
  segments: Array<{ id: string; name: string; nameEn: string; consumers: number; clusters: Array<{ id: string; share: number }> }>;
  opportunities: GroundTruthOpportunity[];
  demandLinks: GroundTruthDemandLink[];
  trends: GroundTruthTrend[];
  lookalikeGroups: GroundTruthLookalikeGroup[];
  /**
   * Demo only: the people behind the consumer ids. Every other raw id is a person of its own.
   * The planted figures above are over persons (a person's rows, across its ids, count once).
   */
  persons?: {
    /** Persons in the files (multi-id ones and all other consumers). */
    total: number;
    /** The schema file's `consumerIdentifiers`. */
    identifierColumns: string[];
    linkedBy: Record<PersonLink, number>;
    multiId: GroundTruthPerson[];
  };
}
