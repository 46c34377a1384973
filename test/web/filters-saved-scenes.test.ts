import { describe, expect, it } from 'vitest';
import { compactFilter, edgePasses, filterRanges, hiddenBy, noFilter, parseFilter, type FilterEdge } from '../../web/src/graph/filters.js';
import { degreeBin, degreeBinLabel } from '../../web/src/graph/palette.js';
import { SavedScenes, savedScenesKey, type StorageLike } from '../../web/src/graph/saved-scenes.js';
import { decodeScene, encodeScene, parseSettings, sceneDefaults, type SceneFile } from '../../web/src/graph/scene.js';

const nodes = [{ id: 'c1', type: 'Consumer' }, { id: 'c2', type: 'Consumer' }, { id: 'p1', type: 'Product' }, { id: 'i1', type: 'Interest' }, { id: 'lone', type: 'Product' }];
const edges: FilterEdge[] = [
  { id: 'e1', source: 'c1', target: 'p1', relation: 'PURCHASED', weight: 5, firstTs: 100, lastTs: 200 },
  { id: 'e2', source: 'c2', target: 'p1', relation: 'VIEWED', weight: 1, firstTs: 300, lastTs: 400 },
  { id: 'e3', source: 'c1', target: 'i1', relation: 'INTERESTED_IN', weight: 2 },
  { id: 'd1', source: 'c2', target: 'i1', relation: 'DEMAND_LINK', weight: 0.1, derived: true },
];

describe('scene filters', () => {
  it('hides nothing without a filter', () => {
    const h = hiddenBy(nodes, edges, noFilter);
    expect(h.nodes.size + h.edges.size).toBe(0);
  });

  it('hides a relation, and a node left without any shown relation (never a node that had none)', () => {
    const h = hiddenBy(nodes, edges, { ...noFilter, hiddenRelations: ['VIEWED', 'DEMAND_LINK'] });
    expect([...h.edges].sort()).toEqual(['d1', 'e2']);
    expect([...h.nodes]).toEqual(['c2']);
    const keep = hiddenBy(nodes, edges, { ...noFilter, hiddenRelations: ['VIEWED', 'DEMAND_LINK'], hideOrphans: false });
    expect(keep.nodes.size).toBe(0);
  });

  it('hides a type with its edges; weights bound stored relations, not statistical links', () => {
    const h = hiddenBy(nodes, edges, { ...noFilter, hiddenTypes: ['Interest'], minWeight: 2 });
    expect([...h.edges].sort()).toEqual(['d1', 'e2', 'e3']);
    expect(h.nodes.has('i1')).toBe(true);
    expect(edgePasses(edges[3]!, { ...noFilter, minWeight: 2 })).toBe(true);
  });

  it('keeps a relation whose dates overlap the window, and undated relations', () => {
    const f = { ...noFilter, since: 250, until: 1000 };
    expect(edgePasses(edges[0]!, f)).toBe(false);
    expect(edgePasses(edges[1]!, f)).toBe(true);
    expect(edgePasses(edges[2]!, f)).toBe(true);
    expect(edgePasses(edges[1]!, { ...noFilter, until: 250 })).toBe(false);
  });

  it('reports the types, relations, weight and time ranges of a scene', () => {
    const r = filterRanges(nodes, edges);
    expect(r.types[0]).toEqual(['Consumer', 2]);
    expect(r.relations.map((x) => x[0])).toContain('VIEWED');
    expect(r.weight).toEqual({ min: 1, max: 5 });
    expect(r.time).toEqual({ min: 100, max: 400 });
  });

  it('reads a filter from untrusted JSON and travels in a deep link', () => {
    expect(parseFilter({ minWeight: 'x', hiddenRelations: ['VIEWED', 3], since: 5 })).toEqual({ ...noFilter, hiddenRelations: ['VIEWED'], since: 5 });
    const filter = { ...noFilter, hiddenRelations: ['VIEWED'], minWeight: 3 };
    expect(compactFilter(filter)).toEqual({ hiddenRelations: ['VIEWED'], minWeight: 3 });
    const hash = encodeScene({ ...sceneDefaults, nodes: [], edges: [], filter, color: 'degree' });
    const back = decodeScene(hash);
    expect(back.problems).toEqual([]);
    expect(back.scene.filter).toEqual(filter);
    expect(back.scene.color).toBe('degree');
  });

  it('puts degrees into doubling colour steps with readable labels', () => {
    expect([0, 1, 2, 3, 4, 7, 8, 16, 500].map(degreeBin)).toEqual([0, 1, 2, 2, 3, 3, 4, 5, 5]);
    expect([0, 1, 2, 3, 4, 5].map(degreeBinLabel)).toEqual(['0', '1', '2–3', '4–7', '8–15', '16+']);
  });
});

