import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { codes, gql } from '../support/graphql.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';
import { keysForEveryRole } from '../support/role-matrix.js';

// Issue 17, finding 4: the reader role got per-consumer data (related from a consumer was
// recommendProducts, entity was a membership oracle, neighborhood and paths showed buyers'
// pseudonyms, segmentOf gave a consumer's segment). A reader now gets aggregates only (a path
// through a consumer only when at least k consumers make that hop); the service role still sees consumers.
const db = testDatabase();
const ns = testNamespace('reader');
const { keysFile, keys } = keysForEveryRole();
const config = testConfig({ host: '0.0.0.0', apiKeysFile: keysFile });
const app = createApp({ db, config, logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
const raw = `${ns}-alice`;
const pseudo = pseudonymize(config.pseudonymSecret, raw);
const lamp = `${ns}-lamp`;
const tent = `${ns}-tent`;
const reader = { authorization: `Bearer ${keys.reader}` };
const service = { authorization: `Bearer ${keys.service}` };
/** Every body a reader got, to check that no pseudonym ever appears in one. */
const readerBodies: string[] = [];
const asReader = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await gql(app, query, variables, reader);
  readerBodies.push(JSON.stringify(res.body));
  return res;
};

beforeAll(async () => {
  await db.write(
    'test-seed',
    `CREATE (c:Entity:Consumer {id: $pseudo, key: 'Consumer:' + $pseudo, name: $pseudo})
     CREATE (lamp:Entity:Product {id: $lamp, key: 'Product:' + $lamp, name: $ns + ' lamp'})
     CREATE (tent:Entity:Product {id: $tent, key: 'Product:' + $tent, name: $ns + ' tent'})
     CREATE (hub:Entity:Interest {id: $ns + '-hub', key: 'Interest:' + $ns + '-hub', name: $ns + ' outdoors'})
     CREATE (c)-[:PURCHASED {weight: 2.0, count: 1}]->(lamp)
     CREATE (c)-[:PURCHASED {weight: 2.0, count: 1}]->(tent)
     CREATE (c)-[:INTERESTED_IN {weight: 1.0, count: 1}]->(hub)
     CREATE (lamp)-[:RELATES_TO {weight: 1.0, count: 1}]->(hub)`,
    { ns, pseudo, lamp, tent },
  );
  // k (5) consumers who all bought a stove and a mug: a hop a reader may see as an aggregate.
  await db.write(
    'test-seed-group',
    `CREATE (stove:Entity:Product {id: $ns + '-stove', key: 'Product:' + $ns + '-stove', name: $ns + ' stove'})
     CREATE (mug:Entity:Product {id: $ns + '-mug', key: 'Product:' + $ns + '-mug', name: $ns + ' mug'})
     WITH stove, mug UNWIND range(1, 5) AS i
     CREATE (c:Entity:Consumer {id: $ns + '-buyer-' + i, key: 'Consumer:' + $ns + '-buyer-' + i})
     CREATE (c)-[:PURCHASED {weight: 1.0, count: 1}]->(stove)
     CREATE (c)-[:PURCHASED {weight: 1.0, count: 1}]->(mug)`,
    { ns },
  );
});

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns OR n.id = $pseudo DETACH DELETE n', { ns, pseudo });
  await db.close();
  app.metrics.close();
});

const ENTITY = 'query($id: ID!, $type: EntityType) { entity(id: $id, type: $type) { key type } }';
const RELATED = 'query($id: ID!, $type: EntityType) { related(id: $id, type: $type, targetType: Product) { entity { key } } }';
const NEIGHBORHOOD = 'query($id: ID!) { neighborhood(id: $id, type: Product) { nodes { key type } edges { source target } } }';
const PATHS = 'query($from: ID!, $fromType: EntityType, $to: ID!) { paths(from: $from, fromType: $fromType, to: $to, toType: Product, maxLength: 4) { nodes { key id type name } relations } }';

