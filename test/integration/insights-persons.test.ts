import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { refreshDerived, updateDerived } from '../../server/domains.js';
import { demandLinks } from '../../server/insights/demand-links.js';
import { productOpportunities } from '../../server/insights/opportunities.js';
import { strongestPaths } from '../../server/insights/paths.js';
import { listSegments, segmentsOfKeys } from '../../server/insights/segment-lookup.js';
import { risingInterests, trend } from '../../server/insights/trends.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { createGraph, range, removeGraph } from '../support/insights-graph.js';
import { gql } from '../support/graphql.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';

// Issue 18: insights, stats and every k-anonymity check count persons (`coalesce(c.person,
// c.id)`), not consumer ids. One person under three ids counts once; five ids that are two
// persons are two, below k = 5.
const db = testDatabase(120_000);
const ns = testNamespace('persons');
const secret = 'test-secret-test-secret-test-secret';
const k = 5;
const opts = { kAnonymity: k, pseudonymSecret: secret };
const id = (local: string) => `${ns}-${local}`;
const key = (type: string, local: string) => `${type}:${id(local)}`;
const year = (y: number) => Date.UTC(y, 0, 1) / 1000;
const DAY = 86_400;
// Years no other test file puts links in (trend-differencing uses 1990, insights-derived 2001–2007, 2020, 2023).
const T_A = year(1993) + 40 * DAY;
const D_K = year(1994) + 100 * DAY; // the one day cQ1..cQ5's links to iK and iK2 form on
const T_B = year(1995) + 10 * DAY;

// The persons the identity step (server/identity/) stitches from this file's SAME_AS links.
const persons: string[][] = [
  ['cP1', 'cP2', 'cP3'], // Part A: one person under three ids
  ['cQ1', 'cQ2', 'cQ3'], // Part B: five ids, two persons
  ['cQ4', 'cQ5'],
];
const singles = [...range('cA', 1, 9), ...range('cF', 1, 20), ...range('cB', 1, 20)];
const myConsumers = persons.flat().length + singles.length; // 57 ids
const myPersons = persons.length + singles.length; // 52 persons

type L = [string, string, string, number?, number?];
const each = (cs: string[], rel: string, target: string, ts: number): L[] => cs.map((c) => [c, rel, target, 1, ts]);
const qs = range('cQ', 1, 5);

