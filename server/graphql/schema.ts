import { readFileSync } from 'node:fs';
import { makeExecutableSchema, type IExecutableSchemaDefinition } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { isSafeIdentifier, type Vocabulary } from '../graph/vocabulary.js';

/** One resolver map, as `makeExecutableSchema` takes them in a list. */
type DomainResolvers = Exclude<NonNullable<IExecutableSchemaDefinition['resolvers']>, readonly unknown[]>;

/** One domain's part of the API: its SDL and the resolvers of exactly those fields. */
export interface Domain {
  name: string;
  typeDefs: string;
  resolvers: DomainResolvers;
}

/** `Entity`, `Path` and the other shapes every domain returns. */
const sharedTypeDefs = readFileSync(new URL('./entities.graphql', import.meta.url), 'utf8');

/** `enum EntityType`, spelled as the vocabulary spells its types. */
function entityTypeEnum(vocabulary: Vocabulary): string {
  const values = vocabulary.entityTypes.filter(isSafeIdentifier);
  return `"Entity types of the loaded schema."\nenum EntityType {\n  ${values.join('\n  ')}\n}\n`;
}

/**
 * Merges the domains' SDL and resolvers; a resolver without a schema field is an error.
 * Built per vocabulary, so a schema file's extra entity types appear in `EntityType`.
 */
export function buildSchema(vocabulary: Vocabulary, domains: readonly Domain[]): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [entityTypeEnum(vocabulary), sharedTypeDefs, ...domains.map((d) => d.typeDefs)],
    resolvers: domains.map((d) => d.resolvers),
    resolverValidationOptions: {
      requireResolversToMatchSchema: 'error',
      requireResolversForResolveType: 'error',
    },
  });
}
