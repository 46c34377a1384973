import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { learnModel } from '../../server/recommend/model/learn-model.js';
import { fixedModel } from '../../server/recommend/model/holder.js';
import { codes, gql } from '../support/graphql.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';
import { keysForEveryRole } from '../support/role-matrix.js';

// audience (role service) and audienceReport (role reader) over the file's own consumers and
// products, with a model learned in memory from exactly those engagements (fixedModel): no
// graph-wide build, so the file runs next to others. Consumers of other files are in the
// graph too; the model does not hold their products, so they never score.
const db = testDatabase();
const ns = testNamespace('audience');
const { keysFile, keys } = keysForEveryRole();
const config = testConfig({ host: '0.0.0.0', apiKeysFile: keysFile });
const reader = { authorization: `Bearer ${keys.reader}` };
const service = { authorization: `Bearer ${keys.service}` };
const A = ['a1', 'a2', 'a3', 'a4'].map((p) => `${ns}-${p}`);
const B = ['b1', 'b2', 'b3', 'b4'].map((p) => `${ns}-${p}`);

// 24 consumers of taste A, 12 of taste B; consumer u skips product u % 4 of its group, and the
// taste-A consumers who skip a4 buy only a1. Every purchase of a4 or b4 is the latest (time
// 2000, the rest 1000), so a back-test by time holds exactly those out. Consumer 0 (who skips
// a1, buys a4) and consumer 1 (who skips a2) are one person under two ids; so are consumers 3
// and 7 (both skip a4).
interface Buy { u: string; p: string; ts: number }
const consumer = (u: number) => `${ns}-u${u}`;
const buys: Buy[] = [];
for (let u = 0; u < 36; u++) {
  const group = u < 24 ? A : B;
  group.forEach((p, k) => {
    if (k === u % 4 || (u < 24 && u % 4 === 3 && k !== 0)) return;
    buys.push({ u: consumer(u), p, ts: k === 3 ? 2000 : 1000 });
  });
}
const persons: Record<string, string> = { [consumer(0)]: `p_${ns}-one`, [consumer(1)]: `p_${ns}-one`, [consumer(3)]: `p_${ns}-two`, [consumer(7)]: `p_${ns}-two` };
const model = learnModel(
  {
    engagements: buys.map((b) => ({ user: persons[b.u] ?? b.u, item: b.p, w: Math.log1p(1) })),
    strong: new Set(buys.map((b) => `${persons[b.u] ?? b.u}\u0000${b.p}`)),
    products: [...A, ...B].map((id) => ({ id, name: `${id} name`, nameEn: '' })),
    interests: [`${ns}-ta`, `${ns}-tb`, `${ns}-all`].map((id) => ({ id, name: `${id} name` })),
    productInterests: [...A.map((product) => ({ product, interest: `${ns}-ta`, w: 1 })), ...B.map((product) => ({ product, interest: `${ns}-tb`, w: 1 }))],
    taxonomy: [{ narrower: `${ns}-ta`, broader: `${ns}-all`, rel: 'SUBTOPIC_OF' }, { narrower: `${ns}-tb`, broader: `${ns}-all`, rel: 'SUBTOPIC_OF' }],
    revisitViewed: false,
  },
  `${ns}-model`,
);
const app = createApp({ db, config, logger: pino({ level: 'silent' }), vocabulary: coreVocabulary, recommendModel: fixedModel(model) });

