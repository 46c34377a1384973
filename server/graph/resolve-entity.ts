import { ENTITIES_BY_KEYS, ENTITY_BY_KEY, entityByIdQuery } from '../insights/queries.js';
import type { Database } from '../db/neo4j.js';
import { toEntity, type EntityShape } from './entity.js';
import { storedEntityId } from '../privacy/pseudonym.js';
import type { Vocabulary } from './vocabulary.js';
import { badInput, notFound } from '../core/errors.js';

/** The type part of an entity key ("Type:id"). */
export const typeOfKey = (key: string): string => key.slice(0, key.indexOf(':'));

/**
 * Finds the entity a caller names: by id within `type`, or without a type by key ("Type:id")
 * and then by id across all types (an id found in several types is ambiguous). Consumer ids
 * go through the same pseudonymisation as the loader.
 */
export async function resolveEntity(
  db: Database,
  vocabulary: Vocabulary,
  secret: string,
  id: string,
  type?: string | null,
): Promise<EntityShape> {
  if (!id) throw badInput('id must not be empty');
  if (type) {
    if (!vocabulary.entityTypes.includes(type)) throw badInput(`unknown entity type "${type}"`);
    const rows = await db.read('insights-entity', entityByIdQuery(type, vocabulary), { id: storedEntityId(secret, type, id) });
    if (!rows[0]) throw notFound(`no ${type} with id "${id}"`);
    return toEntity(rows[0].props as Record<string, unknown>, type);
  }
  const byKey = await db.read('insights-entity', ENTITY_BY_KEY, { key: id });
  if (byKey[0]) return toEntity(byKey[0].props as Record<string, unknown>, typeOfKey(id));
  const found: EntityShape[] = [];
  for (const t of vocabulary.entityTypes) {
    const rows = await db.read('insights-entity', entityByIdQuery(t, vocabulary), { id: storedEntityId(secret, t, id) });
    if (rows[0]) found.push(toEntity(rows[0].props as Record<string, unknown>, t));
  }
  if (found.length === 0) throw notFound(`no entity with id or key "${id}"`);
  if (found.length > 1) {
    throw badInput(`id "${id}" names several entities (${found.map((e) => e.type).join(', ')}); pass type`);
  }
  return found[0]!;
}

/** Entities by key, in one trip; keys that no longer exist are left out. */
export async function entitiesByKeys(db: Database, keys: string[]): Promise<Map<string, EntityShape>> {
  const unique = [...new Set(keys)];
  const out = new Map<string, EntityShape>();
  if (unique.length === 0) return out;
  const rows = await db.read('insights-entities', ENTITIES_BY_KEYS, { keys: unique });
  for (const r of rows) {
    const props = r.props as Record<string, unknown>;
    const key = String(props.key);
    out.set(key, toEntity(props, typeOfKey(key)));
  }
  return out;
}
