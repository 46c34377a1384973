import { describe, expect, it } from 'vitest';
import { itemKnnBaseline, popularBaseline } from '../../server/eval/baselines.js';
import { coverage, ndcgAt, novelty, percentile, precisionAt, recallAt, score } from '../../server/eval/metrics.js';
import { splitTriples } from '../../server/eval/split.js';
import type { Triple } from '../../server/eval/triples.js';

const rel = (...xs: string[]) => new Set(xs);

describe('ranking metrics', () => {
  it('recall and precision count hits in the top k', () => {
    expect(recallAt(['a', 'b', 'c', 'd'], rel('b', 'd', 'z'), 2)).toBeCloseTo(1 / 3);
    expect(recallAt(['a', 'b', 'c', 'd'], rel('b', 'd', 'z'), 4)).toBeCloseTo(2 / 3);
    expect(precisionAt(['a', 'b', 'c', 'd'], rel('b', 'd'), 4)).toBeCloseTo(0.5);
    expect(precisionAt(['a'], rel('a'), 10)).toBeCloseTo(0.1);
  });

  it('ndcg discounts by rank and normalises by the ideal list', () => {
    // Hit at rank 2 only, one relevant item: (1/log2 3) / 1.
    expect(ndcgAt(['x', 'a', 'y'], rel('a'), 3)).toBeCloseTo(1 / Math.log2(3));
    // Hits at ranks 1 and 3, two relevant: (1 + 1/2) / (1 + 1/log2 3).
    expect(ndcgAt(['a', 'x', 'b'], rel('a', 'b'), 3)).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)));
    // More relevant items than k: the ideal is capped at k.
    expect(ndcgAt(['a', 'b'], rel('a', 'b', 'c'), 2)).toBeCloseTo(1);
    expect(ndcgAt(['x'], rel(), 1)).toBe(0);
  });

  it('coverage and novelty describe the lists as a whole', () => {
    expect(coverage([['a', 'b'], ['b', 'c']], 10)).toBeCloseTo(0.3);
    // 8 consumers: a has 4 (−log2 0.5 = 1), b has 1 (3), unknown c counts as 1 (3).
    expect(novelty([['a', 'b'], ['c']], new Map([['a', 4], ['b', 1]]), 8)).toBeCloseTo(7 / 3);
  });

  it('percentile is by nearest rank', () => {
    const v = [5, 1, 4, 2, 3, 10, 6, 7, 8, 9];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 95)).toBe(10);
    expect(percentile([], 50)).toBe(0);
  });

  it('score averages over the held-out consumers, counting missing lists as misses', () => {
    const s = score(new Map([['u1', ['a', 'b']]]), new Map([['u1', rel('a')], ['u2', rel('c')]]), 2, {
      items: 4,
      consumers: 2,
      consumersOf: new Map([['a', 2], ['b', 1]]),
    });
    expect(s.users).toBe(2);
    expect(s.recall).toBeCloseTo(0.5);
    expect(s.ndcg).toBeCloseTo(0.5);
    expect(s.precision).toBeCloseTo(0.25);
    expect(s.coverage).toBeCloseTo(0.5);
  });
});

describe('split and baselines', () => {
  const t = (u: string, p: string, relation = 'PURCHASED'): Triple => ({ subject: u, subject_type: 'Consumer', relation, object: p, object_type: 'Product', weight: '1' });
  const rows = [
    ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10'].map((p) => t('u1', p)),
    ...['p1', 'p2', 'p3'].map((p) => t('u2', p)),
    t('u1', 'p11', 'VIEWED'),
  ];

  it('holds out a seeded share of each consumer with at least five purchases, and nothing else', () => {
    const a = splitTriples(rows, ['PURCHASED'], 0.2, 42);
    const b = splitTriples(rows, ['PURCHASED'], 0.2, 42);
    expect([...a.test.keys()]).toEqual(['u1']);
    expect(a.test.get('u1')!.size).toBe(2);
    expect([...a.test.get('u1')!]).toEqual([...b.test.get('u1')!]);
    expect(a.train.length).toBe(rows.length - 2);
    for (const r of a.train) expect(a.test.get(r.subject)?.has(r.object) && r.relation === 'PURCHASED').toBeFalsy();
    expect(a.train).toContainEqual(t('u1', 'p11', 'VIEWED'));
  });

  it('most-popular and item-kNN rank as hand-computed', () => {
    const data = new Map([
      ['u1', rel('a', 'b')],
      ['u2', rel('a', 'c')],
      ['u3', rel('a', 'b', 'd')],
      ['u4', rel('b')],
    ]);
    expect(popularBaseline(data, ['u2'], 2).get('u2')).toEqual(['b', 'd']);
    // u4 has b; cos(b,a) = 2/sqrt(3*3) = 0.67 beats cos(b,d) = 1/sqrt(3*1) = 0.58; c is unreachable.
    expect(itemKnnBaseline(data, ['u4'], 5).get('u4')).toEqual(['a', 'd']);
  });
});
