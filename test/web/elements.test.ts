import { describe, expect, it } from 'vitest';
import {
  bigSizing, demandLinkElements, pValueText, edgeWidth, entityToNode, fmt, moreBadge, nodeLabel, opportunityElements, parseKey, pathToElements,
  planExpansion, propertyPairs, rankNeighbours, scaledSize, sizesBy, sizing, subgraphToElements,
  groupNeighbours, heldBackCount, heldBackLabel, mergeKnownNeighbours, readableLabel, shortHash,
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

  it('labels consumers readably on canvas (segment, short hash), never by the raw pseudonym', () => {
    const p = e('Consumer', 'c_3n_v3CGWJDNXwqy8M8THZs');
    expect(entityToNode(p, 'en').data.label).toBe('Consumer #3n_v3C');
    expect(entityToNode(p, 'zh').data.label).toBe('消费者 #3n_v3C');
    expect(readableLabel(p, 'en', 'Camping · Glamping')).toBe('Camping · Glamping #3n_v3C');
    expect(shortHash(p.id)).toBe('#3n_v3C');
    // A consumer loaded with a real name keeps it; the details panel still has the whole id.
    expect(readableLabel(e('Consumer', 'c_x', 'Alice'), 'en')).toBe('Alice');
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

  it('holds every consumer back behind one aggregate badge', () => {
    const ranked = rankNeighbours({ nodes, edges }, hub.key);
    const onCanvas = new Set(['Consumer:c39']);
    const plan = planExpansion(ranked, 10, (k) => onCanvas.has(k), 500);
    expect(plan.add).toEqual([]);
    expect(plan.heldBack).toHaveLength(39);
    expect(plan.alreadyShown.map((r) => r.entity.id)).toEqual(['c39']);
    expect(plan.notLoaded).toBe(500);
    // The server sends named neighbours first, so the 500 it left out are consumers too.
    expect(heldBackCount(plan.heldBack, plan.notLoaded)).toEqual({ named: 0, consumers: 539 });
  });

  it('shows named neighbours before anonymous consumers, however weak their link', () => {
    const products = Array.from({ length: 12 }, (_, i) => e('Product', `p${i}`, `Product ${i}`));
    const withNamed = { nodes: [...nodes, ...products], edges: [...edges, ...products.map((p, i) => ({ source: p.key, target: hub.key, relation: 'RELATES_TO', weight: i / 100 }))] };
    const ranked = rankNeighbours(withNamed, hub.key);
    expect(ranked.slice(0, 12).every((r) => r.entity.type === 'Product')).toBe(true);
    const plan = planExpansion(ranked, 10, () => false, 7);
    expect(plan.add.map((r) => r.entity.id)).toEqual(['p11', 'p10', 'p9', 'p8', 'p7', 'p6', 'p5', 'p4', 'p3', 'p2']);
    const held = heldBackCount(plan.heldBack, plan.notLoaded);
    expect(held).toEqual({ named: 2, consumers: 47 });
    const words = { more: (n: string) => `+${n} more`, consumers: (n: string) => `${n} consumers` };
    expect(heldBackLabel(held, words)).toBe('+2 more · 47 consumers');
    expect(heldBackLabel({ named: 0, consumers: 184 }, words)).toBe('184 consumers');
    // Without a consumer in the list, what the server left out is of unknown type: "more".
    expect(heldBackLabel(heldBackCount(plan.heldBack.slice(0, 2), 3), words)).toBe('+5 more');
    // The chooser's groups: by type and relation, named first, with their counts.
    expect(groupNeighbours(plan.heldBack).map((g) => [g.type, g.relation, g.items.length])).toEqual([['Product', 'RELATES_TO', 2], ['Consumer', 'INTERESTED_IN', 40]]);
  });

  it('keeps every neighbour of an expanded node across a fetch of one relation, so the badge still counts the others', () => {
    const product = e('Product', 'tent', 'Tent');
    const all = rankNeighbours({ nodes: [...nodes, product], edges: [...edges, { source: product.key, target: hub.key, relation: 'RELATES_TO', weight: 0.5 }] }, hub.key);
    const known = mergeKnownNeighbours(undefined, { items: all, notLoaded: 100 });
    // Expanding by RELATES_TO alone lists only the tent (the server sends no consumer and leaves nothing out).
    const relatesTo = rankNeighbours({ nodes: [hub, product], edges: [{ source: product.key, target: hub.key, relation: 'RELATES_TO', weight: 0.5 }] }, hub.key);
    const after = mergeKnownNeighbours(known, { items: relatesTo, notLoaded: 0 });
    expect(after.items).toHaveLength(41);
    expect(after.items[0]!.entity.key).toBe(product.key);
    expect(after.notLoaded).toBe(100);
    const onCanvas = new Set([product.key, 'Consumer:c39']);
    expect(heldBackCount(after.items.filter((i) => !onCanvas.has(i.entity.key)), after.notLoaded)).toEqual({ named: 0, consumers: 139 });
    // A fetch of every relation replaces the list.
    expect(mergeKnownNeighbours(undefined, { items: relatesTo, notLoaded: 0 }).items).toHaveLength(1);
  });

  it('makes a "+M more" badge tied to the expanded node', () => {
    const [node, edge] = moreBadge(hub.key, 529, '+529 more');
    expect(node!.data).toMatchObject({ id: 'more:Interest:hub', moreOf: hub.key, label: '+529 more', count: 529 });
    expect(node!.classes).toBe('more');
    expect(edge!.data).toMatchObject({ source: hub.key, target: 'more:Interest:hub' });
  });
});

describe('opportunity segments on canvas', () => {
  it('names a driving segment in English from its interests, in Chinese by its stored name', async () => {
    const { opportunityExtras } = await import('../../web/src/graph/elements.js');
    const op = { interests: [camping], consumers: 80, lift: 5, gapScore: 1, closestProducts: [],
      segments: [{ segmentId: '4', share: 0.38, consumers: 31, segment: { name: '露营 · 精致露营 · 户外露营', interests: [{ name: '露营', nameEn: 'Camping' }, { name: '精致露营', nameEn: 'Glamping' }, { name: '户外露营', nameEn: 'Outdoor and camping' }] } }] };
    expect(opportunityExtras(op, [], 'en').find((el) => el.group === 'nodes')!.data.label).toBe('Camping · Glamping · Outdoor and camping');
    expect(opportunityExtras(op, [], 'zh').find((el) => el.group === 'nodes')!.data.label).toBe('露营 · 精致露营 · 户外露营');
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

  it('draws an opportunity as a star: a hub for the need, an edge to each interest, one from each closest product', () => {
    const coffee = e('Interest', 'coffee', '咖啡', 'Coffee');
    const fit = e('Interest', 'fitness');
    const kettle = e('Product', 'kettle');
    const els = opportunityElements({ interests: [camping, coffee, fit], consumers: 300, lift: 3, gapScore: 0.8, closestProducts: [suv, kettle] }, 'en');
    const edges = els.filter((x) => x.group === 'edges');
    const hub = els.find((x) => x.group === 'nodes' && x.data.type === 'Opportunity')!;
    expect(hub.data.label).toContain('Coffee');
    // Its figures once, on the hub's second line, not repeated on every interest's edge.
    expect(String(hub.data.label).split('\n')[1]).toBe('300 consumers · lift 3');
    expect(edges.filter((x) => x.data.label)).toEqual([]);
    expect(edges.filter((x) => x.data.relation === '_NEED').map((x) => x.data.source)).toEqual([hub.data.id, hub.data.id, hub.data.id]);
    // Interests + products edges: no product-by-interest tangle.
    expect(edges.filter((x) => x.data.relation === '_CLOSEST').map((x) => x.data.target)).toEqual([hub.data.id, hub.data.id]);
    expect(edges).toHaveLength(5);
    expect(els.filter((x) => x.group === 'nodes')).toHaveLength(6);
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
    expect(fmt(0.0001)).toBe('0.00010');
    expect(fmt(0.0052)).toBe('0.0052');
    expect(fmt(0.0448)).toBe('0.04');
    expect(fmt(1e-9)).toBe('<0.000001');
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
