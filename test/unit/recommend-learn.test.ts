import { describe, expect, it } from 'vitest';
import { inverse, Matrix } from 'ml-matrix';
import { bm25, buildInteractions, itemDegrees } from '../../server/recommend/learn/interactions.js';
import { ease, easeItems, gram, invertSpdInPlace } from '../../server/recommend/learn/ease.js';
import { rp3beta } from '../../server/recommend/learn/rp3beta.js';

const rows = (pairs: [string, string, number?][]) => pairs.map(([user, item, w]) => ({ user, item, w: w ?? 1 }));

describe('interactions', () => {
  it('keeps rows and columns consistent and adds repeated pairs', () => {
    const x = buildInteractions(rows([['u1', 'a'], ['u1', 'b'], ['u2', 'a', 2], ['u2', 'a', 3]]), ['a', 'b', 'c']);
    expect(x.items).toEqual(['a', 'b', 'c']);
    expect([...itemDegrees(x)]).toEqual([2, 1, 0]);
    const u2 = x.users.indexOf('u2');
    expect([...x.userW.slice(x.userPtr[u2]!, x.userPtr[u2 + 1]!)]).toEqual([5]);
  });

  it('BM25 damps heavy-tailed counts: a count of 350,000 weighs a few times a count of 1, not 350,000 times', () => {
    const x = bm25(buildInteractions(rows([['u1', 'a', 1], ['u2', 'a', 350_000], ['u3', 'b', 1]])));
    const a = x.itemW.slice(x.itemPtr[0]!, x.itemPtr[1]!);
    const ratio = Math.max(...a) / Math.min(...a);
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeLessThan(5);
  });
});

describe('invertSpdInPlace', () => {
  it('matches ml-matrix on a random SPD matrix', () => {
    const n = 40;
    const a = Matrix.rand(n, n);
    const g = a.transpose().mmul(a);
    for (let i = 0; i < n; i++) g.set(i, i, g.get(i, i) + 0.5);
    const mine = Float64Array.from(g.to1DArray());
    invertSpdInPlace(mine, n);
    const ref = inverse(g).to1DArray();
    for (let i = 0; i < n * n; i++) expect(mine[i]).toBeCloseTo(ref[i]!, 8);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => invertSpdInPlace(Float64Array.from([0, 1, 1, 0]), 2)).toThrow(/positive definite/);
  });
});

describe('EASE^R', () => {
  // Two taste groups: {a, b} and {c, d}; e is seen once.
  const x = buildInteractions(
    rows([['u1', 'a'], ['u1', 'b'], ['u2', 'a'], ['u2', 'b'], ['u3', 'a'], ['u4', 'c'], ['u4', 'd'], ['u5', 'c'], ['u5', 'd'], ['u6', 'd'], ['u6', 'e']]),
  );
  it('learns over products with at least two consumers, zero diagonal, and links within a group', () => {
    const items = easeItems(x);
    expect([...items].map((i) => x.items[i])).toEqual(['a', 'b', 'c', 'd']);
    const m = ease(x, items, 1);
    const n = items.length;
    for (let i = 0; i < n; i++) expect(m.b[i * n + i]).toBe(0);
    const at = (p: string, q: string) => m.b[[...items].indexOf(x.items.indexOf(p)) * n + [...items].indexOf(x.items.indexOf(q))]!;
    expect(at('a', 'b')).toBeGreaterThan(at('a', 'c'));
    expect(at('c', 'd')).toBeGreaterThan(at('c', 'b'));
  });

  it('Gram diagonal counts consumers per product', () => {
    const items = easeItems(x);
    const g = gram(x, items);
    expect(g[0]).toBe(3);
  });
});

describe('RP3β', () => {
  it('links co-engaged products and discounts the hub by β', () => {
    const x = buildInteractions(rows([['u1', 'a'], ['u1', 'hub'], ['u1', 'b'], ['u2', 'hub'], ['u3', 'hub'], ['u4', 'hub'], ['u2', 'a'], ['u2', 'b']]));
    const a = x.items.indexOf('a');
    const listOf = (beta: number) => {
      const l = rp3beta(x, { beta });
      return [...l.nbr.slice(l.ptr[a]!, l.ptr[a + 1]!)].map((j) => x.items[j]);
    };
    expect(listOf(0)).not.toContain('a');
    expect(listOf(0.9)[0]).toBe('b');
  });
});
