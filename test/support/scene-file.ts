import { seededRandom } from '../../server/core/seeded-random.js';

/** A scene file in the explorer's export format (web/src/graph/scene.ts). */
export interface BenchSceneFile {
  format: 'kg-explorer-scene';
  version: 1;
  nodes: { key: string; id: string; type: string; name: string; nameEn: string; properties: null }[];
  edges: { source: string; target: string; relation: string; weight: number }[];
}

/**
 * A scene of `n` nodes and 2n distinct edges for the big-scene benchmark and test: clusters of
 * 50 (nine edges in ten stay inside one) with bridges between them, like communities of
 * consumers around products and interests. Seeded, so every run draws the same scene.
 */
export function benchSceneFile(n: number, seed = 7): BenchSceneFile {
  const types = ['Consumer', 'Product', 'Interest'];
  const nodes = Array.from({ length: n }, (_, i) => {
    const type = types[i % 3]!;
    return { key: `${type}:g${i}`, id: `g${i}`, type, name: `节点${i}`, nameEn: `Node ${i}`, properties: null };
  });
  const rnd = seededRandom(seed);
  const edges: BenchSceneFile['edges'] = [];
  const seen = new Set<string>();
  while (edges.length < 2 * n && n > 1) {
    const a = Math.floor(rnd() * n);
    const cluster = Math.floor(a / 50) * 50;
    const b = rnd() < 0.9 ? cluster + Math.floor(rnd() * 50) : Math.floor(rnd() * n);
    if (a === b || b >= n) continue;
    const id = `${a}-${b}`;
    if (seen.has(id)) continue;
    seen.add(id);
    edges.push({ source: nodes[a]!.key, target: nodes[b]!.key, relation: 'RELATES_TO', weight: 1 + Math.floor(rnd() * 5) });
  }
  return { format: 'kg-explorer-scene', version: 1, nodes, edges };
}
