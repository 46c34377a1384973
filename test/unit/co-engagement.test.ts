import { describe, expect, it } from 'vitest';
import { neighboursOf } from '../../server/recommend/co-engagement.js';

const settings = { neighbours: 2, consumerCap: 2, beta: 0 };

describe('neighboursOf (two-step walk product → consumer → product)', () => {
  const walks = new Map([
    ['u1', { total: 1, ids: ['a', 'b', 'c'], ps: [0.5, 0.3, 0.2] }],
    ['u2', { total: 1, ids: ['a', 'c'], ps: [0.5, 0.5] }],
    ['u3', { total: 10, ids: ['a', 'd'], ps: [0.5, 0.5] }],
  ]);
  const none = new Map<string, number>();

  it('sums P(i→u)·P(u→j) over consumers, skips the product itself, counts shared consumers', () => {
    const ns = neighboursOf('a', [{ consumer: 'u1', p: 0.5 }, { consumer: 'u2', p: 0.5 }], walks, none, settings);
    expect(ns.map((n) => n.id)).toEqual(['c', 'b']);
    expect(ns[0]!.co).toBeCloseTo(0.5 * 0.2 + 0.5 * 0.5);
    expect(ns[0]!.shared).toBe(2);
    expect(ns[1]!.shared).toBe(1);
  });

  it('reads only the consumerCap consumers most specific to the product (step over activity)', () => {
    // u3 has the largest step but ten times the activity, so u1 and u2 are read and d never appears.
    const ns = neighboursOf('a', [{ consumer: 'u1', p: 0.3 }, { consumer: 'u2', p: 0.3 }, { consumer: 'u3', p: 0.4 }], walks, none, settings);
    expect(ns.map((n) => n.id)).not.toContain('d');
  });

  it('discounts popular neighbours by (consumers + 1)^β when choosing which to keep', () => {
    const popular = new Map([['c', 1000]]);
    const ns = neighboursOf('a', [{ consumer: 'u1', p: 0.5 }, { consumer: 'u2', p: 0.5 }], walks, popular, { ...settings, beta: 0.5 });
    expect(ns[0]!.id).toBe('b');
  });

  it('ignores consumers without a walk list', () => {
    expect(neighboursOf('a', [{ consumer: 'ghost', p: 1 }], walks, none, settings)).toEqual([]);
  });
});
