import { describe, expect, it } from 'vitest';
import { contractCapabilities } from '../../web/src/api/capabilities.js';
import { demandLinksQuery, opportunitiesQuery } from '../../web/src/api/queries.js';
import { chunked, entityVariables, restoredElements, sameNodes } from '../../web/src/graph/deep-link.js';
import { opportunityExtras } from '../../web/src/graph/elements.js';
import { decodeScene, encodeScene, sceneDefaults } from '../../web/src/graph/scene.js';
import { SegmentBook } from '../../web/src/graph/segment-book.js';
import type { ApiEntity, ApiOpportunity, NodeElement } from '../../web/src/graph/types.js';

const entity = (type: string, id: string, name = id): ApiEntity => ({ key: `${type}:${id}`, id, type, name, nameEn: null, properties: null });

describe('deep links', () => {
  it('asks for entities in chunks of aliases with their ids and types', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([], 10)).toEqual([]);
    expect(entityVariables(['Interest:a:b', 'odd'])).toEqual({ id0: 'a:b', t0: 'Interest', id1: 'odd', t1: 'Product' });
  });

  it('carries the expanded nodes, so their badges come back on reload (unknown or out-of-range ones dropped)', () => {
    const hash = encodeScene({ ...sceneDefaults, nodes: ['Interest:a', 'Product:b'], edges: [], expanded: ['Interest:a', 'Product:gone'] });
    expect(decodeScene(hash).scene.expanded).toEqual(['Interest:a']);
    expect(decodeScene(encodeScene({ ...sceneDefaults, nodes: ['Interest:a'], edges: [] })).scene.expanded).toBeUndefined();
  });

  it('knows when the canvas already shows the link', () => {
    expect(sameNodes(['B', 'A'], { nodes: ['A', 'B'] })).toBe(true);
    expect(sameNodes(['A'], { nodes: ['A', 'B'] })).toBe(false);
  });

  it('puts fetched entities at the link positions and adds its edges, leaving out the gone ones', () => {
    const scene = { nodes: ['Interest:a', 'Product:b', 'Product:gone'], edges: [[1, 0, 'RELATES_TO', 3]] as [number, number, string, number][], pos: [[1, 2], [3, 4], [5, 6]] as [number, number][] };
    const els = restoredElements(scene, [entity('Product', 'b'), entity('Interest', 'a')], 'en');
    const nodes = els.filter((e): e is NodeElement => e.group === 'nodes');
    expect(nodes.map((e) => [e.data.id, e.position])).toEqual([['Product:b', { x: 3, y: 4 }], ['Interest:a', { x: 1, y: 2 }]]);
    const edge = els.find((e) => e.group === 'edges')!;
    expect(edge.data).toMatchObject({ id: 'Product:b|RELATES_TO|Interest:a', source: 'Product:b', target: 'Interest:a', relation: 'RELATES_TO', weight: 3 });
    expect(edge.data.width).toBeGreaterThan(1);
    expect((restoredElements({ ...scene, pos: undefined }, [entity('Interest', 'a')], 'en')[0] as NodeElement).position).toBeUndefined();
  });
});

describe('segment colours', () => {
  it('numbers segments in order of appearance and asks only for unknown keys', () => {
    const book = new SegmentBook();
    expect(book.unasked(['A', 'B'])).toEqual(['A', 'B']);
    book.add({ segments: [{ id: 's1', name: 'Campers' }], segmentOf: [{ key: 'A', segment: 's2' }, { key: 'B', segment: null }] });
    expect(book.labels).toEqual(['Campers', 's2']);
    expect(book.byKey.get('A')).toBe(1);
    expect(book.byKey.has('B')).toBe(false);
    expect(book.unasked(['A', 'B', 'C'])).toEqual(['C']);
    book.add({ segments: [{ id: 's2', name: 'Coffee' }, { id: 's1', name: 'Campers' }], segmentOf: [{ key: 'C', segment: 's1' }] });
    expect(book.labels).toEqual(['Campers', 's2']);
    expect(book.byKey.get('C')).toBe(0);
  });
});

describe('opportunity extras', () => {
  const op: ApiOpportunity = {
    interests: [entity('Interest', 'camp'), entity('Interest', 'coffee')], consumers: 40, lift: 2, gapScore: 1, closestProducts: [],
    adjacentInterests: [entity('Interest', 'photo')],
    segments: [{ segmentId: '3', consumers: 20, share: 0.5, segment: { name: 'Outdoors' } }],
  } as ApiOpportunity;

  it('draws the extra entity lists and each driving segment joined once, to the need\'s hub', () => {
    const els = opportunityExtras(op, ['adjacentInterests'], 'en');
    expect(els.filter((e) => e.group === 'nodes').map((e) => e.data.id)).toEqual(['Interest:photo', 'Segment:3']);
    // Nothing drawn on its own: the adjacent interest hangs on the hub too.
    const edges = els.filter((e) => e.group === 'edges');
    expect(edges.map((e) => [e.data.source, e.data.relation, e.data.target])).toEqual([
      ['Interest:photo', '_ADJACENT', 'Opportunity:Interest:camp+Interest:coffee'],
      ['Segment:3', '_DRIVES', 'Opportunity:Interest:camp+Interest:coffee'],
    ]);
    const drives = edges.filter((e) => e.data.relation === '_DRIVES');
    expect(drives[0]!.data).toMatchObject({ relation: '_DRIVES', label: '50%', width: 3, derived: true });
  });

  it('draws nothing extra for a contract-only answer', () => {
    expect(opportunityExtras({ ...op, segments: undefined }, [], 'en')).toEqual([]);
  });
});

describe('capabilities without introspection', () => {
  it('are the contract fields, so built queries ask for nothing beyond them', () => {
    const caps = contractCapabilities();
    expect(caps.entityTypes).toEqual(['Consumer', 'Product', 'Interest']);
    expect([...caps.query].sort()).toEqual(['demandLinks', 'entity', 'lookalikes', 'neighborhood', 'paths', 'productOpportunities', 'recommendProducts', 'related', 'search', 'stats']);
    expect(caps.args.get('paths')).toEqual(new Set(['from', 'fromType', 'to', 'toType', 'maxLength', 'first']));
    expect(demandLinksQuery(caps)).toMatch(/support confidence lift\s*\}/);
    expect(opportunitiesQuery(caps)).not.toMatch(/segments|zScore|adjacentInterests/);
    expect(contractCapabilities(['Consumer', 'Brand']).entityTypes).toEqual(['Consumer', 'Brand']);
  });
});