beforeAll(async () => {
  await db.write(
    'test-seed-audience',
    `UNWIND $products AS p CREATE (:Entity:Product {id: p, key: 'Product:' + p, name: p + ' name'})
     WITH count(*) AS done
     UNWIND $interests AS t CREATE (:Entity:Interest {id: t, key: 'Interest:' + t, name: t + ' name'})
     WITH count(*) AS done
     UNWIND range(0, 35) AS u
     CREATE (:Entity:Consumer {id: $ns + '-u' + u, key: 'Consumer:' + $ns + '-u' + u})`,
    { ns, products: [...A, ...B], interests: [`${ns}-ta`, `${ns}-tb`, `${ns}-all`] },
  );
  await db.write(
    'test-seed-audience-links',
    `UNWIND $buys AS b
     MATCH (c:Consumer {id: b.u}), (p:Product {id: b.p})
     CREATE (c)-[:PURCHASED {weight: 1.0, count: 1, firstTs: b.ts, lastTs: b.ts}]->(p)
     WITH count(*) AS done
     UNWIND $persons AS x MATCH (c:Consumer {id: x[0]}) SET c.person = x[1], c.personIds = 2
     WITH count(*) AS done
     UNWIND $rel AS r MATCH (p:Product {id: r[0]}), (t:Interest {id: r[1]}) CREATE (p)-[:RELATES_TO {weight: 1.0, count: 1}]->(t)
     WITH count(*) AS done
     MATCH (a:Interest {id: $ns + '-ta'}), (b:Interest {id: $ns + '-tb'}), (all:Interest {id: $ns + '-all'})
     CREATE (a)-[:SUBTOPIC_OF {weight: 1.0, count: 1}]->(all), (b)-[:SUBTOPIC_OF {weight: 1.0, count: 1}]->(all)`,
    {
      ns,
      buys,
      persons: Object.entries(persons),
      rel: [...A.map((p) => [p, `${ns}-ta`]), ...B.map((p) => [p, `${ns}-tb`])],
    },
  );
});

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns DETACH DELETE n', { ns });
  await db.close();
  app.metrics.close();
});

const AUDIENCE = `query($id: ID!, $type: EntityType!, $size: Int, $exploration: Float, $under: Boolean) {
  audience(id: $id, type: $type, size: $size, exploration: $exploration, under: $under) {
    target { key } size members { person score reasons { share text path { nodes { id type } relations } } } } }`;
const REPORT = `query($id: ID!, $type: EntityType!, $size: Int, $under: Boolean) {
  audienceReport(id: $id, type: $type, size: $size, under: $under) { size expectedConversion baseRate lift method } }`;
type Member = { person: string; score: number; reasons: { share: number; text: string; path: { nodes: { id: string; type: string }[]; relations: string[] } }[] };
const members = async (vars: Record<string, unknown>) => {
  const res = await gql(app, AUDIENCE, vars, service);
  expect(codes(res.body), JSON.stringify(res.body.errors)).toEqual([]);
  return res.body.data!.audience as { target: { key: string }; size: number; members: Member[] };
};
const buyersOf = (p: string) => new Set(buys.filter((b) => b.p === p).map((b) => persons[b.u] ?? `p_${b.u}`));

