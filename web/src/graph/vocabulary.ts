// The core vocabulary as the explorer needs it: which relations an entity type can be expanded
// by, and how to orient a path step. Mirrors CONTRACT.md "Core vocabulary"; a schema file's extra
// relations still display (they simply are not offered in the per-relation expand menu).

export interface RelationInfo {
  name: string;
  from: string;
  to: string;
}

export const coreRelations: readonly RelationInfo[] = [
  { name: 'PURCHASED', from: 'Consumer', to: 'Product' },
  { name: 'VIEWED', from: 'Consumer', to: 'Product' },
  { name: 'INTERESTED_IN', from: 'Consumer', to: 'Interest' },
  { name: 'RELATES_TO', from: 'Product', to: 'Interest' },
  { name: 'SUBTOPIC_OF', from: 'Interest', to: 'Interest' },
  { name: 'FOLLOWS', from: 'Consumer', to: 'Consumer' },
  { name: 'SIMILAR_TO', from: 'Product', to: 'Product' },
];

/** Relations that touch an entity of `type`, in vocabulary order. */
export function relationsFor(type: string, relations: readonly RelationInfo[] = coreRelations): string[] {
  return relations.filter((r) => r.from === type || r.to === type).map((r) => r.name);
}

/**
 * True when a path step `a -[relation]- b` runs against the stored direction (b → a), so the
 * explorer can draw the same edge a neighbourhood query returns. Unknown relations and
 * same-type relations keep the path's order unless `exists` says only the reverse is on canvas.
 */
export function isReversedStep(
  aType: string,
  relation: string,
  bType: string,
  relations: readonly RelationInfo[] = coreRelations,
): boolean {
  const r = relations.find((x) => x.name === relation);
  if (!r) return false;
  if (r.from === aType && r.to === bType) return false;
  return r.from === bType && r.to === aType;
}
