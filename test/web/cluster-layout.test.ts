import { describe, expect, it } from 'vitest';
import { clusterLayout, clusterLayoutDefaults, communities } from '../../web/src/graph/cluster-layout.js';
import { benchSceneFile } from '../support/scene-file.js';

/** Two cliques of `k` joined by one bridge, plus `isolated` nodes without edges. */
function twoCliques(k: number, isolated = 0): { n: number; edges: [number, number][] } {
  const edges: [number, number][] = [];
  for (const base of [0, k]) for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) edges.push([base + i, base + j]);
  edges.push([0, k]);
  return { n: 2 * k + isolated, edges };
}

const dist = (p: Float64Array, a: number, b: number) => Math.hypot(p[2 * a]! - p[2 * b]!, p[2 * a + 1]! - p[2 * b + 1]!);

describe('the cluster layout of big scenes', () => {
  it('finds the communities of two cliques joined by a bridge', () => {
    const { n, edges } = twoCliques(30);
    const c = communities(n, edges);
    expect(new Set(Array.from(c.slice(0, 30))).size).toBe(1);
    expect(new Set(Array.from(c.slice(30, 60))).size).toBe(1);
    expect(c[0]).not.toBe(c[30]);
  });

  it('keeps a community together and apart from the other, with no two nodes on one spot', () => {
    const { n, edges } = twoCliques(30, 5);
    const p = clusterLayout(n, edges);
    expect(p).toHaveLength(2 * n);
    expect(Array.from(p).every(Number.isFinite)).toBe(true);
    // Each clique is a disc of its own: the centres are further apart than the two radii.
    const disc = (from: number) => {
      const ids = Array.from({ length: 30 }, (_, i) => from + i);
      const cx = ids.reduce((a, v) => a + p[2 * v]!, 0) / 30, cy = ids.reduce((a, v) => a + p[2 * v + 1]!, 0) / 30;
      return { cx, cy, r: Math.max(...ids.map((v) => Math.hypot(p[2 * v]! - cx, p[2 * v + 1]! - cy))) };
    };
    const [a, b] = [disc(0), disc(30)];
    expect(Math.hypot(a.cx - b.cx, a.cy - b.cy)).toBeGreaterThan(a.r + b.r);
    // Sunflower discs never stack two nodes.
    const spots = new Set<string>();
    for (let v = 0; v < n; v++) spots.add(`${Math.round(p[2 * v]!)},${Math.round(p[2 * v + 1]!)}`);
    expect(spots.size).toBe(n);
  });

  it('puts the hub of a star in the middle of its disc', () => {
    const edges: [number, number][] = Array.from({ length: 30 }, (_, i) => [5, i === 5 ? 30 : i] as [number, number]);
    const p = clusterLayout(31, edges);
    const cx = Array.from({ length: 31 }, (_, v) => p[2 * v]!).reduce((a, b) => a + b) / 31;
    const cy = Array.from({ length: 31 }, (_, v) => p[2 * v + 1]!).reduce((a, b) => a + b) / 31;
    expect(Math.hypot(p[10]! - cx, p[11]! - cy)).toBeLessThan(clusterLayoutDefaults.spacing * 2);
  });

  it('lays out 10,000 nodes and 20,000 edges into a roughly square area, the same way every time', () => {
    const file = benchSceneFile(10_000);
    const index = new Map(file.nodes.map((x, i) => [x.key, i]));
    const edges = file.edges.map((e) => [index.get(e.source)!, index.get(e.target)!] as [number, number]);
    const p = clusterLayout(file.nodes.length, edges);
    expect(clusterLayout(file.nodes.length, edges)).toEqual(p);
    const xs = Array.from({ length: 10_000 }, (_, v) => p[2 * v]!), ys = Array.from({ length: 10_000 }, (_, v) => p[2 * v + 1]!);
    const w = Math.max(...xs) - Math.min(...xs), h = Math.max(...ys) - Math.min(...ys);
    expect(w / h).toBeGreaterThan(0.5);
    expect(w / h).toBeLessThan(2);
    // Clusters of 50 in the generator: most edges stay short (inside one disc).
    const short = edges.filter(([a, b]) => dist(p, a, b) < 20 * clusterLayoutDefaults.spacing).length;
    expect(short / edges.length).toBeGreaterThan(0.8);
  });

  it('handles an empty scene and self-loops', () => {
    expect(clusterLayout(0, [])).toHaveLength(0);
    expect(Array.from(clusterLayout(2, [[0, 0], [0, 1]])).every(Number.isFinite)).toBe(true);
  });
});
