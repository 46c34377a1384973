import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { refreshDerived } from '../../server/domains.js';
import { productOpportunities } from '../../server/insights/opportunities.js';
import { strongestPaths } from '../../server/insights/paths.js';
import { listSegments, segmentsOfKeys } from '../../server/insights/segment-lookup.js';
import { risingInterests, trend } from '../../server/insights/trends.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { createGraph, range, removeGraph } from '../support/insights-graph.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';

const db = testDatabase(120_000);
const ns = testNamespace('insights');
const secret = 'test-secret-test-secret-test-secret';
const opts = { kAnonymity: 5, pseudonymSecret: secret };
const key = (type: string, id: string) => `${type}:${ns}-${id}`;
type L = [string, string, string, number?, number?];
const all = (cs: string[], rel: string, target: string, w?: number, ts?: number): L[] => cs.map((c) => [c, rel, target, w, ts]);

// Other test files and data may share the database: look only at this file's interests.
const mine = ['iA', 'iB', 'iC', 'iD', 'iP', 'iX', 'iY', 'iQ1', 'iQ2', 'iQ3'].map((i) => `Interest:${ns}-${i}`);
const T_OLD = 1_600_000_000; // 2020-09
const T_NEW = 1_700_000_000; // 2023-11

// Planted: {iA, iB} shared by c1..c12 with no product serving both (a gap); {iC, iD} shared by
// c13..c24 and served by p1, which they all bought (no gap); {iX, iY} on 3 consumers (below k);
// {iQ1, iQ2, iQ3} shared by c61..c75 (a triple); iA is a subtopic of iP; iR rises from 5 to 20 new
// consumers between two periods; paths pS→pT through a niche interest and through a hub.
beforeAll(async () => {
  const links: L[] = [
    ...all(range('c', 1, 12), 'INTERESTED_IN', 'iA', 1, T_NEW),
    ...all(range('c', 1, 12), 'INTERESTED_IN', 'iB', 1, T_NEW),
    ...all(range('c', 1, 12), 'INTERESTED_IN', 'iP', 1, T_NEW),
    ['iA', 'SUBTOPIC_OF', 'iP'],
    ['p2', 'RELATES_TO', 'iA'],
    ['p3', 'RELATES_TO', 'iB'],
    ...all(range('c', 41, 60), 'INTERESTED_IN', 'iA', 1, T_NEW),
    ...all(range('c', 13, 24), 'INTERESTED_IN', 'iC', 1, T_NEW),
    ...all(range('c', 13, 24), 'INTERESTED_IN', 'iD', 1, T_NEW),
    ['p1', 'RELATES_TO', 'iC'],
    ['p1', 'RELATES_TO', 'iD'],
    ...all(range('c', 13, 24), 'PURCHASED', 'p1', 1, T_NEW),
    ...all(range('c', 25, 27), 'INTERESTED_IN', 'iX', 1, T_NEW),
    ...all(range('c', 25, 27), 'INTERESTED_IN', 'iY', 1, T_NEW),
    ...all(range('c', 61, 75), 'INTERESTED_IN', 'iQ1', 1, T_OLD),
    ...all(range('c', 61, 75), 'INTERESTED_IN', 'iQ2', 1, T_OLD),
    ...all(range('c', 61, 75), 'INTERESTED_IN', 'iQ3', 1, T_OLD),
    ...all(range('c', 76, 80), 'INTERESTED_IN', 'iR', 1, 1_050_000_000),
    ...all(range('c', 81, 100), 'INTERESTED_IN', 'iR', 1, 1_150_000_000),
    ...all(range('c', 81, 100), 'INTERESTED_IN', 'iS', 1, 1_150_000_000),
    ...all(range('c', 76, 80), 'INTERESTED_IN', 'iS', 1, 1_050_000_000),
    ['pS', 'RELATES_TO', 'iNiche', 3],
    ['pT', 'RELATES_TO', 'iNiche', 3],
    ['pS', 'RELATES_TO', 'iHub', 3],
    ['pT', 'RELATES_TO', 'iHub', 3],
    ...all(range('c', 200, 239), 'INTERESTED_IN', 'iHub'),
    ['c240', 'INTERESTED_IN', 'iNiche'],
  ];
  await createGraph(db, ns, { links });
  await refreshDerived(db, coreVocabulary);
}, 240_000);

