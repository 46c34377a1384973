import { seededRandom } from '../../server/core/seeded-random.js';

/** Timestamps of the filter scene: its relations fall in 2024 (Unix seconds). */
export const filterSceneYear = { start: Date.UTC(2024, 0, 1) / 1000, end: Date.UTC(2024, 11, 31) / 1000 };

/**
 * A scene file (the explorer's export format) for the filter panel's tests: 20 consumers, 10
 * products, 6 interests; PURCHASED and VIEWED (consumer → product, weights 1..5) and
 * INTERESTED_IN (consumer → interest), each relation dated somewhere in 2024. Seeded.
 */
export function filterSceneFile(seed = 11) {
  const rnd = seededRandom(seed);
  const nodes = [
    ...Array.from({ length: 20 }, (_, i) => ({ key: `Consumer:f${i}`, id: `f${i}`, type: 'Consumer', name: `顾客${i}`, nameEn: `Shopper ${i}`, properties: null })),
    ...Array.from({ length: 10 }, (_, i) => ({ key: `Product:fp${i}`, id: `fp${i}`, type: 'Product', name: `产品${i}`, nameEn: `Product ${i}`, properties: null })),
    ...Array.from({ length: 6 }, (_, i) => ({ key: `Interest:fi${i}`, id: `fi${i}`, type: 'Interest', name: `兴趣${i}`, nameEn: `Interest ${i}`, properties: null })),
  ];
  const edges: { source: string; target: string; relation: string; weight: number; firstTs: number; lastTs: number }[] = [];
  const seen = new Set<string>();
  const span = filterSceneYear.end - filterSceneYear.start;
  const add = (source: string, target: string, relation: string, weight: number) => {
    const id = `${source}|${relation}|${target}`;
    if (seen.has(id)) return;
    seen.add(id);
    const first = filterSceneYear.start + Math.floor(rnd() * span * 0.9);
    edges.push({ source, target, relation, weight, firstTs: first, lastTs: first + Math.floor(rnd() * span * 0.1) });
  };
  for (let c = 0; c < 20; c++) {
    for (let k = 0; k < 3; k++) add(`Consumer:f${c}`, `Product:fp${Math.floor(rnd() * 10)}`, rnd() < 0.5 ? 'PURCHASED' : 'VIEWED', 1 + Math.floor(rnd() * 5));
    add(`Consumer:f${c}`, `Interest:fi${Math.floor(rnd() * 6)}`, 'INTERESTED_IN', 1);
  }
  return { format: 'kg-explorer-scene' as const, version: 1 as const, nodes, edges };
}
