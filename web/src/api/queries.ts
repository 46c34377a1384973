import type { Capabilities } from './capabilities.js';

// Query strings, built from what the server offers (see capabilities.ts). Only contract
// arguments are sent; only fields the schema has are requested.

export const ENTITY = 'key id type name nameEn properties';

/**
 * The query as sent to this server: every Entity selection (ENTITY) also asks for the consumer's
 * person and its number of ids when the server stitches identities (`caps.entityPerson`); the
 * query strings stay the contract's for every other server.
 */
export function withServerEntityFields(query: string, caps: Pick<Capabilities, 'entityPerson'> | null): string {
  return caps?.entityPerson ? query.replaceAll(ENTITY, `${ENTITY} person personIds`) : query;
}
const PATH = `nodes { ${ENTITY} } relations strength`;
const RECOMMENDATION = `entity { ${ENTITY} } score reasons { share text textZh path { ${PATH} } }`;

export const searchQuery = `query Search($q: String!, $types: [EntityType!], $first: Int) {
  search(query: $q, types: $types, first: $first) { ${ENTITY} }
}`;

export const neighborhoodQuery = neighborhoodQueryFor(null);

/** The neighbourhood query; with the relations' timestamps when the server's Edge has them. */
export function neighborhoodQueryFor(caps: Pick<Capabilities, 'edgeTimes'> | null): string {
  return `query Neighborhood($id: ID!, $type: EntityType, $relations: [String!], $limit: Int) {
  neighborhood(id: $id, type: $type, depth: 1, relations: $relations, limit: $limit) {
    nodes { ${ENTITY} } edges { source target relation weight${caps?.edgeTimes ? ' firstTs lastTs' : ''} } truncated
  }
}`;
}

export const statsQuery = '{ stats { nodeCount relationshipCount byType { name count } byRelation { name count } } }';

/** One request with an aliased `entity` per key (deep links restore scenes with it). */
export function entitiesQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$id${i}: ID!, $t${i}: EntityType`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `e${i}: entity(id: $id${i}, type: $t${i}) { ${ENTITY} }`).join('\n');
  return `query Entities(${vars}) {\n${fields}\n}`;
}

/** Neighbour counts per relation: one aliased `neighborhood` with limit 1 per relation. */
export function relationCountsQuery(relations: string[]): string {
  const fields = relations
    .map((r, i) => `r${i}: neighborhood(id: $id, type: $type, depth: 1, relations: [${JSON.stringify(r)}], limit: 1) { truncated nodes { key } }`)
    .join('\n');
  return `query RelationCounts($id: ID!, $type: EntityType) {\n${fields}\n}`;
}

export const recommendQuery = `query Recommend($id: ID!, $first: Int, $x: Float) {
  recommendProducts(consumerId: $id, first: $first, exploration: $x) { ${RECOMMENDATION} }
}`;

export const relatedQuery = `query Related($id: ID!, $type: EntityType, $target: EntityType!, $first: Int, $x: Float) {
  related(id: $id, type: $type, targetType: $target, first: $first, exploration: $x) { ${RECOMMENDATION} }
}`;

export const lookalikesQuery = `query Lookalikes($id: ID!, $first: Int) {
  lookalikes(consumerId: $id, first: $first) { ${RECOMMENDATION} }
}`;

export function demandLinksQuery(caps: Pick<Capabilities, 'demandFigures'>): string {
  return `query DemandLinks($id: ID!, $type: EntityType, $target: EntityType, $first: Int) {
  demandLinks(id: $id, type: $type, targetType: $target, first: $first) { entity { ${ENTITY} } support confidence lift ${caps.demandFigures.join(' ')} }
}`;
}

export const pathsQuery = `query Paths($from: ID!, $fromType: EntityType, $to: ID!, $toType: EntityType, $max: Int, $first: Int) {
  paths(from: $from, fromType: $fromType, to: $to, toType: $toType, maxLength: $max, first: $first) { ${PATH} }
}`;

export function opportunitiesQuery(caps: Pick<Capabilities, 'opportunityFigures' | 'opportunityEntityLists'> & Partial<Pick<Capabilities, 'opportunitySegments'>>): string {
  let lists = caps.opportunityEntityLists.map((f) => `${f} { ${ENTITY} }`).join(' ');
  if (caps.opportunitySegments) lists += ' segments { segmentId consumers share segment { name interests { name nameEn } } }';
  return `query Opportunities($first: Int, $min: Int) {
  productOpportunities(first: $first, minConsumers: $min) {
    interests { ${ENTITY} } consumers lift gapScore closestProducts { ${ENTITY} } ${caps.opportunityFigures.join(' ')} ${lists}
  }
}`;
}

/** Segment ids of entity keys (insights' `segmentOf`) and the segments' names. */
export const segmentOfQuery = `query SegmentOf($keys: [ID!]!) {
  segmentOf(keys: $keys) { key segment }
  segments(first: 100) { id name }
}`;

export function segmentsQuery(caps: Capabilities): string | null {
  const s = caps.segments;
  if (!s) return null;
  const members = s.membersAreEntities ? `${s.membersField} { key }` : s.membersField;
  return `{ ${s.field} { ${s.idField} ${s.labelField ?? ''} ${members} } }`;
}

/** Segment index per entity key from a segments answer (first segment wins for a key). */
export function segmentIndex(caps: Capabilities, data: Record<string, unknown>): { byKey: Map<string, number>; labels: string[] } {
  const s = caps.segments;
  const byKey = new Map<string, number>();
  const labels: string[] = [];
  if (!s) return { byKey, labels };
  const list = (data[s.field] as Record<string, unknown>[] | null) ?? [];
  list.forEach((seg, i) => {
    labels.push(String((s.labelField && seg[s.labelField]) ?? seg[s.idField] ?? i));
    const members = (seg[s.membersField] as unknown[] | null) ?? [];
    for (const m of members) {
      const key = s.membersAreEntities ? (m as { key?: string })?.key : String(m);
      if (key && !byKey.has(key)) byKey.set(key, i);
    }
  });
  return { byKey, labels };
}

const AUDIENCE_REPORT = 'size expectedConversion baseRate lift';

/** The audience report of a product or interest (role reader): size and lift, never who. */
export function audienceReportQuery(caps: Pick<Capabilities, 'args'>): string {
  const under = caps.args.get('audienceReport')?.has('under');
  return `query AudienceReport($id: ID!, $type: EntityType!, $size: Int${under ? ', $under: Boolean' : ''}) {
  audienceReport(id: $id, type: $type, size: $size${under ? ', under: $under' : ''}) { ${AUDIENCE_REPORT} }
}`;
}

/** The audience itself (role service): the persons most likely to engage, with a reason each. */
export function audienceQuery(caps: Pick<Capabilities, 'args'>): string {
  const under = caps.args.get('audience')?.has('under');
  return `query Audience($id: ID!, $type: EntityType!, $size: Int${under ? ', $under: Boolean' : ''}) {
  audience(id: $id, type: $type, size: $size${under ? ', under: $under' : ''}) { size members { person score reasons { share text textZh } } }
}`;
}
