import { describe, expect, it } from 'vitest';
import { compareLinks, hypergeometricUpperTail, linkMetrics, logGamma } from '../../server/insights/metrics.js';

describe('linkMetrics', () => {
  it('computes support, share, confidence, lift and PMI exactly as the contract defines them', () => {
    const m = linkMetrics({ support: 8, sourceConsumers: 10, targetConsumers: 10, allConsumers: 40 });
    expect(m.support).toBe(8);
    expect(m.share).toBeCloseTo(8 / 40, 12);
    expect(m.confidence).toBeCloseTo(0.8, 12);
    expect(m.lift).toBeCloseTo(0.8 / (10 / 40), 12);
    expect(m.pmi).toBeCloseTo(Math.log2(3.2), 12);
    expect(m.expected).toBeCloseTo(2.5, 12);
  });

  it('gives the exact hypergeometric tail (Fisher) on a small table', () => {
    // P(X >= 8), N = 20, 10 draws, 10 successes: (C(10,8)^2 + C(10,9)^2 + 1) / C(20,10)
    expect(hypergeometricUpperTail(8, 10, 10, 20)).toBeCloseTo(2126 / 184756, 12);
    expect(hypergeometricUpperTail(0, 10, 10, 20)).toBe(1);
    expect(hypergeometricUpperTail(11, 10, 10, 20)).toBe(0);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
  });

  it('ranks a lift of 2 on 3,000 consumers above a lift of 8 on 3 by default, and the reverse by lift', () => {
    const n = 100_000;
    const small = { key: 'small', ...linkMetrics({ support: 3, sourceConsumers: 3, targetConsumers: n / 8, allConsumers: n }) };
    const big = { key: 'big', ...linkMetrics({ support: 3000, sourceConsumers: 6000, targetConsumers: 25_000, allConsumers: n }) };
    expect(small.lift).toBeCloseTo(8, 9);
    expect(big.lift).toBeCloseTo(2, 9);
    expect([small, big].sort(compareLinks('SIGNIFICANCE')).map((x) => x.key)).toEqual(['big', 'small']);
    expect([small, big].sort(compareLinks('LIFT')).map((x) => x.key)).toEqual(['small', 'big']);
    expect(big.pValue).toBeLessThan(small.pValue);
  });

  it('treats independence as lift 1 and z 0', () => {
    const m = linkMetrics({ support: 25, sourceConsumers: 50, targetConsumers: 50, allConsumers: 100 });
    expect(m.lift).toBeCloseTo(1, 12);
    expect(m.zScore).toBeCloseTo(0, 12);
  });
});

describe('default trend periods', () => {
  it('are the last six calendar months of the data and the six before', async () => {
    const { periodsEndingAt } = await import('../../server/insights/trends.js');
    const p = periodsEndingAt(Date.parse('2026-10-31T23:59:59Z') / 1000);
    const iso = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
    expect([iso(p.before.from), iso(p.before.to), iso(p.after.from), iso(p.after.to)]).toEqual(['2025-11-01', '2026-05-01', '2026-05-01', '2026-11-01']);
  });
});

describe('growthZ', () => {
  it('is 0 when an interest grows like all activity and positive when faster', async () => {
    const { growthZ } = await import('../../server/insights/trends.js');
    expect(growthZ(100, 200, 1000, 2000)).toBeCloseTo(0, 12);
    expect(growthZ(100, 400, 1000, 2000)!).toBeGreaterThan(5);
    expect(growthZ(0, 0, 10, 10)).toBeNull();
  });
});

describe('gapOf', () => {
  it('is 1 without supply, stays 1 for products nobody buys, and falls with reach times depth', async () => {
    const { gapOf } = await import('../../server/insights/interest-sets.js');
    expect(gapOf(0, 0)).toBe(1);
    expect(gapOf(10, 0)).toBe(1);
    expect(gapOf(1, 0.1)).toBeCloseTo(1 - 0.1 / 2, 12);
    // One product, however well bought, is a single option: at least half the gap stays.
    expect(gapOf(1, 1)).toBe(0.5);
    expect(gapOf(9, 1)).toBeCloseTo(0.1, 12);
    expect(gapOf(1, 0.05)).toBeGreaterThan(gapOf(1, 0.5));
    expect(gapOf(3, 0.8)).toBeLessThan(gapOf(1, 0.8));
  });
});