const app = createApp({ db, config: testConfig(), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
const stats = async () => {
  const r = await gql(app, '{ stats { persons byType { name count } } }');
  expect(r.body.errors).toBeUndefined();
  const s = r.body.data!.stats as { persons: number; byType: { name: string; count: number }[] };
  return { persons: s.persons, consumers: s.byType.find((t) => t.name === 'Consumer')!.count };
};
let statsBefore: { persons: number; consumers: number };

beforeAll(async () => {
  statsBefore = await stats();
  const links: L[] = [
    // Part A. Person P: cP1 likes iA and bought pX, cP2 likes iB, cP3 likes iA and bought pX.
    // cA1..cA9 like iA and iB and bought pX. Persons: iA 10, iB 10, both 10, pX 10
    // (as ids: iA 11, both 9, pX 11). cF1..cF20 like iZ only (the population).
    ['cP1', 'INTERESTED_IN', 'iA', 1, T_A],
    ['cP1', 'PURCHASED', 'pX', 1, T_A],
    ['cP2', 'INTERESTED_IN', 'iB', 1, T_A],
    ['cP3', 'INTERESTED_IN', 'iA', 1, T_A],
    ['cP3', 'PURCHASED', 'pX', 1, T_A],
    ...each(range('cA', 1, 9), 'INTERESTED_IN', 'iA', T_A),
    ...each(range('cA', 1, 9), 'INTERESTED_IN', 'iB', T_A),
    ...each(range('cA', 1, 9), 'PURCHASED', 'pX', T_A),
    ...each(range('cF', 1, 20), 'INTERESTED_IN', 'iZ', T_A),
    // Part B. cQ1..cQ5 (two persons) like iK and iK2 (formed on day D_K) and iBig; cB1..cB20 like iBig.
    ...each(qs, 'INTERESTED_IN', 'iK', D_K + 3600),
    ...each(qs, 'INTERESTED_IN', 'iK2', D_K + 3600),
    ...each(qs, 'INTERESTED_IN', 'iBig', T_B),
    ...each(range('cB', 1, 20), 'INTERESTED_IN', 'iBig', T_B),
    // Others active the day after D_K, so a live window around it has a population beyond cQ1..cQ5.
    ...each(range('cB', 1, 10), 'INTERESTED_IN', 'iZ2', D_K + DAY + 3600),
    // The identity links the persons come from (the identity step's input; insights never walk them).
    ['cP1', 'SAME_AS', 'cP2', 1, T_B],
    ['cP3', 'SAME_AS', 'cP2', 1, T_B],
    ['cQ1', 'SAME_AS', 'cQ2', 1, T_B],
    ['cQ2', 'SAME_AS', 'cQ3', 1, T_B],
    ['cQ4', 'SAME_AS', 'cQ5', 1, T_B],
  ];
  await createGraph(db, ns, { links });
  // The full refresh runs the identity step first: these persons are its components.
  await refreshDerived(db, coreVocabulary);
}, 300_000);

afterAll(async () => {
  await removeGraph(db, ns);
  await db.close();
});

describe('one person under three ids counts once', () => {
  it('in demand-link support, source and target counts, and the population', async () => {
    const r = await demandLinks(db, coreVocabulary, { ...opts, id: id('iA'), type: 'Interest', targetType: 'Interest' });
    expect(r.sourceConsumers).toBe(10);
    const [live] = await db.read('test-persons-live', 'MATCH (c:Consumer) RETURN count(DISTINCT coalesce(c.person, c.id)) AS n');
    expect(r.allConsumers).toBe(Number(live!.n));
    const b = r.links.find((l) => l.entity.id === id('iB'))!;
    // P likes iA under cP1 and cP3 and iB under cP2: one person linked to both.
    expect(b.support).toBe(10);
    expect(b.targetConsumers).toBe(10);
    expect(b.confidence).toBeCloseTo(1, 12);
    expect(b.lift).toBeCloseTo(1 / (10 / r.allConsumers), 9);
    const toProducts = await demandLinks(db, coreVocabulary, { ...opts, id: id('iA'), type: 'Interest', targetType: 'Product' });
    const x = toProducts.links.find((l) => l.entity.id === id('pX'))!;
    expect(x.support).toBe(10);
    // The derived `_consumers` counts persons too (degrees step).
    expect(x.targetConsumers).toBe(10);
  });

  it('in opportunities: consumers, driving segments and the person segment', async () => {
    const r = await productOpportunities(db, coreVocabulary, { ...opts, first: 50, involving: [key('Interest', 'iA')] });
    const ab = r.opportunities.find((o) => o.interests.map((i) => i.id).sort().join('|') === [id('iA'), id('iB')].sort().join('|'))!;
    expect(ab).toBeDefined();
    expect(ab.consumers).toBe(10);
    expect(ab.segments[0]!.consumers).toBe(10);
    expect(ab.segments[0]!.share).toBeCloseTo(1, 12);
    const [s1, s2, s3, a] = await segmentsOfKeys(db, [key('Consumer', 'cP1'), key('Consumer', 'cP2'), key('Consumer', 'cP3'), key('Interest', 'iA')]);
    // cP2 alone likes only iB, but its person's interests decide: every id is in the person's segment.
    expect(a).not.toBeNull();
    expect([s1, s2, s3]).toEqual([a, a, a]);
    const segment = (await listSegments(db, coreVocabulary, { kAnonymity: k, first: 10_000 })).find((s) => s.id === a)!;
    expect(segment.consumers).toBe(10);
  });

  it('in trends and rising interests', async () => {
    const before = { from: year(1992), to: year(1993) };
    const after = { from: year(1993), to: year(1994) };
    const t = await trend(db, coreVocabulary, { ...opts, id: id('iA'), type: 'Interest', targetId: id('iB'), targetType: 'Interest', before, after });
    expect(t.after.sourceConsumers).toBe(10);
    expect(t.after.targetConsumers).toBe(10);
    expect(t.after.support).toBe(10);
    // Active in 1993: P, cA1..cA9, cF1..cF20.
    expect(t.after.allConsumers).toBe(30);
    const rising = await risingInterests(db, coreVocabulary, { kAnonymity: k, before, after, first: 50 });
    expect(rising.interests.find((i) => i.entity.id === id('iA'))?.after).toBe(10);
  });

  it('in stats: GraphStats.persons', async () => {
    const now = await stats();
    expect(now.consumers - statsBefore.consumers).toBe(myConsumers);
    expect(now.persons - statsBefore.persons).toBe(myPersons);
  });
});

describe('five ids that are two persons are below k = 5', () => {
  it('as a demand-link source', async () => {
    const r = await demandLinks(db, coreVocabulary, { ...opts, id: id('iK'), type: 'Interest', targetType: 'Interest' });
    expect(r.sourceSuppressed).toBe(true);
    expect(r.sourceConsumers).toBeNull();
    expect(r.links).toEqual([]);
  });

  it('as a demand-link target', async () => {
    const r = await demandLinks(db, coreVocabulary, { ...opts, id: id('iBig'), type: 'Interest', targetType: 'Interest', first: 50 });
    expect(r.sourceConsumers).toBe(22);
    expect(r.links.map((l) => l.entity.id)).not.toContain(id('iK'));
    expect(r.links.map((l) => l.entity.id)).not.toContain(id('iK2'));
    expect(r.suppressed).toBeGreaterThanOrEqual(2);
    // The same check lets five persons through: the figures, not the check, changed.
    const lax = await demandLinks(db, coreVocabulary, { ...opts, kAnonymity: 2, id: id('iBig'), type: 'Interest', targetType: 'Interest', first: 50 });
    expect(lax.links.find((l) => l.entity.id === id('iK'))?.support).toBe(2);
  });

  it('as an opportunity, stored or live', async () => {
    const mine = [key('Interest', 'iK'), key('Interest', 'iK2')];
    const isK = (o: { interests: { id: string }[] }) => o.interests.some((i) => i.id === id('iK') || i.id === id('iK2'));
    const stored = await productOpportunities(db, coreVocabulary, { ...opts, first: 50, involving: mine });
    expect(stored.opportunities.filter(isK)).toEqual([]);
    const live = await productOpportunities(db, coreVocabulary, { ...opts, first: 50, involving: mine, since: D_K - DAY, until: D_K + 2 * DAY });
    expect(live.live).toBe(true);
    expect(live.opportunities.filter(isK)).toEqual([]);
    expect(live.suppressed).toBeGreaterThanOrEqual(1);
  });

  it('as a path hop, for a caller who may not see consumers', async () => {
    const from = key('Interest', 'iK');
    const to = key('Interest', 'iK2');
    // Every route of length 2 goes through one of the five ids.
    const service = await strongestPaths(db, coreVocabulary, { from, to, maxLength: 2, first: 5, pseudonymSecret: secret });
    expect(service.length).toBeGreaterThan(0);
    expect(service.every((p) => p.nodes[1]!.type === 'Consumer')).toBe(true);
    const reader = await strongestPaths(db, coreVocabulary, { from, to, maxLength: 2, first: 5, pseudonymSecret: secret, minConsumerGroup: k });
    expect(reader).toEqual([]);
  });

  it('through differencing: a one-day window of two persons withholds its population and counts', async () => {
    const before = { from: D_K - 30 * DAY, to: D_K };
    const t = await trend(db, coreVocabulary, { ...opts, id: id('iK'), type: 'Interest', before, after: { from: D_K, to: D_K + DAY } });
    expect(t.after.allConsumers).toBeNull();
    expect(t.after.sourceConsumers).toBeNull();
    expect(t.after.suppressed).toBe(true);
    expect(t.zScore).toBeNull();
    expect(t.growth).toBeNull();
    const pair = await trend(db, coreVocabulary, { ...opts, id: id('iK'), type: 'Interest', targetId: id('iK2'), targetType: 'Interest', before, after: { from: D_K, to: D_K + DAY } });
    expect(pair.after.support).toBeNull();
    expect(pair.after.lift).toBeNull();
    const rising = await risingInterests(db, coreVocabulary, { kAnonymity: k, before, after: { from: D_K, to: D_K + DAY }, first: 50 });
    expect(rising.interests.some((i) => i.entity.id === id('iK'))).toBe(false);
  });
});

describe('identity links are no paths', () => {
  it('the path search never walks SAME_AS, even with it in the vocabulary', async () => {
    const paths = await strongestPaths(db, coreVocabulary, { from: key('Consumer', 'cQ1'), to: key('Consumer', 'cQ3'), maxLength: 3, first: 10, pseudonymSecret: secret });
    // cQ1 and cQ3 share iK, iK2 and iBig: those routes remain.
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(p.relations).not.toContain('SAME_AS');
  });
});

describe('the incremental update after two persons become one', () => {
  // Runs last: it merges cA1 and cA2, so the counts above change.
  const mine = async () => {
    const degrees = Object.fromEntries(
      (await db.read('test-degrees', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns AND NOT n:Consumer RETURN n.key AS key, n._consumers AS n', { ns })).map((r) => [String(r.key), Number(r.n)]),
    );
    const [set] = await db.read(
      'test-set',
      "MATCH (m:KgMeta {key: 'insights'}) MATCH (o:KgInterestSet {version: m.version, id: $id}) RETURN o {.support, .memberConsumers, .allConsumers, .lift, .demand, .gapScore} AS o",
      { id: [key('Interest', 'iA'), key('Interest', 'iB')].sort().join('|') },
    );
    return { degrees, set: set?.o as Record<string, unknown> | undefined };
  };

  it('recounts the merged persons\' entities and pairs exactly as a full refresh does', { timeout: 300_000 }, async () => {
    // A new SAME_AS row cA1 → cA2, then the incremental path a small write runs: the identity
    // step merges the two ids into one person and hands both on as touched to degrees and insights.
    const merged = [id('cA1'), id('cA2')];
    await db.write('test-merge', 'MATCH (a:Consumer {id: $a}), (b:Consumer {id: $b}) CREATE (a)-[:SAME_AS {weight: 1.0, count: 1}]->(b)', { a: merged[0], b: merged[1] });
    await updateDerived(db, coreVocabulary, { consumers: merged.map((c) => `Consumer:${c}`), entities: [] });
    const [p] = await db.read('test-merged', 'MATCH (c:Consumer) WHERE c.id IN $ids RETURN count(DISTINCT c.person) AS n, collect(c.personIds) AS sizes', { ids: merged });
    expect(Number(p!.n)).toBe(1);
    expect((p!.sizes as unknown[]).map(Number)).toEqual([2, 2]);
    const incremental = await mine();
    expect(incremental.degrees[key('Product', 'pX')]).toBe(9);
    expect(incremental.degrees[key('Interest', 'iA')]).toBe(9);
    expect(incremental.set?.support).toBe(9);
    expect(incremental.set?.memberConsumers).toEqual([9, 9]);
    await refreshDerived(db, coreVocabulary);
    expect(incremental).toEqual(await mine());
  });
});
