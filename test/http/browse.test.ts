import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { codes, gql } from '../support/graphql.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';

const db = testDatabase();
const ns = testNamespace('browse');
const config = testConfig();
const app = createApp({ db, config, logger: pino({ level: process.env.TEST_LOG ?? 'silent' }), vocabulary: coreVocabulary });
// A made-up word no other test file uses, so search results can be checked exactly.
const word = 'zq' + ns.slice(-8).replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!);
const rawConsumer = `${ns}-alice`;
const SPOKES = 30;

beforeAll(async () => {
  await db.write(
    'test-seed',
    `CREATE (c:Entity:Consumer {id: $pseudo, key: 'Consumer:' + $pseudo, name: $pseudo})
     CREATE (lamp:Entity:Product {id: $ns + '-lamp', key: 'Product:' + $ns + '-lamp', name: '露营灯' + $word, name_en: $word + ' camping lantern'})
     CREATE (tent:Entity:Product {id: $ns + '-tent', key: 'Product:' + $ns + '-tent', name: '户外露营帐篷' + $word, name_en: $word + ' outdoor tent'})
     CREATE (coffee:Entity:Product {id: $ns + '-coffee', key: 'Product:' + $ns + '-coffee', name: '咖啡豆', name_en: 'coffee beans ' + $word})
     CREATE (hub:Entity:Interest {id: $ns + '-hub', key: 'Interest:' + $ns + '-hub', name: $word + ' outdoors'})
     CREATE (c)-[:PURCHASED {weight: 2.0, count: 1, firstTs: 1709290000.0, lastTs: 1709300000.0}]->(lamp)
     CREATE (c)-[:INTERESTED_IN {weight: 1.0, count: 1}]->(hub)
     CREATE (lamp)-[:RELATES_TO {weight: 100.0, count: 1}]->(hub)
     WITH hub
     UNWIND range(1, $spokes) AS i
     CREATE (p:Entity:Product {id: $ns + '-p' + i, key: 'Product:' + $ns + '-p' + i, name: 'spoke ' + i})
     CREATE (p)-[:RELATES_TO {weight: toFloat(i), count: 1}]->(hub)`,
    { ns, word, pseudo: pseudonymize(config.pseudonymSecret, rawConsumer), spokes: SPOKES },
  );
});

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns OR n.id = $pseudo DETACH DELETE n', {
    ns,
    pseudo: pseudonymize(config.pseudonymSecret, rawConsumer),
  });
  await db.close();
  app.metrics.close();
});

const ENTITY = 'query($id: ID!, $type: EntityType) { entity(id: $id, type: $type) { key id type name nameEn properties } }';

describe('entity', () => {
  it('finds an entity by type and id, and by key without a type', async () => {
    const byType = await gql(app, ENTITY, { id: `${ns}-lamp`, type: 'Product' });
    expect(byType.body.data!.entity).toMatchObject({ key: `Product:${ns}-lamp`, type: 'Product', name: `露营灯${word}` });
    const byKey = await gql(app, ENTITY, { id: `Product:${ns}-lamp` });
    expect(byKey.body.data!.entity.key).toBe(`Product:${ns}-lamp`);
    const byBareId = await gql(app, ENTITY, { id: `${ns}-tent` });
    expect(byBareId.body.data!.entity.type).toBe('Product');
  });

  it('takes a consumer by raw id and shows only its pseudonym', async () => {
    const { body } = await gql(app, ENTITY, { id: rawConsumer, type: 'Consumer' });
    const pseudo = pseudonymize(config.pseudonymSecret, rawConsumer);
    expect(body.data!.entity).toMatchObject({ id: pseudo, key: `Consumer:${pseudo}`, type: 'Consumer' });
    expect(JSON.stringify(body)).not.toContain(rawConsumer);
  });

  it('answers NOT_FOUND for an unknown entity', async () => {
    const { body } = await gql(app, ENTITY, { id: `${ns}-nothing`, type: 'Product' });
    expect(codes(body)).toEqual(['NOT_FOUND']);
    const untyped = await gql(app, ENTITY, { id: `${ns}-nothing` });
    expect(codes(untyped.body)).toEqual(['NOT_FOUND']);
  });
});

const SEARCH = 'query($q: String!, $types: [EntityType!], $first: Int) { search(query: $q, types: $types, first: $first) { key type name } }';
const ours = (list: { key: string }[]) => list.map((e) => e.key).filter((k) => k.includes(ns));

