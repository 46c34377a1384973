import type { Database } from '../db/neo4j.js';
import { badInput, notFound } from '../core/errors.js';
import { storedEntityId } from '../privacy/pseudonym.js';
import { ENTITIES_BY_CANDIDATE_KEYS, ENTITIES_BY_KEY, HAS_ENTITIES } from './queries.js';
import { entityKey, type Vocabulary } from './vocabulary.js';

/** The GraphQL `Entity` shape. */
export interface EntityShape {
  key: string;
  id: string;
  type: string;
  name: string;
  nameEn: string | null;
  properties: string | null;
  /** A consumer's unified person and its size (server/identity), when the node's properties were read. */
  person?: string | null;
  personIds?: number | null;
}

/** Node properties that are shown as Entity fields, not repeated in `properties`. */
const ownFields = new Set(['id', 'key', 'name', 'name_en', 'person', 'personIds']);

/**
 * Shapes an entity node's properties (as returned by `Database.read`) and its type into the
 * API's Entity. Queries return `n {.*} AS props, <type> AS type`.
 */
export function toEntity(props: Record<string, unknown>, type: string): EntityShape {
  const id = String(props.id);
  // Properties starting with '_' are derived or loader bookkeeping, never shown.
  const rest = Object.fromEntries(Object.entries(props).filter(([k]) => !ownFields.has(k) && !k.startsWith('_')));
  return {
    key: typeof props.key === 'string' ? props.key : entityKey(type, id),
    id,
    type,
    name: typeof props.name === 'string' ? props.name : id,
    nameEn: typeof props.name_en === 'string' ? props.name_en : null,
    properties: Object.keys(rest).length ? JSON.stringify(rest) : null,
    ...(typeof props.person === 'string' ? { person: props.person, personIds: Number(props.personIds ?? 1) } : {}),
  };
}

/** The type part of an entity key ("Type:id"). */
export const typeOfKey = (key: string): string => key.slice(0, key.indexOf(':'));

/** Entities by key, in one trip; keys that do not exist (or are not of a vocabulary type) are left out. */
export async function entitiesByKeys(db: Database, vocabulary: Vocabulary, keys: readonly string[]): Promise<Map<string, EntityShape>> {
  const unique = [...new Set(keys)];
  const out = new Map<string, EntityShape>();
  if (unique.length === 0) return out;
  const rows = await db.read('entities-by-key', ENTITIES_BY_KEY, { keys: unique, types: vocabulary.entityTypes });
  for (const r of rows) if (r.type) out.set(String(r.key), toEntity(r.props as Record<string, unknown>, String(r.type)));
  return out;
}

/** What resolving a caller's id needs; `byKey` lets a request batch and cache its lookups. */
export interface EntityLookup {
  db: Database;
  vocabulary: Vocabulary;
  pseudonymSecret: string;
  byKey?: (key: string) => Promise<EntityShape | null>;
}

/**
 * Finds the entity a caller names in `argument`: by id within `type` (a consumer's raw id is
 * pseudonymised as the loader does; a pseudonym is kept), or without a type by entity key
 * ("Type:id") or an id of any type, in one round trip. Throws NOT_FOUND when there is none
 * and BAD_USER_INPUT for an empty id, an unknown type or an untyped id naming several entities.
 */
export async function resolveEntity(lookup: EntityLookup, id: string, type?: string | null, argument = 'id'): Promise<EntityShape> {
  const { db, vocabulary, pseudonymSecret } = lookup;
  if (!id) throw badInput(`${argument} must not be empty.`, { argument });
  if (type) {
    if (!vocabulary.entityTypes.includes(type)) throw badInput(`${type} is not an entity type of the schema.`, { argument });
    const key = entityKey(type, storedEntityId(pseudonymSecret, type, id));
    const found = lookup.byKey ? await lookup.byKey(key) : ((await entitiesByKeys(db, vocabulary, [key])).get(key) ?? null);
    if (!found) throw notFound(`There is no ${type} with ${argument} "${id}".`, { argument });
    return found;
  }
  const candidates = new Set(vocabulary.entityTypes.map((t) => entityKey(t, storedEntityId(pseudonymSecret, t, id))));
  if (vocabulary.entityTypes.includes(typeOfKey(id))) candidates.add(id);
  const rows = await db.read('entity-by-candidate-keys', ENTITIES_BY_CANDIDATE_KEYS, { keys: [...candidates], types: vocabulary.entityTypes });
  const found = rows.filter((r) => r.type).map((r) => toEntity(r.props as Record<string, unknown>, String(r.type)));
  if (found.length === 0) throw notFound(`There is no entity with ${argument} "${id}".`, { argument });
  if (found.length > 1) {
    throw badInput(`"${id}" names entities of several types (${found.map((e) => e.type).join(', ')}); give the type.`, { argument });
  }
  return found[0]!;
}

/** True when the graph holds no entity at all. */
export async function graphIsEmpty(db: Database): Promise<boolean> {
  const rows = await db.read('graph-has-entities', HAS_ENTITIES);
  return rows[0]?.any !== true;
}
