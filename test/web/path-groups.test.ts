import { describe, expect, it } from 'vitest';
import { groupPaths, pathScene, stepLabel, stepNeedsChip } from '../../web/src/graph/path-groups.js';
import { columnLayout } from '../../web/src/graph/column-layout.js';
import type { ApiEntity, ApiPath } from '../../web/src/graph/types.js';

const e = (type: string, id: string, name = id, nameEn: string | null = null): ApiEntity => ({ key: `${type}:${id}`, id, type, name, nameEn, properties: null });
const suv = e('Interest', 'suv', 'SUV', 'SUVs');
const pour = e('Interest', 'pour-over', '手冲咖啡', 'Pour-over coffee');
const camping = e('Interest', 'camping', '露营', 'Camping');
const viaConsumer = (id: string, strength: number): ApiPath => ({ nodes: [suv, e('Consumer', id), pour], relations: ['INTERESTED_IN', 'INTERESTED_IN'], strength });

describe('grouping paths by their named nodes', () => {
  it('merges routes that differ only in the consumer they pass, adding up their strength', () => {
    const paths = [viaConsumer('c_aaaaaaaaaaaaaaaaaaaaaa', 0.3), viaConsumer('c_bbbbbbbbbbbbbbbbbbbbbb', 0.2), viaConsumer('c_cccccccccccccccccccccc', 0.2),
      { nodes: [suv, camping, pour], relations: ['SUBTOPIC_OF', 'SUBTOPIC_OF'], strength: 0.5 }];
    const groups = groupPaths(paths, 5);
    expect(groups).toHaveLength(2);
    expect(groups[0]!.members).toHaveLength(3);
    expect(groups[0]!.strength).toBeCloseTo(0.7, 9);
    expect(groups[0]!.consumers).toEqual([0, 3, 0]);
    expect(stepLabel(groups[0]!.path.nodes[1]!, 3, 'en')).toBe('3 consumers');
    expect(stepLabel(groups[0]!.path.nodes[1]!, 3, 'zh')).toBe('3 位消费者');
    expect(groups[1]!.path.nodes.map((n) => n.id)).toEqual(['suv', 'camping', 'pour-over']);
    expect(stepLabel(camping, 0, 'en')).toBe('Camping');
    expect(groupPaths(paths, 1)).toHaveLength(1);
  });

  it('a single consumer is named readably, never by its pseudonym', () => {
    const [g] = groupPaths([viaConsumer('c_3n_v3CGWJDNXwqy8M8THZs', 0.1)], 5);
    expect(stepLabel(g!.path.nodes[1]!, g!.consumers[1]!, 'en')).toBe('Consumer #3n_v3C');
  });
});