afterAll(async () => {
  await removeGraph(db, ns);
  await db.close();
});

describe('productOpportunities', () => {
  it('finds the planted gap with its evidence and leaves the served combination out', async () => {
    const r = await productOpportunities(db, coreVocabulary, { ...opts, first: 200, involving: mine });
    const ids = (o: { interests: { key: string }[] }) => o.interests.map((i) => i.key).sort().join('|');
    const ab = r.opportunities.find((o) => ids(o) === [key('Interest', 'iA'), key('Interest', 'iB')].sort().join('|'))!;
    expect(ab).toBeDefined();
    expect(ab.consumers).toBe(12);
    expect(ab.servingProducts).toBe(0);
    expect(ab.gap).toBe(1);
    expect(ab.lift).toBeGreaterThan(1);
    expect(ab.demand).toBeCloseTo(12 * Math.log2(ab.lift), 9);
    expect(ab.gapScore).toBeCloseTo(ab.demand, 9);
    expect(ab.closestProducts.map((p) => p.key).sort()).toEqual([key('Product', 'p2'), key('Product', 'p3')].sort());
    expect(ab.segments[0]!.consumers).toBe(12);
    expect(ab.adjacentInterests.map((i) => i.key)).toContain(key('Interest', 'iP'));
    // Served by p1, which all its consumers bought: one product is a single option, so at most
    // half a gap stays (gapOf), ranked below the unserved planted gap.
    const served = r.opportunities.filter((o) => ids(o).includes(`${ns}-iC`));
    for (const o of served) {
      expect(o.servingProducts).toBe(1);
      expect(o.gap).toBeCloseTo(0.5, 9);
      expect(r.opportunities.indexOf(o)).toBeGreaterThan(r.opportunities.indexOf(ab));
    }
    // A parent and its subtopic co-occur by construction: never an opportunity.
    expect(r.opportunities.some((o) => ids(o) === [key('Interest', 'iA'), key('Interest', 'iP')].sort().join('|'))).toBe(false);
    // Three consumers only: withheld and counted.
    expect(r.opportunities.some((o) => ids(o).includes(`${ns}-iX`))).toBe(false);
    expect(r.suppressed).toBeGreaterThanOrEqual(1);
    // Sorted by gap score.
    const scores = r.opportunities.map((o) => o.gapScore);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  });

  it('reports a planted triple instead of its three pairs', async () => {
    const r = await productOpportunities(db, coreVocabulary, { ...opts, first: 200, involving: mine });
    const q = r.opportunities.filter((o) => o.interests.some((i) => i.id.startsWith(`${ns}-iQ`)));
    expect(q).toHaveLength(1);
    expect(q[0]!.interests.map((i) => i.id).sort()).toEqual([`${ns}-iQ1`, `${ns}-iQ2`, `${ns}-iQ3`]);
    expect(q[0]!.consumers).toBe(15);
  });

  it('filters by interest subtree and by time window', async () => {
    const sub = await productOpportunities(db, coreVocabulary, { ...opts, first: 50, subtree: `${ns}-iP` });
    expect(sub.opportunities.length).toBeGreaterThan(0);
    for (const o of sub.opportunities) expect(o.interests.some((i) => i.key === key('Interest', 'iA') || i.key === key('Interest', 'iP'))).toBe(true);
    const recent = await productOpportunities(db, coreVocabulary, { ...opts, first: 200, involving: mine, since: T_NEW - 1000, until: T_NEW + 1000 });
    expect(recent.live).toBe(true);
    expect(recent.opportunities.some((o) => o.interests.some((i) => i.id === `${ns}-iB`))).toBe(true);
    expect(recent.opportunities.some((o) => o.interests.some((i) => i.id.startsWith(`${ns}-iQ`)))).toBe(false);
  });

  it('honours minConsumers', async () => {
    const r = await productOpportunities(db, coreVocabulary, { ...opts, first: 200, minConsumers: 13, involving: mine });
    expect(r.opportunities.every((o) => o.consumers >= 13)).toBe(true);
    expect(r.opportunities.some((o) => o.interests.some((i) => i.id.startsWith(`${ns}-iQ`)))).toBe(true);
  });
});

