import { describe, expect, it } from 'vitest';
import { bigSizing, sizing } from '../../web/src/graph/elements.js';
import { prepareFreshScene } from '../../web/src/graph/fresh-scene.js';
import { HitGrid, segmentDistance } from '../../web/src/graph/hit-grid.js';
import { sceneFileToElements } from '../../web/src/graph/scene.js';
import type { GraphElement, NodeElement } from '../../web/src/graph/types.js';
import { benchSceneFile } from '../support/scene-file.js';

const nodesOf = (els: GraphElement[]) => els.filter((e): e is NodeElement => e.group === 'nodes');

describe('a fresh scene prepared before it reaches the canvas', () => {
  it('sizes nodes by degree (the hub largest, an isolated node smallest) and leaves positions alone without a layout', () => {
    const file = { format: 'kg-explorer-scene' as const, version: 1 as const, edges: [] as { source: string; target: string; relation: string; weight: number }[],
      nodes: ['hub', 'a', 'b', 'c', 'lone'].map((k) => ({ key: k, id: k, type: 'Product', name: k, nameEn: null, properties: null })) };
    for (const k of ['a', 'b', 'c']) file.edges.push({ source: 'hub', target: k, relation: 'RELATED_TO', weight: 1 });
    const els = sceneFileToElements(file, 'en');
    prepareFreshScene(els, { sizeBy: 'degree', big: false, layout: false });
    const size = new Map(nodesOf(els).map((n) => [n.data.id, n.data.size]));
    expect(size.get('hub')).toBe(sizing.max);
    expect(size.get('lone')).toBe(sizing.min);
    expect(size.get('a')).toBeGreaterThan(sizing.min);
    expect(size.get('a')).toBeLessThan(sizing.max);
    expect(nodesOf(els).every((n) => n.position === undefined)).toBe(true);
  });

  it('places every node of a big scene on a spot of its own, with big-scene sizes', () => {
    const els = sceneFileToElements(benchSceneFile(3000), 'en');
    prepareFreshScene(els, { sizeBy: 'degree', big: true, layout: true });
    const nodes = nodesOf(els);
    expect(nodes.every((n) => n.data.size >= bigSizing.min && n.data.size <= bigSizing.max)).toBe(true);
    const spots = new Set(nodes.map((n) => `${Math.round(n.position!.x)},${Math.round(n.position!.y)}`));
    expect(spots.size).toBe(nodes.length);
  });
});

describe('the hit grid of big scenes', () => {
  // Three nodes in a row 100 apart, an edge 0–2 passing over node 1, and an edge 1–3 going far away.
  const input = {
    nodes: [{ x: 0, y: 0, r: 5 }, { x: 100, y: 0, r: 5 }, { x: 200, y: 0, r: 5 }, { x: 5000, y: 3000, r: 5 }],
    edges: [{ a: 0, b: 2, w: 1 }, { a: 1, b: 3, w: 1 }],
  };
  const grid = new HitGrid(input, 48);

  it('finds the node under a point and the edges passing near it', () => {
    expect(grid.near(101, 1, 2, 8)).toEqual({ nodes: [1], edges: expect.arrayContaining([0, 1]) as unknown as number[] });
    expect(grid.near(150, 3, 2, 8)).toEqual({ nodes: [], edges: [0] });
  });

  it('finds a long edge far from both its ends, and nothing in empty space', () => {
    // A point on the segment (100,0)–(5000,3000), half way along.
    const near = grid.near(2550, 1500, 2, 8);
    expect(near.edges).toEqual([1]);
    expect(near.nodes).toEqual([]);
    expect(grid.near(2550, 1400, 2, 8)).toEqual({ nodes: [], edges: [] });
  });

  it('agrees with a full pass over every element on random points', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const nodes = Array.from({ length: 400 }, () => ({ x: rnd() * 2000 - 1000, y: rnd() * 1500, r: 3 + rnd() * 8 }));
    const edges = Array.from({ length: 800 }, () => ({ a: Math.floor(rnd() * 400), b: Math.floor(rnd() * 400), w: 1 + rnd() * 3 }));
    const g = new HitGrid({ nodes, edges }, 32);
    for (let k = 0; k < 300; k++) {
      const x = rnd() * 2200 - 1100, y = rnd() * 1700 - 100;
      const want = {
        nodes: nodes.flatMap((n, i) => (Math.hypot(n.x - x, n.y - y) <= n.r + 4 ? [i] : [])),
        edges: edges.flatMap((e, i) => (segmentDistance(x, y, nodes[e.a]!.x, nodes[e.a]!.y, nodes[e.b]!.x, nodes[e.b]!.y) <= e.w / 2 + 10 ? [i] : [])),
      };
      const got = g.near(x, y, 4, 10);
      expect([...got.nodes].sort((a, b) => a - b)).toEqual(want.nodes);
      expect([...got.edges].sort((a, b) => a - b)).toEqual(want.edges);
    }
  });
});
