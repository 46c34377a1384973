import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demandLinks } from '../../server/insights/demand-links.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';
import { createGraph, range, removeGraph } from '../support/insights-graph.js';

const db = testDatabase();
const ns = testNamespace('demand');
const secret = 'test-secret-test-secret-test-secret';
const opts = { kAnonymity: 5, pseudonymSecret: secret };

// A: c1..c10; B: c1..c8, c11, c12; C: c9, c10, c13..c20; P1 bought by c1..c6 and viewed by c5..c7.
beforeAll(async () => {
  await createGraph(db, ns, {
    links: [
      ...range('c', 1, 10).map((c) => [c, 'INTERESTED_IN', 'iA'] as [string, string, string]),
      ...[...range('c', 1, 8), 'c11', 'c12'].map((c) => [c, 'INTERESTED_IN', 'iB'] as [string, string, string]),
      ...['c9', 'c10', ...range('c', 13, 20)].map((c) => [c, 'INTERESTED_IN', 'iC'] as [string, string, string]),
      ...range('c', 1, 6).map((c) => [c, 'PURCHASED', 'p1', 2] as [string, string, string, number]),
      ...range('c', 5, 7).map((c) => [c, 'VIEWED', 'p1'] as [string, string, string]),
    ],
  });
});

afterAll(async () => {
  await removeGraph(db, ns);
  await db.close();
});

describe('demandLinks', () => {
  it('reports exact support, confidence, lift and PMI on a hand-computed graph', async () => {
    const r = await demandLinks(db, coreVocabulary, { ...opts, id: `${ns}-iA`, type: 'Interest', targetType: 'Interest' });
    const n = r.allConsumers;
    expect(n).toBeGreaterThanOrEqual(20);
    expect(r.sourceConsumers).toBe(10);
    expect(r.links.map((l) => l.entity.id)).toEqual([`${ns}-iB`]);
    const b = r.links[0]!;
    expect(b.support).toBe(8);
    expect(b.targetConsumers).toBe(10);
    expect(b.confidence).toBeCloseTo(0.8, 12);
    expect(b.lift).toBeCloseTo(0.8 / (10 / n), 9);
    expect(b.pmi).toBeCloseTo(Math.log2(0.8 / (10 / n)), 9);
    expect(b.share).toBeCloseTo(8 / n, 12);
    expect(b.zScore).toBeGreaterThan(2);
    // iC shares only 2 consumers with iA: below k = 5, suppressed and counted, not silently dropped.
    expect(r.suppressed).toBe(1);
  });

  it('links an interest to products by engagement, counting each consumer once', async () => {
    const r = await demandLinks(db, coreVocabulary, { ...opts, id: `${ns}-iA`, type: 'Interest', targetType: 'Product' });
    const p = r.links.find((l) => l.entity.id === `${ns}-p1`)!;
    expect(p.support).toBe(7);
    expect(p.targetConsumers).toBe(7);
    expect(p.confidence).toBeCloseTo(0.7, 12);
    expect(p.lift).toBeCloseTo(0.7 / (7 / r.allConsumers), 9);
  });

  it('works from a product to interests (the product side counts PURCHASED and VIEWED)', async () => {
    const r = await demandLinks(db, coreVocabulary, { ...opts, id: `Product:${ns}-p1`, targetType: 'Interest' });
    expect(r.sourceConsumers).toBe(7);
    const a = r.links.find((l) => l.entity.id === `${ns}-iA`)!;
    expect(a.support).toBe(7);
    expect(a.confidence).toBeCloseTo(1, 12);
    const b = r.links.find((l) => l.entity.id === `${ns}-iB`)!;
    expect(b.support).toBe(7); // c1..c7 all like iB
  });

  it('suppresses a source group smaller than k and says so', async () => {
    const r = await demandLinks(db, coreVocabulary, { ...opts, kAnonymity: 11, id: `${ns}-iA`, type: 'Interest', targetType: 'Interest' });
    expect(r.sourceSuppressed).toBe(true);
    expect(r.sourceConsumers).toBeNull();
    expect(r.links).toEqual([]);
    expect(r.suppressed).toBe(2);
  });

  it('rejects bad input and unknown entities with clear errors', async () => {
    await expect(demandLinks(db, coreVocabulary, { ...opts, id: `${ns}-nope`, type: 'Interest' })).rejects.toThrow(/no Interest/);
    await expect(demandLinks(db, coreVocabulary, { ...opts, id: `${ns}-iA`, type: 'Interest', targetType: 'Consumer' })).rejects.toThrow(/not linked/);
    await expect(demandLinks(db, coreVocabulary, { ...opts, id: `${ns}-iA`, type: 'Interest', first: 0 })).rejects.toThrow(/first/);
  });
});
