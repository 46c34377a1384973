/**
 * The graph vocabulary: entity types, relation types and the role each relation plays for
 * the recommendation engine. Labels and relation types reach Cypher only through this
 * allow-list.
 */

export type RelationRole =
  | 'engagement-strong'
  | 'engagement-weak'
  | 'interest'
  | 'product-interest'
  | 'taxonomy'
  | 'social'
  | 'product-product'
  /** Two ids of one person (`SAME_AS`): read only by server/identity, ignored by every other role-based path. */
  | 'identity';

export interface RelationDef {
  name: string;
  from: string[];
  to: string[];
  role: RelationRole;
}

export interface Vocabulary {
  entityTypes: string[];
  relations: RelationDef[];
  /** RDF: IRI prefix → local name mapping, used by the RDF reader. */
  prefixes: Record<string, string>;
  /**
   * The only properties a Consumer entity row may keep (PIPL: no name, email, phone or other
   * identifier passes the loader); unset: `defaultConsumerProperties`. A schema file's
   * `consumerProperties` replaces it.
   */
  consumerProperties?: string[];
  /**
   * Columns of a Consumer entity row that hold identifiers (`phone`, `email`, `openid` …): each
   * value is normalised and keyed-hashed (`identifierKey`), the raw value dropped, and consumers
   * sharing a key are one person (server/identity). Unset: none.
   */
  consumerIdentifiers?: string[];
  /**
   * An identifier held by more consumers than this links nobody (a placeholder phone such as
   * 13800000000 would otherwise merge thousands of people); default DEFAULT_IDENTIFIER_MAX_CONSUMERS.
   */
  identifierMaxConsumers?: number;
}

/** Default of `Vocabulary.identifierMaxConsumers`. */
export const DEFAULT_IDENTIFIER_MAX_CONSUMERS = 20;

/**
 * Consumer properties kept by default: coarse, non-identifying marketing attributes. Anything
 * else on a Consumer row (name_en, name_zh, email, phone, address, birthday …) is dropped and
 * counted (`propertiesDropped`).
 */
export const defaultConsumerProperties: readonly string[] = ['segment', 'tier', 'age_band', 'region', 'channel', 'lifecycle_stage'];

/** The core vocabulary of the contract. */
export const coreVocabulary: Vocabulary = {
  entityTypes: ['Consumer', 'Product', 'Interest'],
  relations: [
    { name: 'PURCHASED', from: ['Consumer'], to: ['Product'], role: 'engagement-strong' },
    { name: 'VIEWED', from: ['Consumer'], to: ['Product'], role: 'engagement-weak' },
    { name: 'INTERESTED_IN', from: ['Consumer'], to: ['Interest'], role: 'interest' },
    { name: 'RELATES_TO', from: ['Product'], to: ['Interest'], role: 'product-interest' },
    { name: 'SUBTOPIC_OF', from: ['Interest'], to: ['Interest'], role: 'taxonomy' },
    { name: 'FOLLOWS', from: ['Consumer'], to: ['Consumer'], role: 'social' },
    { name: 'SIMILAR_TO', from: ['Product'], to: ['Product'], role: 'product-product' },
    { name: 'SAME_AS', from: ['Consumer'], to: ['Consumer'], role: 'identity' },
  ],
  prefixes: {},
};

/** Labels every entity node carries besides its type; never an entity type itself. */
export const ENTITY_LABEL = 'Entity';

const identifier = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** True for names safe to use as a label or relation type (letters, digits, underscore). */
export function isSafeIdentifier(name: string): boolean {
  return identifier.test(name);
}

/**
 * Returns `name` quoted for Cypher if it is in `allowed`; throws otherwise. The only way a
 * label or relation type enters a query string.
 */
export function allowListed(name: string, allowed: readonly string[]): string {
  if (!allowed.includes(name) || !isSafeIdentifier(name)) {
    throw new Error(`"${name}" is not in the schema's allow-list`);
  }
  return '`' + name + '`';
}

/** The entity key used across the API: "Type:id". */
export function entityKey(type: string, id: string): string {
  return `${type}:${id}`;
}
