import { describe, expect, it } from 'vitest';
import { History } from '../../web/src/graph/history.js';
import { draftLayoutNodes, fitViewport, layoutDefaults, layoutNames, layoutOptions } from '../../web/src/graph/layouts.js';
import { lookOf, segmentColor, typeLooks } from '../../web/src/graph/palette.js';
import { decodeScene, encodeScene, maxLinkNodes, parseSceneFile, sceneDefaults, sceneFileToElements, sceneGraph } from '../../web/src/graph/scene.js';
import { buildStyle, labelledClass } from '../../web/src/graph/style.js';

describe('style as data', () => {
  it('gives each core type its own colour and shape', () => {
    const rules = buildStyle({ types: ['Consumer', 'Product', 'Interest'], colorBy: 'type', big: false });
    for (const type of Object.keys(typeLooks)) {
      const r = rules.find((x) => x.selector === `node[type = "${type}"]`)!;
      expect(r.style['background-color']).toBe(typeLooks[type]!.color);
      expect(r.style.shape).toBe(typeLooks[type]!.shape);
    }
    const colors = new Set(Object.values(typeLooks).map((l) => l.color));
    expect(colors.size).toBe(3);
  });

  it('colours by segment without type colours when asked', () => {
    const rules = buildStyle({ types: ['Consumer'], colorBy: 'segment', big: false });
    expect(rules.find((x) => x.selector === 'node[type = "Consumer"]')!.style['background-color']).toBeUndefined();
    expect(rules.find((x) => x.selector === 'node[segment = 3]')!.style['background-color']).toBe(segmentColor(3));
  });

  it('uses cheaper edges and labels only on labelled, selected or highlighted nodes in big scenes', () => {
    const big = buildStyle({ types: [], colorBy: 'type', big: true });
    const edge = big.find((x) => x.selector === 'edge')!;
    expect(edge.style['curve-style']).toBe('haystack');
    expect(edge.style['target-arrow-shape']).toBeUndefined();
    const node = big.find((x) => x.selector === 'node')!;
    expect(node.style.label).toBeUndefined();
    expect(node.style['text-outline-width']).toBeUndefined();
    expect(edge.style.opacity).toBeUndefined();
    expect(node.style['font-family']).toBeUndefined();
    const labelled = big.find((x) => x.selector.includes(`node.${labelledClass}`))!;
    expect(labelled.style['font-size']).toBe(11);
    expect(labelled.selector).toContain('node:selected');
    expect(labelled.style.label).toBe('data(label)');
    const small = buildStyle({ types: [], colorBy: 'type', big: false });
    expect(small.find((x) => x.selector === 'node')!.style.label).toBe('data(label)');
    expect(small.some((x) => x.selector.includes(labelledClass))).toBe(false);
  });

  it('gives extra schema types a stable look', () => {
    expect(lookOf('Brand')).toEqual(lookOf('Brand'));
    expect(lookOf('Brand').color).toMatch(/^#/);
  });
});

describe('layouts as data', () => {
  it('has the four layouts with fcose first (the default)', () => {
    expect(layoutNames).toEqual(['fcose', 'concentric', 'breadthfirst', 'grid']);
    expect(layoutDefaults.fcose.name).toBe('fcose');
  });

  it('switches big scenes to draft quality without animation', () => {
    const small = layoutOptions('fcose', 50);
    const big = layoutOptions('fcose', draftLayoutNodes + 1);
    expect(small.animate).toBe(true);
    expect(big).toMatchObject({ quality: 'draft', animate: false });
    expect(layoutOptions('fcose', draftLayoutNodes + 1, { randomize: false, quality: 'default' }).quality).toBe('draft');
    expect(layoutOptions('concentric', 10_000).animate).toBe(false);
    expect(layoutOptions('fcose', 10, { randomize: false }).randomize).toBe(false);
  });
});

describe('fitting the viewport', () => {
  it('centres the box and never zooms beyond the readable maximum', () => {
    const v = fitViewport({ x1: 0, y1: 0, w: 100, h: 50 }, 1000, 600, 50, 1.2);
    expect(v.zoom).toBe(1.2);
    expect(v.pan).toEqual({ x: 500 - 50 * 1.2, y: 300 - 25 * 1.2 });
  });

  it('zooms out to fit a big box', () => {
    const v = fitViewport({ x1: -5000, y1: -5000, w: 10000, h: 10000 }, 1000, 600, 50);
    expect(v.zoom).toBeCloseTo(0.05);
    expect(v.pan).toEqual({ x: 500, y: 300 });
  });
});

describe('scene in the URL', () => {
  const nodes = [
    { key: 'Interest:露营', id: '露营', type: 'Interest', name: '露营', nameEn: 'Camping', properties: null, x: 10.4, y: -3.6 },
    { key: 'Product:suv', id: 'suv', type: 'Product', name: 'SUV', nameEn: null, properties: null, x: 100, y: 50 },
  ];
  const edges = [
    { source: 'Product:suv', target: 'Interest:露营', relation: 'RELATES_TO', weight: 2 },
    { source: 'Product:suv', target: 'Interest:露营', relation: '_DEMAND', weight: 3, derived: true },
  ];

  it('round-trips a scene with Chinese keys, settings and positions', () => {
    const state = { ...sceneGraph(nodes, edges, true), sel: 'Interest:露营', lang: 'zh' as const, layout: 'grid' as const, view: 'paths' as const, x: 0.65, color: 'segment' as const };
    const { scene, problems } = decodeScene('#' + encodeScene(state));
    expect(problems).toEqual([]);
    expect(scene).toEqual({ ...state, pos: [[10, -4], [100, 50]] });
    // Derived statistics are not part of the link.
    expect(scene.edges).toEqual([[1, 0, 'RELATES_TO', 2]]);
  });

  it('writes nothing for a default, empty scene', () => {
    expect(encodeScene({ ...sceneDefaults, nodes: [], edges: [] })).toBe('');
  });

  it('leaves the graph out of links to scenes above the limit', () => {
    const many = Array.from({ length: maxLinkNodes + 1 }, (_, i) => `Consumer:c${i}`);
    expect(encodeScene({ ...sceneDefaults, nodes: many, edges: [] })).toBe('');
  });

  it('falls back to defaults and lists problems for a mangled link', () => {
    const { scene, problems } = decodeScene('#lang=fr&layout=spiral&x=7&g=%%%');
    expect(scene).toMatchObject({ lang: 'en', layout: 'fcose', x: 0.3, nodes: [] });
    expect(problems).toHaveLength(4);
  });
});

describe('scene files', () => {
  it('imports an exported file, keeping positions and derived edges', () => {
    const file = parseSceneFile({
      format: 'kg-explorer-scene', version: 1,
      nodes: [{ key: 'A:1', id: '1', type: 'A', name: 'one', nameEn: null, properties: null, x: 1, y: 2 }, { key: 'A:2', id: '2', type: 'A', name: 'two', nameEn: null, properties: null }],
      edges: [{ source: 'A:1', target: 'A:2', relation: '_DEMAND', weight: 2, derived: true, label: 'lift 2' }, { source: 'A:1', target: 'A:9', relation: 'X', weight: 1 }],
    });
    const els = sceneFileToElements(file, 'en');
    expect(els).toHaveLength(3);
    expect(els[0]).toMatchObject({ position: { x: 1, y: 2 } });
    expect(els[2]).toMatchObject({ classes: 'derived', data: { label: 'lift 2', derived: true } });
  });

  it('rejects files that are not scenes, saying why', () => {
    expect(() => parseSceneFile({ nodes: [] })).toThrow(/format/);
    expect(() => parseSceneFile({ format: 'kg-explorer-scene', version: 1, nodes: [{ id: 'x' }], edges: [] })).toThrow(/node 0/);
  });
});

describe('undo history', () => {
  it('undoes and redoes changes in order and forgets redo after a new change', () => {
    const h = new History<string>(3);
    h.push({ label: 'a', added: ['a'], removed: [] });
    h.push({ label: 'b', added: ['b'], removed: [] });
    h.push({ label: 'empty', added: [], removed: [] });
    expect(h.undo()!.label).toBe('b');
    expect(h.redo()!.label).toBe('b');
    expect(h.undo()!.label).toBe('b');
    h.push({ label: 'c', added: ['c'], removed: [] });
    expect(h.canRedo).toBe(false);
    expect(h.undo()!.label).toBe('c');
    expect(h.undo()!.label).toBe('a');
    expect(h.undo()).toBeUndefined();
  });

  it('keeps at most the limit', () => {
    const h = new History<number>(2);
    for (let i = 0; i < 5; i++) h.push({ label: String(i), added: [i], removed: [] });
    expect(h.undo()!.label).toBe('4');
    expect(h.undo()!.label).toBe('3');
    expect(h.canUndo).toBe(false);
  });
});

describe('layout fit padding', () => {
  it('keeps every layout clear of the toolbar over the canvas', async () => {
    const { layoutOptions, layoutNames, layoutPadding } = await import('../../web/src/graph/layouts.js');
    for (const name of layoutNames) expect(layoutOptions(name, 40).padding).toBe(layoutPadding);
    expect(layoutPadding).toBeGreaterThanOrEqual(56);
  });
});
