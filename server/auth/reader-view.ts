import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { DomainError, notFound } from '../core/errors.js';
import type { Database } from '../db/neo4j.js';
import { resolveEntity } from '../graph/entity.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { roleAllows, type Caller, type Role } from './roles.js';

/** What the reader view needs of a request's context (the API context has it all). */
export interface ReaderViewContext {
  db: Database;
  vocabulary: Vocabulary;
  config: { pseudonymSecret: string };
  caller: Caller;
}

/**
 * What a role below `service` may not see: individual consumers. A reader gets aggregates only
 * (finding 4 of issue 17): no consumer as the subject of a question, no consumer entity or
 * pseudonym in an answer, and no answer that tells whether a given person exists.
 */
export const CONSUMER_TYPE = 'Consumer';
const perConsumerRole: Role = 'service';

/** The stand-in for a consumer on a path shown to a reader: the shape is kept, the person is not. */
export const withheldConsumer = Object.freeze({
  key: `${CONSUMER_TYPE}:withheld`,
  id: 'withheld',
  type: CONSUMER_TYPE,
  name: 'a consumer',
  nameEn: 'a consumer',
  properties: null,
});

/** An (id, type) argument pair of a root field that names an entity. */
interface EntityArgument {
  id: string;
  type?: string;
  /** Ids this pattern matches are not entities (e.g. "Segment:<n>") and are left alone. */
  skip?: RegExp;
}

/**
 * Root-field arguments that name an entity. For a reader, a Consumer type is refused, a
 * "Consumer:…" key is refused, and an untyped id is resolved among the other types only (so
 * a consumer's raw id answers NOT_FOUND exactly as an unknown id does: no membership oracle).
 * Arguments that only take keys or interest ids (`segmentOf.keys`, `subtree`, `involving`)
 * are listed with no type.
 */
export const entityArguments: Record<string, EntityArgument[]> = {
  'Query.entity': [{ id: 'id', type: 'type' }],
  'Query.neighborhood': [{ id: 'id', type: 'type' }],
  'Query.related': [{ id: 'id', type: 'type' }],
  'Query.demandLinks': [{ id: 'id', type: 'type', skip: /^Segment:/ }],
  'Query.demandLinkReport': [{ id: 'id', type: 'type', skip: /^Segment:/ }],
  'Query.paths': [
    { id: 'from', type: 'fromType' },
    { id: 'to', type: 'toType' },
  ],
  'Query.trend': [
    { id: 'id', type: 'type' },
    { id: 'targetId', type: 'targetType' },
  ],
  'Query.segmentOf': [{ id: 'keys' }],
  'Query.productOpportunities': [{ id: 'subtree' }, { id: 'involving' }],
  'Query.opportunityReport': [{ id: 'subtree' }, { id: 'involving' }],
};

/** True when `role` may see individual consumers. */
export function seesConsumers(role: Role | null): boolean {
  return role !== null && roleAllows(role, perConsumerRole);
}

const forbidden = (field: string, what: string) =>
  new DomainError('FORBIDDEN', `${field}: ${what} is per-consumer data and needs the ${perConsumerRole} role; a reader gets aggregates (demandLinks, productOpportunities, segments, trends).`);

/**
 * Checks and rewrites the entity arguments of `key` for a caller who may not see consumers.
 * Returns the arguments to run the field with (an untyped id gets the type it resolved to).
 */
export async function readerArguments(
  key: string,
  field: string,
  args: Record<string, unknown>,
  ctx: ReaderViewContext,
  declared: ReadonlySet<string>,
): Promise<Record<string, unknown>> {
  // Only arguments the field declares: a schema without them (tests' stand-ins) has nothing to name.
  const rules = entityArguments[key]?.filter((r) => declared.has(r.id));
  if (!rules) return args;
  const out = { ...args };
  for (const rule of rules) {
    const value = out[rule.id];
    const ids = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    for (const id of ids) if (typeof id === 'string' && id.startsWith(`${CONSUMER_TYPE}:`)) throw forbidden(field, `${rule.id} naming a consumer`);
    if (!rule.type || !declared.has(rule.type)) continue;
    if (out[rule.type] === CONSUMER_TYPE) throw forbidden(field, `${rule.type}: ${CONSUMER_TYPE}`);
    if (typeof value !== 'string' || !value || out[rule.type] || rule.skip?.test(value)) continue;
    // Untyped: resolve without consumers, then hand the resolver the type it found.
    const others: Vocabulary = { ...ctx.vocabulary, entityTypes: ctx.vocabulary.entityTypes.filter((t) => t !== CONSUMER_TYPE) };
    try {
      const found = await resolveEntity({ db: ctx.db, vocabulary: others, pseudonymSecret: ctx.config.pseudonymSecret }, value, null, rule.id);
      out[rule.type] = found.type;
      out[rule.id] = found.id;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw notFound(`There is no entity with ${rule.id} "${value}".`, { argument: rule.id });
      throw error;
    }
  }
  return out;
}

const isConsumerEntity = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && (v as { type?: unknown }).type === CONSUMER_TYPE && typeof (v as { key?: unknown }).key === 'string';
const isConsumerKey = (v: unknown): boolean => typeof v === 'string' && v.startsWith(`${CONSUMER_TYPE}:`);

/**
 * Wraps, in place, every field of `schema` whose type is the Entity type (or a list of it),
 * and Subgraph.edges, so that a caller below `service` never gets a consumer: single entities
 * and path nodes become `withheldConsumer` (a path keeps its length), other lists drop them,
 * edges to a consumer are dropped. Type-driven, so fields other domains add are covered.
 */
export function redactConsumersForReaders(schema: GraphQLSchema, entityTypeName = 'Entity'): GraphQLSchema {
  // Types are read by their printed form ("[Entity!]!"), not instanceof: the schema may come
  // from another copy of graphql-js (@graphql-tools loads the CommonJS one).
  for (const named of Object.values(schema.getTypeMap())) {
    if (named.name.startsWith('__') || !('getFields' in named) || 'getInterfaces' in named === false) continue;
    const type = named as GraphQLObjectType;
    for (const field of Object.values(type.getFields())) {
      const printed = String(field.type);
      const list = printed.startsWith('[');
      const isEdges = type.name === 'Subgraph' && field.name === 'edges';
      if (printed.replace(/[[\]!]/g, '') !== entityTypeName && !isEdges) continue;
      const keepShape = type.name === 'Path' && field.name === 'nodes';
      const resolve: GraphQLFieldResolver<unknown, ReaderViewContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = async (source, args, ctx: ReaderViewContext, info) => {
        const value = await resolve(source, args, ctx, info);
        if (seesConsumers(ctx.caller.role) || value === null || value === undefined) return value;
        if (isEdges && Array.isArray(value)) {
          return value.filter((e: { source?: unknown; target?: unknown }) => !isConsumerKey(e?.source) && !isConsumerKey(e?.target));
        }
        if (list && Array.isArray(value)) {
          return keepShape ? value.map((v) => (isConsumerEntity(v) ? withheldConsumer : v)) : value.filter((v) => !isConsumerEntity(v));
        }
        return isConsumerEntity(value) ? withheldConsumer : value;
      };
    }
  }
  return schema;
}