describe('finding 4: the reader role sees aggregates only', () => {
  it('related from a consumer (typed or not) is not recommendProducts for a reader', async () => {
    expect(codes((await asReader(RELATED, { id: raw, type: 'Consumer' })).body)).toEqual(['FORBIDDEN']);
    const untyped = await asReader(RELATED, { id: raw });
    const unknown = await asReader(RELATED, { id: `${ns}-nobody` });
    expect(codes(untyped.body)).toEqual(['NOT_FOUND']);
    // Same answer as for nobody: no membership oracle.
    expect(untyped.body.errors![0]!.message.replace(raw, 'X')).toBe(unknown.body.errors![0]!.message.replace(`${ns}-nobody`, 'X'));
    const asService = await gql(app, RELATED, { id: raw, type: 'Consumer' }, service);
    expect(codes(asService.body)).toEqual([]);
  });

  it('entity is no membership oracle: a consumer answers like an unknown id', async () => {
    expect(codes((await asReader(ENTITY, { id: raw, type: 'Consumer' })).body)).toEqual(['FORBIDDEN']);
    expect(codes((await asReader(ENTITY, { id: `${ns}-nobody`, type: 'Consumer' })).body)).toEqual(['FORBIDDEN']);
    expect(codes((await asReader(ENTITY, { id: `Consumer:${pseudo}` })).body)).toEqual(['FORBIDDEN']);
    const untyped = await asReader(ENTITY, { id: raw });
    expect(codes(untyped.body)).toEqual(['NOT_FOUND']);
    expect(untyped.body.errors![0]!.message).toBe(`There is no entity with id "${raw}".`);
    // Other types still resolve without a type.
    expect((await asReader(ENTITY, { id: lamp })).body.data!.entity.key).toBe(`Product:${lamp}`);
    expect((await gql(app, ENTITY, { id: raw, type: 'Consumer' }, service)).body.data!.entity.key).toBe(`Consumer:${pseudo}`);
  });

  it("neighborhood of a product does not list its buyers' pseudonyms to a reader", async () => {
    const { body } = await asReader(NEIGHBORHOOD, { id: lamp });
    expect(codes(body)).toEqual([]);
    const nodes = body.data!.neighborhood.nodes as { key: string; type: string }[];
    expect(nodes.map((n) => n.type)).not.toContain('Consumer');
    expect(nodes.map((n) => n.key)).toContain(`Interest:${ns}-hub`);
    for (const e of body.data!.neighborhood.edges as { source: string; target: string }[]) {
      expect(e.source.startsWith('Consumer:') || e.target.startsWith('Consumer:')).toBe(false);
    }
    const asService = await gql(app, NEIGHBORHOOD, { id: lamp }, service);
    expect((asService.body.data!.neighborhood.nodes as { key: string }[]).map((n) => n.key)).toContain(`Consumer:${pseudo}`);
  });

  it('paths from a consumer are refused, and consumers on a path are withheld', async () => {
    expect(codes((await asReader(PATHS, { from: raw, fromType: 'Consumer', to: lamp })).body)).toEqual(['FORBIDDEN']);
    expect(codes((await asReader(PATHS, { from: raw, to: lamp })).body)).toEqual(['NOT_FOUND']);
    type Paths = { nodes: { key: string; type: string }[]; relations: string[] }[];
    const through = (paths: Paths) => paths.filter((p) => p.nodes.some((n) => n.type === 'Consumer'));
    // Five consumers bought both: the reader sees the hop, its consumer withheld.
    const grouped = await asReader(PATHS, { from: `${ns}-stove`, fromType: 'Product', to: `${ns}-mug` });
    expect(codes(grouped.body)).toEqual([]);
    const paths = grouped.body.data!.paths as Paths;
    expect(through(paths).length).toBeGreaterThan(0);
    for (const p of paths) {
      expect(p.nodes.length).toBe(p.relations.length + 1);
      for (const n of p.nodes) if (n.type === 'Consumer') expect(n.key).toBe('Consumer:withheld');
    }
  });

  it('a path through fewer than k consumers is not shown to a reader (not even withheld)', async () => {
    type Paths = { nodes: { key: string; type: string }[] }[];
    const through = (paths: Paths) => paths.filter((p) => p.nodes.some((n) => n.type === 'Consumer'));
    // Only alice bought the tent and the lamp: a withheld node would still say "one consumer did".
    const asReaderPaths = await asReader(PATHS, { from: tent, fromType: 'Product', to: lamp });
    expect(codes(asReaderPaths.body)).toEqual([]);
    expect(through(asReaderPaths.body.data!.paths as Paths)).toEqual([]);
    const asService = await gql(app, PATHS, { from: tent, fromType: 'Product', to: lamp }, service);
    expect(through(asService.body.data!.paths as Paths).length).toBeGreaterThan(0);
  });

  it("segmentOf and Entity.segment give no consumer's segment to a reader", async () => {
    expect(codes((await asReader('query($k: [ID!]!) { segmentOf(keys: $k) { key segment } }', { k: [`Consumer:${pseudo}`] })).body)).toEqual(['FORBIDDEN']);
    const search = await asReader('query($q: String!) { search(query: $q, first: 50) { key type segment } }', { q: ns });
    expect(codes(search.body)).toEqual([]);
    expect((search.body.data!.search as { type: string }[]).map((e) => e.type)).not.toContain('Consumer');
  });

  it('no answer a reader got carries the pseudonym', () => {
    expect(readerBodies.length).toBeGreaterThan(5);
    for (const body of readerBodies) expect(body).not.toContain(pseudo);
  });
});
