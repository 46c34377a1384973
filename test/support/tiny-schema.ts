import { setTimeout as sleep } from 'node:timers/promises';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { fieldRoles } from '../../server/auth/roles.js';

/**
 * A few entities held in memory: what the tiny schema's fields answer from. Chinese and
 * English names, like the demo graph.
 */
export const tinyEntities = [
  { key: 'Product:p1', id: 'p1', type: 'Product', name: '露营灯 camping lantern' },
  { key: 'Product:p2', id: 'p2', type: 'Product', name: '帐篷 tent' },
  { key: 'Interest:i1', id: 'i1', type: 'Interest', name: '户外露营 camping' },
];

/**
 * How long `search` takes, as a trip to the database would: the request timeout has
 * something to stop (a 1 ms REQUEST_TIMEOUT_MS must win against it).
 */
export const tinySearchMs = 20;

// The contract's shapes (CONTRACT.md) for the three root fields served, so query limits
// (depth, cost, aliases) count a document exactly as they do on the product schema.
const typeDefs = /* GraphQL */ `
  enum EntityType {
    Consumer
    Product
    Interest
  }
  type Entity {
    key: ID!
    id: ID!
    type: EntityType!
    name: String!
  }
  type TypeCount {
    name: String!
    count: Int!
  }
  type GraphStats {
    nodeCount: Int!
    relationshipCount: Int!
    byType: [TypeCount!]!
    byRelation: [TypeCount!]!
  }
  type Query {
    stats: GraphStats!
    entity(id: ID!, type: EntityType): Entity
    search(query: String!, types: [EntityType!], first: Int = 10): [Entity!]!
  }
`;

const resolvers = {
  Query: {
    stats: () => ({
      nodeCount: tinyEntities.length,
      relationshipCount: 0,
      byType: ['Consumer', 'Product', 'Interest'].map((name) => ({ name, count: tinyEntities.filter((e) => e.type === name).length })),
      byRelation: [],
    }),
    entity: (_: unknown, { id, type }: { id: string; type?: string | null }) => {
      const found = tinyEntities.find((e) => (type ? e.type === type && e.id === id : e.key === id));
      // Says neither the id nor the type: a consumer id must never reach a message or a log.
      if (!found) throw new GraphQLError('No such entity.', { extensions: { code: 'NOT_FOUND' } });
      return found;
    },
    search: async (_: unknown, { query, types, first }: { query: string; types?: string[] | null; first: number }) => {
      await sleep(tinySearchMs);
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      return tinyEntities
        .filter((e) => (!types?.length || types.includes(e.type)) && words.some((w) => e.name.toLowerCase().includes(w)))
        .slice(0, first);
    },
  },
};

/**
 * A tiny in-memory GraphQL schema for HTTP tests that need no database: `stats`, `entity`
 * and `search` with the contract's shapes, answered from `tinyEntities`. Its root fields are
 * real entries of the access map (server/auth/roles.ts), so `createApp({ schema })` guards
 * them with the real rules. A new schema each call: createApp's guard wraps it in place.
 */
export function tinySchema(): GraphQLSchema {
  const schema = makeExecutableSchema({ typeDefs, resolvers, resolverValidationOptions: { requireResolversToMatchSchema: 'error' } });
  for (const name of Object.keys(schema.getQueryType()!.getFields())) {
    if (!fieldRoles[`Query.${name}`]) throw new Error(`tiny schema: Query.${name} is not in the access map`);
  }
  return schema;
}
