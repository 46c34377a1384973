import { allowListed, type Vocabulary } from './vocabulary.js';

/**
 * `:A|B` for a relationship pattern (`-[r${relTypes(v, names)}]-`), from allow-listed relation
 * names, so Neo4j follows only those types (dense nodes group relationships by type) instead
 * of reading every relationship and filtering. With no names, a type no relationship has: the
 * pattern matches nothing rather than everything.
 */
export function relTypes(vocabulary: Vocabulary, names: readonly string[]): string {
  const all = vocabulary.relations.map((r) => r.name);
  return names.length ? ':' + names.map((n) => allowListed(n, all)).join('|') : ':`_NO_RELATION`';
}

/** An entity type as a node label, from the vocabulary's allow-list only. */
export function label(vocabulary: Vocabulary, type: string): string {
  return allowListed(type, vocabulary.entityTypes);
}
