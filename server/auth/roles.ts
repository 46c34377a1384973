/**
 * Roles and the access map. `reader` browses and reads aggregate insights, `service` also gets
 * per-consumer recommendations and lookalikes, `admin` can do everything including ingest.
 */
export const roles = ['reader', 'service', 'admin'] as const;
export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { reader: 0, service: 1, admin: 2 };

/** True when `have` is at least `need` (admin ⊃ service ⊃ reader). */
export function roleAllows(have: Role, need: Role): boolean {
  return rank[have] >= rank[need];
}

/** Who is calling: a key's name and role, or anonymous under the local default. */
export interface Caller {
  /** Key name from the keys file; "anonymous" under the local default. */
  name: string;
  /** null: nobody authenticated and anonymous access is off (everything is UNAUTHENTICATED). */
  role: Role | null;
  /** A key's stable id (a hash of its stored hash, never the key); absent for anonymous callers. Owns saved scenes. */
  keyId?: string;
}

/**
 * The role each root field needs, "Type.field". Enforced for every root field of the schema
 * (server/graphql/guard.ts); a root field missing here is refused to everybody (fail closed),
 * so a field added without an entry here cannot leak.
 */
export const fieldRoles: Record<string, Role> = {
  'Query.entity': 'reader',
  'Query.search': 'reader',
  'Query.neighborhood': 'reader',
  'Query.related': 'reader',
  'Query.demandLinks': 'reader',
  'Query.paths': 'reader',
  'Query.productOpportunities': 'reader',
  'Query.stats': 'reader',
  'Query.segments': 'reader',
  'Query.trends': 'reader',
  'Query.demandLinkReport': 'reader',
  'Query.opportunityReport': 'reader',
  'Query.segment': 'reader',
  'Query.segmentOf': 'reader',
  'Query.trend': 'reader',
  'Query.risingInterests': 'reader',
  // A key's own saved scenes (server/scenes): what a reader stores is checked to hold no consumer.
  'Query.apiCaller': 'reader',
  'Query.savedScenes': 'reader',
  'Query.savedScene': 'reader',
  'Mutation.saveScene': 'reader',
  'Mutation.deleteScene': 'reader',
  'Query.recommendProducts': 'service',
  'Query.lookalikes': 'service',
  // A person's id count by source (server/identity), never the ids.
  'Query.identity': 'service',
  // Audiences (server/recommend/audience): the member list is per-person data; the report is an aggregate of at least k.
  'Query.audience': 'service',
  'Query.audienceReport': 'reader',
  'Mutation.ingestTriples': 'admin',
};

/** A stricter role for one value of one argument of a root field. */
export interface ArgumentRole {
  argument: string;
  value: string;
  role: Role;
  /** What a caller without the role can use instead (said in the FORBIDDEN message). */
  instead: string;
}

/**
 * Argument values that need more than their field's role, "Type.field". Checked after the
 * field's own role (server/graphql/guard.ts). `related(targetType: Consumer)` lists individual
 * consumers (pseudonyms), which is per-consumer data like `lookalikes`: role service.
 */
export const argumentRoles: Record<string, ArgumentRole[]> = {
  'Query.related': [
    { argument: 'targetType', value: 'Consumer', role: 'service', instead: 'demandLinks (consumer groups as aggregates)' },
  ],
};