describe('roles', () => {
  it('a reader is FORBIDDEN the member list and gets the report', async () => {
    const listed = await gql(app, AUDIENCE, { id: A[3], type: 'Product' }, reader);
    expect(codes(listed.body)).toEqual(['FORBIDDEN']);
    expect(listed.body.data?.audience ?? null).toBeNull();
    const report = await gql(app, REPORT, { id: A[3], type: 'Product' }, reader);
    expect(codes(report.body)).toEqual([]);
    expect(JSON.stringify(report.body)).not.toMatch(/p_|u\d/);
    // Without a key, on a non-local bind, neither.
    expect(codes((await gql(app, REPORT, { id: A[3], type: 'Product' })).body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('audience', () => {
  it('lists the persons who have not bought the product under any id, taste A first, each with reasons', async () => {
    const a = await members({ id: A[3], type: 'Product', size: 100 });
    expect(a.target.key).toBe(`Product:${A[3]}`);
    const listed = a.members.map((m) => m.person);
    expect(a.size).toBe(listed.length);
    // Taste A consumers who skip a4 (u = 3, 7, 11, 15, 19, 23): 3 and 7 are one person.
    expect(listed.sort()).toEqual([`p_${ns}-two`, ...[11, 15, 19, 23].map((u) => `p_${consumer(u)}`)].sort());
    for (const p of buyersOf(A[3]!)) expect(listed).not.toContain(p);
    for (const m of a.members) {
      expect(m.score).toBeGreaterThan(0);
      expect(m.reasons.length).toBeGreaterThan(0);
      expect(m.reasons.length).toBeLessThanOrEqual(3);
      expect(m.reasons.reduce((t, r) => t + r.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
      for (const r of m.reasons) {
        expect(r.path.nodes[0]!.id).toBe(m.person);
        expect(r.path.nodes.filter((n) => n.type === 'Consumer')).toHaveLength(1);
        expect(r.path.nodes.at(-1)!.id).toBe(A[3]);
      }
    }
    // Person "one" bought a4 under consumer 0 only; consumer 1 (same person) skipped a2.
    const forA2 = (await members({ id: A[1], type: 'Product' })).members.map((m) => m.person);
    expect(forA2).not.toContain(`p_${ns}-one`);
    expect(forA2.length).toBeGreaterThan(0);
  });

  it('leaves out a person who bought the product since the model was read', async () => {
    const before = (await members({ id: A[3], type: 'Product' })).members.map((m) => m.person);
    expect(before).toContain(`p_${consumer(11)}`);
    await db.write('test-buy-now', `MATCH (c:Consumer {id: $u}), (p:Product {id: $p}) CREATE (c)-[:PURCHASED {weight: 1.0, count: 1, firstTs: 2100, lastTs: 2100}]->(p)`, { u: consumer(11), p: A[3] });
    try {
      const after = (await members({ id: A[3], type: 'Product' })).members.map((m) => m.person);
      expect(after).not.toContain(`p_${consumer(11)}`);
      expect(after.length).toBe(before.length - 1);
    } finally {
      await db.write('test-unbuy', `MATCH (c:Consumer {id: $u})-[r:PURCHASED]->(p:Product {id: $p}) WHERE r.firstTs = 2100 DELETE r`, { u: consumer(11), p: A[3] });
    }
  });

  it('an interest, and anything under an interest', async () => {
    // Everyone of taste A engaged with taste A: the audience for it is empty; under "all", too.
    expect((await members({ id: `${ns}-ta`, type: 'Interest' })).members).toEqual([]);
    expect((await members({ id: `${ns}-all`, type: 'Interest', under: true })).members).toEqual([]);
    // "all" itself has no products: nothing relates to it directly.
    expect((await members({ id: `${ns}-all`, type: 'Interest' })).size).toBe(0);
  });

  it('caps the size and refuses bad arguments with BAD_USER_INPUT', async () => {
    expect((await members({ id: A[3], type: 'Product', size: 2 })).members).toHaveLength(2);
    const bad = async (vars: Record<string, unknown>, query = AUDIENCE) => codes((await gql(app, query, vars, service)).body);
    expect(await bad({ id: A[3], type: 'Product', size: 0 })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ id: A[3], type: 'Product', size: 5001 })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ id: A[3], type: 'Product', exploration: 1.5 })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ id: consumer(3), type: 'Consumer' })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ id: A[3], type: 'Product', under: true })).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ id: A[3], type: 'Product', size: 1_000_001 }, REPORT)).toEqual(['BAD_USER_INPUT']);
    expect(await bad({ id: `${ns}-nothing`, type: 'Product' })).toEqual(['NOT_FOUND']);
  });
});

describe('audienceReport', () => {
  const report = async (vars: Record<string, unknown>) => {
    const res = await gql(app, REPORT, vars, reader);
    expect(codes(res.body), JSON.stringify(res.body.errors)).toEqual([]);
    return res.body.data!.audienceReport as { size: number | null; expectedConversion: number | null; baseRate: number; lift: number | null; method: string };
  };

  it('gives a k-anonymous size, and a back-tested conversion above the base rate', async () => {
    const r = await report({ id: A[3], type: 'Product' });
    // Five persons could still buy a4: size 5 (k = 5).
    expect(r.size).toBe(5);
    expect(r.method).toMatch(/held out by time/);
    // Held out: every a4 purchase, by 17 of the 34 persons (18 consumers, person "one" twice).
    expect(r.baseRate).toBeCloseTo(17 / 34, 9);
    // Scored from before the cut, the five strongest are a4's later buyers (taste A, two
    // products or more), not the one-product consumers nor taste B.
    expect(r.expectedConversion).toBe(1);
    expect(r.lift).toBeCloseTo(2, 9);
  });

  it('below k: null size, conversion and lift', async () => {
    // Taste B has 12 consumers; 3 skip b4.
    const r = await report({ id: B[3], type: 'Product' });
    expect(r.size).toBeNull();
    expect(r.lift).toBeNull();
    expect(r.expectedConversion).toBeNull();
    expect(r.baseRate).toBeGreaterThan(0);
    // A smaller size asked for is below k too.
    const small = await report({ id: A[3], type: 'Product', size: 4 });
    expect(small.size).toBeNull();
    expect(small.lift).toBeNull();
  });
});
