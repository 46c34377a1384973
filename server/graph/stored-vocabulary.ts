import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { READ_VOCABULARY, WRITE_VOCABULARY } from './queries.js';
import type { Database } from '../db/neo4j.js';
import { coreVocabulary, ENTITY_LABEL, isSafeIdentifier, type RelationDef, type Vocabulary } from './vocabulary.js';


const name = z.string().refine(isSafeIdentifier, 'must be letters, digits and _ (starting with a letter)');
const roles = ['engagement-strong', 'engagement-weak', 'interest', 'product-interest', 'taxonomy', 'social', 'product-product', 'identity'] as const;

/** The schema file (`--schema FILE`, JSON): extra entity types, relations with roles, RDF prefixes. */
export const schemaFileSchema = z
  .object({
    entityTypes: z.array(name.refine((n) => n !== ENTITY_LABEL, `'${ENTITY_LABEL}' is reserved`)).default([]),
    relations: z
      .array(
        z.object({
          name,
          from: z.array(name).min(1),
          to: z.array(name).min(1),
          role: z.enum(roles),
        }),
      )
      .default([]),
    prefixes: z.record(z.string(), z.string()).default({}),
    /** The Consumer properties the loader keeps (replaces the default allow-list). */
    consumerProperties: z.array(name).optional(),
    /** Consumer columns holding identifiers (hashed, raw value dropped; see Vocabulary.consumerIdentifiers). */
    consumerIdentifiers: z.array(name).optional(),
    /** An identifier held by more consumers links nobody (see Vocabulary.identifierMaxConsumers). */
    identifierMaxConsumers: z.number().int().min(2).optional(),
  })
  .strict();

/** Union of two vocabularies; a relation in both gets the union of endpoints and `b`'s role. */
export function mergeVocabulary(a: Vocabulary, b: Partial<Vocabulary>): Vocabulary {
  const entityTypes = [...a.entityTypes];
  for (const t of b.entityTypes ?? []) if (!entityTypes.includes(t)) entityTypes.push(t);
  const relations: RelationDef[] = a.relations.map((r) => ({ ...r, from: [...r.from], to: [...r.to] }));
  for (const r of b.relations ?? []) {
    const existing = relations.find((x) => x.name === r.name);
    if (!existing) relations.push({ ...r, from: [...r.from], to: [...r.to] });
    else {
      for (const t of r.from) if (!existing.from.includes(t)) existing.from.push(t);
      for (const t of r.to) if (!existing.to.includes(t)) existing.to.push(t);
      existing.role = r.role;
    }
  }
  const consumerProperties = b.consumerProperties ?? a.consumerProperties;
  const consumerIdentifiers = b.consumerIdentifiers ?? a.consumerIdentifiers;
  const identifierMaxConsumers = b.identifierMaxConsumers ?? a.identifierMaxConsumers;
  return {
    entityTypes,
    relations,
    prefixes: { ...a.prefixes, ...b.prefixes },
    ...(consumerProperties ? { consumerProperties: [...consumerProperties] } : {}),
    ...(consumerIdentifiers ? { consumerIdentifiers: [...consumerIdentifiers] } : {}),
    ...(identifierMaxConsumers !== undefined ? { identifierMaxConsumers } : {}),
  };
}

/** Checks that every relation endpoint is a known entity type; throws a message naming it. */
export function checkVocabulary(v: Vocabulary): Vocabulary {
  for (const r of v.relations) {
    for (const t of [...r.from, ...r.to]) {
      if (!v.entityTypes.includes(t)) throw new Error(`relation ${r.name} names entity type '${t}', which the schema does not declare`);
    }
  }
  return v;
}

/** Reads a schema file and returns the core vocabulary extended by it; throws a clear message. */
export function readSchemaFile(path: string, base: Vocabulary = coreVocabulary): Vocabulary {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`schema file ${path}: ${(error as Error).message}`);
  }
  const parsed = schemaFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new Error(`schema file ${path}: ${problems.join('; ')}`);
  }
  try {
    return checkVocabulary(mergeVocabulary(base, parsed.data));
  } catch (error) {
    throw new Error(`schema file ${path}: ${(error as Error).message}`);
  }
}

/** The core vocabulary merged with the one stored by earlier loads (`KgMeta {key:'vocabulary'}`). */
export async function loadStoredVocabulary(db: Database): Promise<Vocabulary> {
  const rows = await db.read('vocabulary-read', READ_VOCABULARY);
  const json = rows[0]?.json;
  if (typeof json !== 'string') return coreVocabulary;
  const parsed = schemaFileSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`the vocabulary stored in Neo4j is not valid: ${parsed.error.message}`);
  return checkVocabulary(mergeVocabulary(coreVocabulary, parsed.data));
}

/** Stores the effective vocabulary, so the API and later loads know a schema file's types. */
export async function storeVocabulary(db: Database, vocabulary: Vocabulary): Promise<void> {
  await db.write('vocabulary-write', WRITE_VOCABULARY, { json: JSON.stringify(vocabulary) });
}
