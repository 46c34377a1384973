import { describe, expect, it } from 'vitest';
import {
  bigSizing, demandLinkElements, pValueText, edgeWidth, entityToNode, fmt, moreBadge, nodeLabel, opportunityElements, parseKey, pathToElements,
  planExpansion, propertyPairs, rankNeighbours, scaledSize, sizesBy, sizing, subgraphToElements,
} from '../../web/src/graph/elements.js';
import type { ApiEntity } from '../../web/src/graph/types.js';

const e = (type: string, id: string, name = id, nameEn: string | null = null): ApiEntity => ({ key: `${type}:${id}`, id, type, name, nameEn, properties: null });
const camping = e('Interest', 'camping', '露营', 'Camping');
const suv = e('Product', 'suv', '城市SUV', 'City SUV');
const c1 = e('Consumer', 'c_1');

describe('labels', () => {
  it('uses the English name in English and the stored name in Chinese', () => {
    expect(nodeLabel(camping, 'en')).toBe('Camping');
    expect(nodeLabel(camping, 'zh')).toBe('露营');
    expect(nodeLabel(c1, 'en')).toBe('c_1');
  });

  it('shortens consumer pseudonyms on canvas only', () => {
    const p = e('Consumer', 'c_AAAAAAAAAAAAAAAAAAAAAA');
    expect(entityToNode(p, 'en').data.label).toBe('c_AAAAAA…');
    expect(nodeLabel(p, 'en')).toBe(p.id);
  });
});

describe('subgraphToElements', () => {
  it('keys nodes by entity key, drops duplicates and edges to absent nodes', () => {
    const els = subgraphToElements({
      nodes: [camping, suv, camping],
      edges: [
        { source: suv.key, target: camping.key, relation: 'RELATES_TO', weight: 3 },
        { source: suv.key, target: camping.key, relation: 'RELATES_TO', weight: 3 },
        { source: c1.key, target: suv.key, relation: 'PURCHASED', weight: 1 },
      ],
    }, 'zh');
    expect(els.filter((x) => x.group === 'nodes').map((x) => x.data.id)).toEqual([camping.key, suv.key]);
    const edges = els.filter((x) => x.group === 'edges');
    expect(edges).toHaveLength(1);
    expect(edges[0]!.data).toMatchObject({ id: 'Product:suv|RELATES_TO|Interest:camping', source: suv.key, target: camping.key, relation: 'RELATES_TO', weight: 3 });
    expect(els[0]!.data.label).toBe('露营');
  });
});

describe('edge width and node size', () => {
  it('grows edge width with weight, logarithmically and capped', () => {
    expect(edgeWidth(0)).toBe(1);
    expect(edgeWidth(1)).toBeLessThan(edgeWidth(10));
    expect(edgeWidth(1e9)).toBe(6);
    expect(edgeWidth(Number.NaN)).toBe(1);
  });

  it('scales node size between min and max by the square root of the value', () => {
    expect(scaledSize(0, 0, 100)).toBe(sizing.min);
    expect(scaledSize(100, 0, 100)).toBe(sizing.max);
    expect(scaledSize(25, 0, 100)).toBe(Math.round(sizing.min + 0.5 * (sizing.max - sizing.min)));
    expect(scaledSize(5, 5, 5)).toBe(sizing.initial);
  });

  it('uses small dots in big scenes', () => {
    const s = sizesBy(new Map([['a', 1], ['b', 9]]), bigSizing);
    expect([s.get('a'), s.get('b')]).toEqual([bigSizing.min, bigSizing.max]);
  });

  it('keeps the initial size for nodes without a value', () => {
    const s = sizesBy(new Map([['a', 1], ['b', 9], ['c', undefined]]));
    expect(s.get('a')).toBe(sizing.min);
    expect(s.get('b')).toBe(sizing.max);
    expect(s.get('c')).toBe(sizing.initial);
  });
});

describe('paths', () => {
  it('orients steps as stored: consumer → product even when the path walks it backwards', () => {
    const path = { nodes: [suv, c1, camping], relations: ['PURCHASED', 'INTERESTED_IN'], strength: 0.4 };
    const edges = pathToElements(path, 'en').filter((x) => x.group === 'edges');
    expect(edges.map((x) => [x.data.source, x.data.target])).toEqual([[c1.key, suv.key], [c1.key, camping.key]]);
  });

  it('reuses an edge already on canvas in the reverse direction for same-type relations', () => {
    const a = e('Product', 'a'), b = e('Product', 'b');
    const edges = pathToElements({ nodes: [a, b], relations: ['SIMILAR_TO'], strength: 1 }, 'en', (id) => id === 'Product:b|SIMILAR_TO|Product:a')
      .filter((x) => x.group === 'edges');
    expect(edges[0]!.data.id).toBe('Product:b|SIMILAR_TO|Product:a');
  });
});

