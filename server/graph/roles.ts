import type { RelationRole, Vocabulary } from './vocabulary.js';

/** Roles by which a consumer is linked to an entity for demand figures (contract: engagement for products, interest for interests). */
export const consumerLinkRoles: readonly RelationRole[] = ['engagement-strong', 'engagement-weak', 'interest'];

/**
 * Relations that link a consumer to an entity of `type` (any type when omitted), taken from
 * the vocabulary's roles, never literals.
 */
export function consumerLinkRelations(vocabulary: Vocabulary, type?: string): string[] {
  return vocabulary.relations
    .filter((r) => consumerLinkRoles.includes(r.role) && r.from.includes('Consumer') && (type === undefined || r.to.includes(type)))
    .map((r) => r.name);
}

/** Names of the vocabulary's relations that play one of `roles` (any endpoints). */
export function relationsWithRole(vocabulary: Vocabulary, ...roles: RelationRole[]): string[] {
  return vocabulary.relations.filter((r) => roles.includes(r.role)).map((r) => r.name);
}

/** The entity type that interest relations point at (`Interest` in the core vocabulary). */
export function interestType(vocabulary: Vocabulary): string {
  const rel = vocabulary.relations.find((r) => r.role === 'interest' && r.from.includes('Consumer'));
  return rel?.to[0] ?? 'Interest';
}

/** The relations of role `interest` from consumers to the interest type: what interest sets are built from. */
export function consumerInterestRelations(vocabulary: Vocabulary): string[] {
  const interest = interestType(vocabulary);
  return vocabulary.relations.filter((r) => r.role === 'interest' && r.from.includes('Consumer') && r.to.includes(interest)).map((r) => r.name);
}

/** The entity type engagement relations point at (`Product` in the core vocabulary). */
export function productType(vocabulary: Vocabulary): string {
  const rel = vocabulary.relations.find((r) => r.role === 'engagement-strong' && r.from.includes('Consumer'));
  return rel?.to[0] ?? 'Product';
}