describe('a scene of grouped paths: interests and products, consumers one aggregate a hop', () => {
  const c = (k: string) => e('Consumer', `c_${k.repeat(22)}`);
  const words = { consumers: (n: number) => `${n} consumers` };
  const via = (k: string, s: number): ApiPath => ({ nodes: [suv, c(k), pour], relations: ['INTERESTED_IN', 'INTERESTED_IN'], strength: s });
  const viaCamping = (k1: string, k2: string, s: number): ApiPath => ({
    nodes: [suv, c(k1), camping, c(k2), pour], relations: ['INTERESTED_IN', 'INTERESTED_IN', 'INTERESTED_IN', 'INTERESTED_IN'], strength: s,
  });
  const paths = [via('a', 0.3), via('b', 0.2), via('d', 0.2), viaCamping('a', 'e', 0.1), viaCamping('f', 'e', 0.1), viaCamping('g', 'h', 0.05)];

  it('draws no consumer, one aggregate per hop with the distinct consumers there, each edge once', () => {
    const scene = pathScene(groupPaths(paths, 5), 'en', words);
    const nodes = scene.elements.filter((x) => x.group === 'nodes');
    expect(nodes.filter((n) => n.data.type === 'Consumer')).toEqual([]);
    const hops = nodes.filter((n) => n.data.type === '_more');
    expect(hops.map((n) => [n.data.id, n.data.label]).sort()).toEqual([
      ['hop:Interest:camping>Interest:pour-over', '2 consumers'],
      ['hop:Interest:camping>Interest:suv', '3 consumers'],
      ['hop:Interest:pour-over>Interest:suv', '3 consumers'],
    ]);
    expect(hops.every((n) => n.classes === 'more' && n.data.moreOf === n.data.id)).toBe(true);
    const ids = scene.elements.map((x) => x.data.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Stored directions: consumer → interest, so the aggregate is the edge's source.
    expect(ids).toContain('hop:Interest:pour-over>Interest:suv|INTERESTED_IN|Interest:suv');
    // The hop keeps its consumers with their stored edges, strongest first, to add when chosen.
    const direct = scene.hops.find((h) => h.id === 'hop:Interest:pour-over>Interest:suv')!;
    expect(direct.ends).toEqual(['Interest:pour-over', 'Interest:suv']);
    expect(direct.items.map((i) => i.entity.id)).toEqual([c('a').id, c('b').id, c('d').id]);
    expect(direct.items[0]!.edges.map((x) => `${x.source}|${x.relation}|${x.target}`).sort()).toEqual([
      `${c('a').key}|INTERESTED_IN|Interest:pour-over`, `${c('a').key}|INTERESTED_IN|Interest:suv`]);
  });

  it('places the start in the first column, the end in the last, a longer route’s stops between', () => {
    const scene = pathScene(groupPaths(paths, 5), 'en', words);
    expect(scene.columns[0]).toEqual(['Interest:suv']);
    expect(scene.columns.at(-1)).toEqual(['Interest:pour-over']);
    expect(scene.columns).toHaveLength(5);
    expect(scene.columns[2]).toEqual(expect.arrayContaining(['hop:Interest:pour-over>Interest:suv', 'Interest:camping']));
    // A card lights its own route: the direct one has no camping.
    const groups = groupPaths(paths, 5);
    expect(scene.groupIds[groups.findIndex((g) => g.path.nodes.length === 3)]).not.toContain('Interest:camping');
  });

  it('a consumer step needs no type chip before words that say it; a segment label does', () => {
    expect(stepNeedsChip('Consumer #KOsFuP', 'Consumer')).toBe(false);
    expect(stepNeedsChip('7 consumers', 'Consumer')).toBe(false);
    expect(stepNeedsChip('7 位消费者', '消费者')).toBe(false);
    expect(stepNeedsChip('Camping · Glamping #KOsFuP', 'Consumer')).toBe(true);
  });
});

describe('column layout of a paths scene', () => {
  const body = { w: 30, h: 30, dx: 0, dy: 0 };
  const node = (id: string, w: number) => ({ id, body, label: { w, h: 13, dx: 0, dy: 15 + 4 + 6.5 } });
  it('no two boxes (bodies and labels) touch, columns left to right, each centred', () => {
    const cols = [[node('a', 40)], [node('b', 120), node('c', 90), node('d', 60)], [node('e', 100)]];
    const pos = columnLayout(cols);
    const boxes = cols.flat().flatMap((n) => [n.body, n.label].map((b) => {
      const p = pos.get(n.id)!;
      return { who: n.id, x1: p.x + b.dx - b.w / 2, x2: p.x + b.dx + b.w / 2, y1: p.y + b.dy - b.h / 2, y2: p.y + b.dy + b.h / 2 };
    }));
    const clashes = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => a.who !== b.who && a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2).map((b) => `${a.who}/${b.who}`));
    expect(clashes).toEqual([]);
    expect(pos.get('a')!.x).toBeLessThan(pos.get('b')!.x);
    expect(pos.get('b')!.x).toBeLessThan(pos.get('e')!.x);
    expect(pos.get('b')!.x).toBe(pos.get('d')!.x);
    expect(pos.get('a')!.y).toBeLessThan(26);
    expect(pos.get('b')!.y).toBeLessThan(pos.get('c')!.y);
  });
});

describe('paths through consumers withheld from the caller (reader)', () => {
  it('counts one consumer a route, on the card and the aggregate, and lists none to add', () => {
    const withheld = e('Consumer', 'withheld', 'a consumer');
    const route = (s: number): ApiPath => ({ nodes: [suv, withheld, pour], relations: ['INTERESTED_IN', 'INTERESTED_IN'], strength: s });
    const groups = groupPaths([route(0.3), route(0.2), route(0.1)], 5);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.consumers).toEqual([0, 3, 0]);
    const scene = pathScene(groups, 'en', { consumers: (n) => `${n} consumers` });
    expect(scene.hops.map((h) => [h.items.length, h.withheld])).toEqual([[0, 3]]);
    expect(scene.elements.find((x) => x.data.type === '_more')?.data.label).toBe('3 consumers');
    expect(scene.elements.filter((x) => x.data.type === 'Consumer')).toEqual([]);
  });
});
