import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { seededRandom } from '../core/seeded-random.js';
import type { InterestSet } from './interest-sets.js';

export interface InterestCluster {
  /** 1-based, largest cluster (by member consumers) first; stable for the same data. */
  id: number;
  /** Member interest keys, most consumers first. */
  interests: string[];
}

/**
 * Interest clusters by Louvain community detection (graphology) on the interest co-occurrence
 * graph. Edges are the pairs with lift > 1 and at least `minSupport` consumers, weighted by
 * excess consumers (support - expected), so popular interests do not glue everything together.
 * Clusters of one interest are dropped.
 */
export function interestClusters(pairs: InterestSet[], consumersOf: Map<string, number>, minSupport: number, resolution = 1): InterestCluster[] {
  const graph = new UndirectedGraph();
  for (const p of pairs) {
    if (p.size !== 2 || p.support < minSupport || p.lift <= 1 || p.excess <= 0) continue;
    graph.mergeNode(p.a);
    graph.mergeNode(p.b);
    graph.mergeEdge(p.a, p.b, { weight: p.excess });
  }
  if (graph.order === 0) return [];
  // CommonJS default export seen through NodeNext typings.
  const louvain = louvainModule as unknown as (typeof louvainModule)['default'];
  const communities: Record<string, number> = louvain(graph, { getEdgeWeight: 'weight', rng: seededRandom(42), resolution });
  const groups = new Map<number, string[]>();
  for (const [node, c] of Object.entries(communities)) groups.set(c, [...(groups.get(c) ?? []), node]);
  const size = (keys: string[]) => keys.reduce((s, k) => s + (consumersOf.get(k) ?? 0), 0);
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.sort((x, y) => (consumersOf.get(y) ?? 0) - (consumersOf.get(x) ?? 0) || (x < y ? -1 : 1)))
    .sort((x, y) => size(y) - size(x) || (x[0]! < y[0]! ? -1 : 1))
    .map((interests, i) => ({ id: i + 1, interests }));
}