describe('saved scenes', () => {
  const memory = (): StorageLike & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => { data.set(k, v); } };
  };
  const file = (n: number): SceneFile => ({
    format: 'kg-explorer-scene', version: 1,
    nodes: Array.from({ length: n }, (_, i) => ({ key: `Product:p${i}`, id: `p${i}`, type: 'Product', name: `p${i}`, nameEn: null, properties: null, x: i * 10, y: 0 })),
    edges: [], settings: { filter: { hiddenRelations: ['VIEWED'] }, colorBy: 'degree', sizeBy: 'weight', layout: 'grid' },
  });

  it('saves, lists newest first, replaces by name, reopens with settings and deletes', () => {
    let t = 0;
    const store = new SavedScenes(memory(), () => new Date(Date.UTC(2026, 0, 1) + 1000 * t++));
    store.save('  Spring  ', file(2));
    store.save('Summer', file(3));
    expect(store.list().map((s) => [s.name, s.nodes])).toEqual([['Summer', 3], ['Spring', 2]]);
    store.save('Spring', file(5));
    expect(store.list().map((s) => [s.name, s.nodes])).toEqual([['Spring', 5], ['Summer', 3]]);
    const back = store.load('Spring')!;
    expect(back.nodes[4]!.x).toBe(40);
    expect(parseSettings(back.settings)).toEqual({ filter: { ...noFilter, hiddenRelations: ['VIEWED'] }, colorBy: 'degree', sizeBy: 'weight', layout: 'grid' });
    expect(store.remove('Spring')).toBe(true);
    expect(store.remove('Spring')).toBe(false);
    expect(store.load('Spring')).toBeNull();
  });

  it('refuses an empty name and keeps what was saved when storage is full', () => {
    const mem = memory();
    const store = new SavedScenes(mem);
    expect(() => store.save('  ', file(1))).toThrow(/name/);
    store.save('Kept', file(1));
    const full = new SavedScenes({ getItem: mem.getItem, setItem: () => { throw new Error('QuotaExceededError'); } });
    expect(() => full.save('Big', file(9))).toThrow(/Quota/);
    expect(store.list().map((s) => s.name)).toEqual(['Kept']);
  });

  it('ignores a corrupt store instead of failing the page', () => {
    const mem = memory();
    mem.data.set(savedScenesKey, '{not json');
    expect(new SavedScenes(mem).list()).toEqual([]);
  });
});

describe('relation timestamps from the API', () => {
  it('are asked for only when the server’s Edge has firstTs and lastTs, and reach the canvas data', async () => {
    const { capabilitiesFrom } = await import('../../web/src/api/capabilities.js');
    const { neighborhoodQueryFor } = await import('../../web/src/api/queries.js');
    const { apiEdgeToElement } = await import('../../web/src/graph/elements.js');
    const scalar = (name: string) => ({ name, type: { kind: 'SCALAR', name: 'Float' } });
    const schema = (edgeFields: string[]) => ({
      queryType: { name: 'Query' },
      types: [{ name: 'Query', kind: 'OBJECT', fields: [] }, { name: 'Edge', kind: 'OBJECT', fields: ['source', 'target', 'relation', 'weight', ...edgeFields].map(scalar) }],
    });
    expect(capabilitiesFrom(schema(['firstTs', 'lastTs'])).edgeTimes).toBe(true);
    expect(capabilitiesFrom(schema([])).edgeTimes).toBe(false);
    expect(neighborhoodQueryFor({ edgeTimes: true })).toContain('weight firstTs lastTs');
    expect(neighborhoodQueryFor(null)).not.toContain('firstTs');
    const el = apiEdgeToElement({ source: 'a', target: 'b', relation: 'VIEWED', weight: 1, firstTs: 10, lastTs: 20 });
    expect([el.data.firstTs, el.data.lastTs]).toEqual([10, 20]);
  });
});
