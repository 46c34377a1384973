import { describe, expect, it } from 'vitest';
import { groupPaths, stepLabel } from '../../web/src/graph/path-groups.js';
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