describe('segments', () => {
  it('clusters co-occurring interests and puts consumers and products in their cluster', async () => {
    const [a, b, c, d, c1, c13, p1] = await segmentsOfKeys(db, [
      key('Interest', 'iA'),
      key('Interest', 'iB'),
      key('Interest', 'iC'),
      key('Interest', 'iD'),
      key('Consumer', 'c1'),
      key('Consumer', 'c13'),
      key('Product', 'p1'),
    ]);
    expect(a).not.toBeNull();
    expect(b).toBe(a);
    expect(c).not.toBeNull();
    expect(d).toBe(c);
    expect(c).not.toBe(a);
    expect(c1).toBe(a);
    expect(c13).toBe(c);
    expect(p1).toBe(c);
    const segments = await listSegments(db, coreVocabulary, { kAnonymity: 5, first: 1000 });
    const sc = segments.find((s) => s.id === c)!;
    expect(sc.interests.map((i) => i.key).sort()).toEqual([key('Interest', 'iC'), key('Interest', 'iD')].sort());
    expect(sc.consumers).toBe(12);
    expect(sc.suppressed).toBe(false);
    const strict = (await listSegments(db, coreVocabulary, { kAnonymity: 13, first: 1000 })).find((s) => s.id === c)!;
    expect(strict.suppressed).toBe(true);
    expect(strict.consumers).toBeNull();
    expect(strict.share).toBeNull();
  });
});

describe('trends', () => {
  const before = { from: 1_000_000_000, to: 1_100_000_000 };
  const after = { from: 1_100_000_000, to: 1_200_000_000 };

  it('compares an interest between two periods', async () => {
    const t = await trend(db, coreVocabulary, { ...opts, id: `${ns}-iR`, type: 'Interest', before, after });
    expect(t.before.sourceConsumers).toBe(5);
    expect(t.after.sourceConsumers).toBe(20);
    expect(t.growth).toBeCloseTo(3, 12);
    expect(t.before.allConsumers).toBe(5);
    expect(t.after.allConsumers).toBe(20);
  });

  it('compares a demand link between two periods and withholds small groups', async () => {
    const t = await trend(db, coreVocabulary, { ...opts, id: `${ns}-iR`, type: 'Interest', targetId: `${ns}-iS`, targetType: 'Interest', before, after });
    expect(t.after.support).toBe(20);
    expect(t.after.confidence).toBeCloseTo(1, 12);
    expect(t.after.lift).toBeCloseTo(1, 12);
    expect(t.growth).toBeCloseTo(3, 12);
    const strict = await trend(db, coreVocabulary, { ...opts, kAnonymity: 6, id: `${ns}-iR`, type: 'Interest', targetId: `${ns}-iS`, targetType: 'Interest', before, after });
    expect(strict.before.suppressed).toBe(true);
    expect(strict.before.support).toBeNull();
    expect(strict.growth).toBeNull();
  });

  it('ranks the rising interest first', async () => {
    const r = await risingInterests(db, coreVocabulary, { kAnonymity: 5, before, after, first: 5 });
    expect(r.interests.map((i) => i.entity.id)).toContain(`${ns}-iR`);
    const iR = r.interests.find((i) => i.entity.id === `${ns}-iR`)!;
    expect(iR.before).toBe(5);
    expect(iR.after).toBe(20);
  });
});

describe('paths', () => {
  it('finds the strongest distinct paths, the niche route above the hub route', async () => {
    const paths = await strongestPaths(db, coreVocabulary, { from: `Product:${ns}-pS`, to: `Product:${ns}-pT`, maxLength: 4, first: 5, pseudonymSecret: secret });
    expect(paths.length).toBeGreaterThanOrEqual(2);
    expect(paths[0]!.nodes.map((n) => n.id)).toEqual([`${ns}-pS`, `${ns}-iNiche`, `${ns}-pT`]);
    expect(paths[0]!.relations).toEqual(['RELATES_TO', 'RELATES_TO']);
    const hub = paths.find((p) => p.nodes[1]!.id === `${ns}-iHub`)!;
    expect(hub.strength).toBeLessThan(paths[0]!.strength);
    for (const p of paths) {
      expect(p.nodes[0]!.id).toBe(`${ns}-pS`);
      expect(p.nodes.at(-1)!.id).toBe(`${ns}-pT`);
      expect(p.relations).toHaveLength(p.nodes.length - 1);
      expect(new Set(p.nodes.map((n) => n.key)).size).toBe(p.nodes.length);
    }
    const strengths = paths.map((p) => p.strength);
    expect(strengths).toEqual([...strengths].sort((x, y) => y - x));
  });

  it('finds longer paths through consumers', async () => {
    const paths = await strongestPaths(db, coreVocabulary, { from: `${ns}-p2`, fromType: 'Product', to: `${ns}-iB`, toType: 'Interest', maxLength: 3, first: 3, pseudonymSecret: secret });
    expect(paths.length).toBeGreaterThan(0);
    expect(paths[0]!.nodes.map((n) => n.type)).toEqual(['Product', 'Interest', 'Consumer', 'Interest']);
    expect(paths.every((p) => p.relations.length <= 3)).toBe(true);
  });
});

