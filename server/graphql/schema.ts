import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { isSafeIdentifier, type Vocabulary } from '../schema/vocabulary.js';
import { browseResolvers } from './browse-resolvers.js';
import { ingestResolvers } from './ingest-resolvers.js';
import { recommendationsResolvers } from './recommendations-resolvers.js';
import { statsResolvers } from './stats-resolvers.js';

const sdl = (name: string) => readFileSync(new URL(`./${name}.graphql`, import.meta.url), 'utf8');

/** `enum EntityType`, spelled as the vocabulary spells its types. */
function entityTypeEnum(vocabulary: Vocabulary): string {
  const values = vocabulary.entityTypes.filter(isSafeIdentifier);
  return `"Entity types of the loaded schema."\nenum EntityType {\n  ${values.join('\n  ')}\n}\n`;
}

/**
 * Merges each domain's SDL and resolvers; a resolver without a schema field is an error.
 * Built per vocabulary, so a schema file's extra entity types appear in `EntityType`.
 */
export function buildSchema(vocabulary: Vocabulary): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [entityTypeEnum(vocabulary), sdl('entities'), sdl('stats'), sdl('browse'), sdl('recommendations'), sdl('ingest')],
    resolvers: [statsResolvers, browseResolvers, recommendationsResolvers, ingestResolvers],
    resolverValidationOptions: {
      requireResolversToMatchSchema: 'error',
      requireResolversForResolveType: 'error',
    },
  });
}
