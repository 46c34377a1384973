// Shapes of the API answers the explorer reads (see CONTRACT.md, GraphQL section). Extra fields
// a server adds are tolerated and ignored unless named here.

export interface ApiEntity {
  key: string;
  id: string;
  type: string;
  name: string;
  nameEn?: string | null;
  /** Further properties as a JSON object string. */
  properties?: string | null;
  /** Consumers on a server with identity stitching: the person ("p_…") and how many ids it has. */
  person?: string | null;
  personIds?: number | null;
}

export interface ApiEdge {
  source: string;
  target: string;
  relation: string;
  weight: number;
  /** First and last timestamp (Unix seconds), when the server's Edge offers them. */
  firstTs?: number | null;
  lastTs?: number | null;
}

export interface ApiSubgraph {
  nodes: ApiEntity[];
  edges: ApiEdge[];
  truncated: number;
}

export interface ApiPath {
  nodes: ApiEntity[];
  relations: string[];
  strength: number;
}

export interface ApiReason {
  path: ApiPath;
  share: number;
  text: string;
  textZh?: string | null;
}

export interface ApiRecommendation {
  entity: ApiEntity;
  score: number;
  reasons: ApiReason[];
}

export interface ApiDemandLink {
  entity: ApiEntity;
  support: number;
  confidence: number;
  lift: number;
  /** Further numeric figures the server offers (pmi, zScore, pValue, share…). */
  [figure: string]: unknown;
}

export interface ApiOpportunity {
  interests: ApiEntity[];
  consumers: number;
  lift: number;
  gapScore: number;
  closestProducts: ApiEntity[];
  [extra: string]: unknown;
}

export type Lang = 'en' | 'zh';

/** Data carried by a Cytoscape node of the explorer. */
export interface NodeData {
  id: string;
  key: string;
  type: string;
  entityId: string;
  name: string;
  nameEn: string | null;
  properties: string | null;
  label: string;
  /** Diameter in px, from degree or score (see sizing in elements.ts). */
  size: number;
  /** Recommendation or relevance score when one is known. */
  score?: number;
  /** Segment index for colour-by-segment, when the server offers segments. */
  segment?: number;
  /** A consumer's person ("p_…") and its number of ids, when the server stitches identities. */
  person?: string | null;
  personIds?: number | null;
  /** On a stitched person's node: the keys of its ids drawn as this one node. */
  personKeys?: string[];
  /** Set on the "+M more" badge of a capped expansion: the node it belongs to. */
  moreOf?: string;
  [k: string]: unknown;
}

/** Data carried by a Cytoscape edge of the explorer. */
export interface EdgeData {
  id: string;
  source: string;
  target: string;
  relation: string;
  weight: number;
  /** Line width in px, from weight. */
  width: number;
  /** Edge label shown on hover/highlight, e.g. "lift 3.2". */
  label?: string;
  /** True for edges that stand for a statistic (demand link, co-occurrence), not a stored relation. */
  derived?: boolean;
  [k: string]: unknown;
}

export interface NodeElement {
  group: 'nodes';
  data: NodeData;
  classes?: string;
  position?: { x: number; y: number };
}

export interface EdgeElement {
  group: 'edges';
  data: EdgeData;
  classes?: string;
}

export type GraphElement = NodeElement | EdgeElement;