describe('GraphQL insight fields', () => {
  const app = createApp({ db, config: testConfig(), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, any>; errors?: { message: string; extensions: { code: string } }[] };
  };

  it('answers demandLinks, paths, productOpportunities, segments and trends', async () => {
    const r = await gql(
      `query($a: ID!, $s: ID!, $t: ID!, $mine: [ID!]) {
        demandLinks(id: $a, type: Interest, targetType: Interest, first: 3) { entity { key segment } support confidence lift pmi zScore pValue }
        demandLinkReport(id: $a, type: Interest, targetType: Interest) { sourceConsumers suppressed kAnonymity }
        paths(from: $s, to: $t, maxLength: 3) { nodes { key } relations strength }
        opportunityReport(first: 100, involving: $mine) { suppressed live opportunities { interests { key } consumers lift gapScore closestProducts { key } segments { segmentId segment { name } consumers } } }
        segments { id name consumers suppressed interests { key } }
        trend(id: $a, type: Interest) { growth before { from to } after { from to } }
      }`,
      { a: `${ns}-iA`, s: `Product:${ns}-pS`, t: `Product:${ns}-pT`, mine },
    );
    expect(r.errors).toBeUndefined();
    const d = r.data!;
    expect(d.demandLinks[0].entity.key).toBe(key('Interest', 'iB'));
    expect(d.demandLinks[0].support).toBe(12);
    expect(d.demandLinks[0].entity.segment).not.toBeNull();
    expect(d.demandLinkReport.sourceConsumers).toBe(32);
    expect(d.paths[0].nodes[1].key).toBe(key('Interest', 'iNiche'));
    const ab = d.opportunityReport.opportunities.find((o: any) => o.interests.some((i: any) => i.key === key('Interest', 'iB')) && o.interests.some((i: any) => i.key === key('Interest', 'iA')));
    expect(ab.consumers).toBe(12);
    expect(ab.segments[0].segment.name).toMatch(/iA|iB|iP/);
    expect(d.segments.length).toBeGreaterThan(0);
    expect(d.trend.after.from < d.trend.after.to).toBe(true);
  });

  it('demand links from a segment', async () => {
    const [seg] = await segmentsOfKeys(db, [key('Interest', 'iC')]);
    const r = await gql(`query($id: ID!) { demandLinkReport(id: $id, targetType: Product) { segment { id } sourceConsumers links { entity { key } support } } }`, { id: `Segment:${seg}` });
    expect(r.errors).toBeUndefined();
    expect(r.data!.demandLinkReport.segment.id).toBe(String(seg));
    expect(r.data!.demandLinkReport.links.find((l: any) => l.entity.key === key('Product', 'p1')).support).toBe(12);
  });

  it('maps bad input and unknown ids to contract codes', async () => {
    const bad = await gql(`{ demandLinks(id: "x", type: Interest) { support } }`);
    expect(bad.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const first = await gql(`query($a: ID!) { demandLinks(id: $a, type: Interest, first: 0) { support } }`, { a: `${ns}-iA` });
    expect(first.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const time = await gql(`{ productOpportunities(since: "yesterday-ish") { consumers } }`);
    expect(time.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const len = await gql(`query($s: ID!, $t: ID!) { paths(from: $s, to: $t, maxLength: 9) { strength } }`, { s: `Product:${ns}-pS`, t: `Product:${ns}-pT` });
    expect(len.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});
