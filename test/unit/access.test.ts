import { buildSchema, graphql, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldRoles, roleAllows, type Role } from '../../server/auth/roles.js';
import { guardRootFields } from '../../server/graphql/guard.js';

// Every root field of the contract (CONTRACT.md), whatever module resolves it.
const contractFields: Record<string, string> = {
  'Query.entity': 'entity(id: "x")',
  'Query.search': 'search(query: "x")',
  'Query.neighborhood': 'neighborhood(id: "x")',
  'Query.recommendProducts': 'recommendProducts(consumerId: "x")',
  'Query.related': 'related(id: "x")',
  'Query.demandLinks': 'demandLinks(id: "x")',
  'Query.paths': 'paths(from: "x", to: "y")',
  'Query.productOpportunities': 'productOpportunities',
  'Query.lookalikes': 'lookalikes(consumerId: "x")',
  'Query.stats': 'stats',
  'Mutation.ingestTriples': 'ingestTriples(n: 1)',
};
const expected: Record<string, Role> = {
  'Query.recommendProducts': 'service',
  'Query.lookalikes': 'service',
  'Mutation.ingestTriples': 'admin',
};

// A stand-in schema with the contract's root fields (scalars, so each call is one line) plus
// one field nobody put in the access map.
const stand = buildSchema(`type Query {
      entity(id: ID!): Int search(query: String!, first: Int = 10): Int neighborhood(id: ID!, depth: Int = 1, limit: Int = 100): Int
      recommendProducts(consumerId: ID!): Int related(id: ID!): Int demandLinks(id: ID!): Int paths(from: ID!, to: ID!): Int
      productOpportunities: Int lookalikes(consumerId: ID!): Int stats: Int unmapped: Int }
      type Mutation { ingestTriples(n: Int): Int }`);
for (const type of [stand.getQueryType(), stand.getMutationType()] as GraphQLObjectType[]) {
  for (const field of Object.values(type.getFields())) field.resolve = () => 1;
}
const schema = guardRootFields(stand);

async function call(field: string, role: Role | null, args?: string): Promise<string | null> {
  const [type, name] = field.split('.') as [string, string];
  const source = `${type === 'Mutation' ? 'mutation' : 'query'} { ${args ?? contractFields[field] ?? name} }`;
  const result = await graphql({ schema, source, contextValue: { caller: { name: 'k', role } } });
  return result.errors ? String(result.errors[0]!.extensions.code) : 'ok';
}

describe('the access map', () => {
  it('names a role for every root field of the contract', () => {
    for (const field of Object.keys(contractFields)) expect(fieldRoles[field], field).toBe(expected[field] ?? 'reader');
  });

  it('orders roles reader < service < admin', () => {
    expect(roleAllows('admin', 'service') && roleAllows('service', 'reader') && roleAllows('admin', 'reader')).toBe(true);
    expect(roleAllows('reader', 'service') || roleAllows('service', 'admin')).toBe(false);
  });
});

describe('guardRootFields: the role matrix', () => {
  const callers: (Role | null)[] = ['reader', 'service', 'admin', null];
  for (const field of Object.keys(contractFields)) {
    for (const role of callers) {
      const need = expected[field] ?? 'reader';
      const outcome = role === null ? 'UNAUTHENTICATED' : roleAllows(role, need) ? 'ok' : 'FORBIDDEN';
      it(`${field} as ${role ?? 'nobody'} → ${outcome}`, async () => {
        expect(await call(field, role)).toBe(outcome);
      });
    }
  }

  it('refuses a root field missing from the map to every role (fail closed)', async () => {
    expect(await call('Query.unmapped', 'admin')).toBe('FORBIDDEN');
  });

  it('caps arguments on every root field before its resolver runs', async () => {
    expect(await call('Query.search', 'admin', 'search(query: "x", first: 51)')).toBe('BAD_USER_INPUT');
    expect(await call('Query.neighborhood', 'admin', 'neighborhood(id: "x", depth: 4)')).toBe('BAD_USER_INPUT');
    expect(await call('Query.neighborhood', 'admin', 'neighborhood(id: "x", limit: 501)')).toBe('BAD_USER_INPUT');
    expect(await call('Query.search', 'admin', `search(query: "${'x'.repeat(2001)}")`)).toBe('BAD_USER_INPUT');
  });
});
