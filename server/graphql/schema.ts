import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { statsResolvers } from './stats-resolvers.js';

const sdl = (name: string) => readFileSync(new URL(`./${name}.graphql`, import.meta.url), 'utf8');

/** Merges each domain's SDL and resolvers; a resolver without a schema field is an error. */
export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [sdl('stats')],
    resolvers: [statsResolvers],
    resolverValidationOptions: {
      requireResolversToMatchSchema: 'error',
      requireResolversForResolveType: 'error',
    },
  });
}