describe('supernode safeguard', () => {
  const hub = e('Interest', 'hub');
  const nodes = [hub, ...Array.from({ length: 40 }, (_, i) => e('Consumer', `c${i}`))];
  const edges = nodes.slice(1).map((n, i) => ({ source: n.key, target: hub.key, relation: 'INTERESTED_IN', weight: i + 1 }));

  it('ranks neighbours by the total weight of their edges to the centre', () => {
    const ranked = rankNeighbours({ nodes, edges }, hub.key);
    expect(ranked).toHaveLength(40);
    expect(ranked[0]!.entity.id).toBe('c39');
    expect(ranked[0]!.weight).toBe(40);
    expect(ranked.at(-1)!.entity.id).toBe('c0');
  });

  it('adds the strongest N new neighbours and holds back the rest', () => {
    const ranked = rankNeighbours({ nodes, edges }, hub.key);
    const onCanvas = new Set(['Consumer:c39']);
    const plan = planExpansion(ranked, 10, (k) => onCanvas.has(k), 500);
    expect(plan.add.map((r) => r.entity.id)).toEqual(['c38', 'c37', 'c36', 'c35', 'c34', 'c33', 'c32', 'c31', 'c30', 'c29']);
    expect(plan.heldBack).toHaveLength(29);
    expect(plan.alreadyShown.map((r) => r.entity.id)).toEqual(['c39']);
    expect(plan.notLoaded).toBe(500);
  });

  it('makes a "+M more" badge tied to the expanded node', () => {
    const [node, edge] = moreBadge(hub.key, 529, '+529 more');
    expect(node!.data).toMatchObject({ id: 'more:Interest:hub', moreOf: hub.key, label: '+529 more', count: 529 });
    expect(node!.classes).toBe('more');
    expect(edge!.data).toMatchObject({ source: hub.key, target: 'more:Interest:hub' });
  });
});

describe('statistics as edges', () => {
  it('draws a demand link as a dashed derived edge labelled with lift and support', () => {
    const els = demandLinkElements(camping, { entity: suv, support: 120, confidence: 0.3, lift: 2.456 }, 'en');
    const edge = els.find((x) => x.group === 'edges')!;
    expect(edge.classes).toBe('derived');
    expect(edge.data.label).toBe('lift 2.46 · n=120');
    expect(edge.data.derived).toBe(true);
  });

  it('draws an opportunity: interests pairwise, each closest product to every interest', () => {
    const coffee = e('Interest', 'coffee', '咖啡', 'Coffee');
    const fit = e('Interest', 'fitness');
    const els = opportunityElements({ interests: [camping, coffee, fit], consumers: 300, lift: 3, gapScore: 0.8, closestProducts: [suv] }, 'en');
    const edges = els.filter((x) => x.group === 'edges');
    expect(edges.filter((x) => x.data.relation === '_COOCCURS')).toHaveLength(3);
    expect(edges.filter((x) => x.data.relation === '_CLOSEST')).toHaveLength(3);
    expect(els.filter((x) => x.group === 'nodes')).toHaveLength(4);
  });
});

describe('helpers', () => {
  it('parses keys whose ids contain colons', () => {
    expect(parseKey('Product:sku:42')).toEqual({ type: 'Product', id: 'sku:42' });
    expect(parseKey('nokey')).toBeNull();
  });

  it('reads properties JSON and ignores garbage', () => {
    expect(propertyPairs('{"price":199,"brand":"北面"}')).toEqual([['price', '199'], ['brand', '北面']]);
    expect(propertyPairs('not json')).toEqual([]);
    expect(propertyPairs(null)).toEqual([]);
  });

  it('formats figures compactly', () => {
    expect(fmt(12345.6)).toBe('12,346');
    expect(fmt(2.345)).toBe('2.35');
    expect(fmt(0.0001)).toBe('1.0e-4');
    expect(fmt(Number.NaN)).toBe('–');
  });

  it('makes nodes with the entity fields in data', () => {
    expect(entityToNode(suv, 'en').data).toMatchObject({ id: suv.key, type: 'Product', entityId: 'suv', name: '城市SUV', nameEn: 'City SUV', label: 'City SUV' });
  });
});

describe('p-values in the demand-link table', () => {
  it('take one significant digit and collapse tiny values to <0.001', () => {
    expect(pValueText(0.0312)).toBe('0.03');
    expect(pValueText(0.5)).toBe('0.5');
    expect(pValueText(0.0004)).toBe('<0.001');
    expect(pValueText(1e-12)).toBe('<0.001');
    expect(pValueText(Number.NaN)).toBe('–');
  });
});