describe('search', () => {
  it('finds Chinese names by a part of them', async () => {
    const { body } = await gql(app, SEARCH, { q: '露营', first: 50 });
    expect(ours(body.data!.search)).toEqual(expect.arrayContaining([`Product:${ns}-lamp`, `Product:${ns}-tent`]));
    expect(ours(body.data!.search)).not.toContain(`Product:${ns}-coffee`);
  });

  it('finds English names, best match first', async () => {
    const { body } = await gql(app, SEARCH, { q: `${word} lantern`, first: 10 });
    expect(body.data!.search[0].key).toBe(`Product:${ns}-lamp`);
  });

  it('tolerates typos', async () => {
    const typo = word.slice(0, 3) + word[4] + word[3] + word.slice(5); // two letters swapped
    const { body } = await gql(app, SEARCH, { q: `${typo} lanterm`, first: 10 });
    expect(body.data!.search[0].key).toBe(`Product:${ns}-lamp`);
  });

  it('puts the entity whose id is exactly the query first (a pasted consumer pseudonym)', async () => {
    const pseudo = pseudonymize(config.pseudonymSecret, rawConsumer);
    const { body } = await gql(app, SEARCH, { q: pseudo, first: 5 });
    expect(body.data!.search[0]).toMatchObject({ key: `Consumer:${pseudo}`, type: 'Consumer' });
  });

  it('filters by type', async () => {
    const { body } = await gql(app, SEARCH, { q: word, types: ['Interest'], first: 50 });
    expect(body.data!.search.map((e: { type: string }) => e.type)).toEqual(body.data!.search.map(() => 'Interest'));
    expect(ours(body.data!.search)).toEqual([`Interest:${ns}-hub`]);
  });

  it('treats Lucene syntax in the query as plain text', async () => {
    for (const q of ['露营 AND (*', `${word}~~~ OR name:*`, '\\"unbalanced', '[a TO z]', '!!!']) {
      const { status, body } = await gql(app, SEARCH, { q });
      expect(status, q).toBeLessThan(500);
      expect(codes(body).filter((c) => c !== 'BAD_USER_INPUT'), q).toEqual([]);
    }
  });

  it('refuses an empty query and a too large first', async () => {
    expect(codes((await gql(app, SEARCH, { q: '  ?? ' })).body)).toEqual(['BAD_USER_INPUT']);
    const big = await gql(app, SEARCH, { q: 'x', first: 1000 });
    expect(big.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first', max: 50 });
  });
});

const HOOD = `query($id: ID!, $type: EntityType, $depth: Int, $relations: [String!], $limit: Int) {
  neighborhood(id: $id, type: $type, depth: $depth, relations: $relations, limit: $limit) {
    nodes { key type name } edges { source target relation weight } truncated } }`;

describe('neighborhood', () => {
  it('keeps the strongest neighbours of a supernode and counts the rest', async () => {
    const { body } = await gql(app, HOOD, { id: `${ns}-hub`, type: 'Interest', limit: 10 });
    const g = body.data!.neighborhood;
    // 30 spokes + the lamp + the consumer are neighbours; 10 kept.
    expect(g.nodes).toHaveLength(11);
    expect(g.nodes[0].key).toBe(`Interest:${ns}-hub`);
    expect(g.truncated).toBe(SPOKES + 2 - 10);
    const kept = g.nodes.slice(1).map((n: { key: string }) => n.key);
    expect(kept).toContain(`Product:${ns}-lamp`); // weight 100
    for (let i = SPOKES; i > SPOKES - 9; i--) expect(kept).toContain(`Product:${ns}-p${i}`);
    expect(kept).not.toContain(`Product:${ns}-p1`);
    // Edges join node keys and carry weights.
    const keys = new Set(g.nodes.map((n: { key: string }) => n.key));
    for (const e of g.edges) expect(keys.has(e.source) && keys.has(e.target)).toBe(true);
    expect(g.edges).toContainEqual({ source: `Product:${ns}-lamp`, target: `Interest:${ns}-hub`, relation: 'RELATES_TO', weight: 100 });
  });

  it("gives each edge its first and last timestamp (the explorer's time filter), null when none", async () => {
    const q = `query($id: ID!) { neighborhood(id: $id, type: Product, limit: 10) { edges { source relation firstTs lastTs } } }`;
    const { body } = await gql(app, q, { id: `${ns}-lamp` });
    const edges = body.data!.neighborhood.edges as { source: string; relation: string; firstTs: number | null; lastTs: number | null }[];
    expect(edges.find((e) => e.relation === 'PURCHASED')).toMatchObject({ firstTs: 1709290000, lastTs: 1709300000 });
    expect(edges.find((e) => e.relation === 'RELATES_TO')).toMatchObject({ firstTs: null, lastTs: null });
  });

  it('filters by relation and walks further with depth', async () => {
    const one = await gql(app, HOOD, { id: rawConsumer, type: 'Consumer', relations: ['PURCHASED'] });
    expect(one.body.data!.neighborhood.nodes.map((n: { key: string }) => n.key)).toEqual([
      `Consumer:${pseudonymize(config.pseudonymSecret, rawConsumer)}`,
      `Product:${ns}-lamp`,
    ]);
    const two = await gql(app, HOOD, { id: `${ns}-lamp`, type: 'Product', depth: 2, relations: ['RELATES_TO'], limit: 500 });
    const g = two.body.data!.neighborhood;
    expect(g.nodes).toHaveLength(2 + SPOKES); // lamp, hub, 30 spokes via the hub
    expect(g.truncated).toBe(0);
    expect(g.edges.every((e: { relation: string }) => e.relation === 'RELATES_TO')).toBe(true);
  });

  it('refuses unknown relations, unknown entities and out-of-range arguments', async () => {
    const rel = await gql(app, HOOD, { id: `${ns}-hub`, type: 'Interest', relations: ['DROP_ALL'] });
    expect(rel.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'relations' });
    expect(codes((await gql(app, HOOD, { id: `${ns}-none`, type: 'Interest' })).body)).toEqual(['NOT_FOUND']);
    const depth = await gql(app, HOOD, { id: `${ns}-hub`, type: 'Interest', depth: 9 });
    expect(depth.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'depth', max: 3 });
    const limit = await gql(app, HOOD, { id: `${ns}-hub`, type: 'Interest', limit: 100000 });
    expect(limit.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'limit', max: 500 });
  });
});
