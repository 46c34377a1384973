import type { BehaviourParams, Catalog, CatalogInterest, CatalogProduct, Segment, StorySpec } from './catalog.js';
import { Rng } from './random.js';

/** Background behaviour of generated graphs (≈ 25 triples a consumer). */
export const genericBehaviour: BehaviourParams = {
  interestsMean: 5,
  purchasesMean: 5,
  viewsMean: 12,
  followsMean: 2.5,
  segmentFocus: 0.85,
  interestAnchoring: 0.65,
  skew: 2.2,
  productSkew: 3,
  globalSkew: 3,
  similarShare: 0.4,
};

/** Smallest sizes the planted stories fit in. */
export const MIN_SIZES = { consumers: 200, products: 30, interests: 24 };

/** Triples a consumer yields on average with `genericBehaviour` (measured; see test/seeds). */
export const TRIPLES_PER_CONSUMER = 25;

/** Sizes that give roughly `triples` triples: consumers from the per-consumer yield, the rest scaled from it. */
export function sizesForTriples(triples: number): { consumers: number; products: number; interests: number } {
  const consumers = Math.max(MIN_SIZES.consumers, Math.round(triples / TRIPLES_PER_CONSUMER));
  return {
    consumers,
    products: Math.max(MIN_SIZES.products, Math.round(consumers / 8)),
    interests: Math.min(3000, Math.max(MIN_SIZES.interests * 2, Math.round(1.5 * Math.sqrt(consumers)))),
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * A synthetic catalog: interests in clusters (a root per cluster, subtopics below it, some a
 * level deeper), products in the same clusters relating to 1–3 of their cluster's interests
 * (now and then one of another cluster), and one consumer segment per cluster leaning on two
 * more clusters.
 */
export function syntheticCatalog(rng: Rng, products: number, interests: number): Catalog {
  const nC = Math.max(3, Math.min(60, Math.round(interests / 12)));
  const clusters = Array.from({ length: nC }, (_, c) => ({
    id: `topic-${pad(c + 1, 2)}`,
    name: `主题${c + 1}`,
    nameEn: `Topic ${c + 1}`,
  }));
  const iw = Math.max(4, String(interests).length);
  const list: CatalogInterest[] = [];
  const byCluster: number[][] = clusters.map(() => []);
  for (let i = 0; i < interests; i++) {
    const cluster = i % nC;
    const pos = byCluster[cluster]!.length;
    // Children of the root first; past the eighth, a level deeper under an earlier child.
    const parent = pos === 0 ? null : pos <= 8 ? byCluster[cluster]![0]! : byCluster[cluster]![((pos - 1) % 8) + 1]!;
    list.push({ id: `i${pad(i + 1, iw)}`, name: `主题${cluster + 1}·兴趣${pos + 1}`, nameEn: `Topic ${cluster + 1} interest ${pos + 1}`, cluster, parent });
    byCluster[cluster]!.push(i);
  }
  const pw = Math.max(5, String(products).length);
  const prods: CatalogProduct[] = [];
  const clusterCounts = clusters.map(() => 0);
  for (let p = 0; p < products; p++) {
    const cluster = p % nC;
    const own = byCluster[cluster]!;
    const pick = () => own[1 + rng.powerIndex(own.length - 1, 1.8)]!;
    const rel = [pick()];
    const extra = rng.int(3);
    for (let k = 0; k < extra; k++) {
      const i = pick();
      if (!rel.includes(i)) rel.push(i);
    }
    if (rng.chance(0.1)) {
      const other = byCluster[rng.int(nC)]!;
      const i = other[rng.powerIndex(other.length, 1.8)]!;
      if (!rel.includes(i)) rel.push(i);
    }
    clusterCounts[cluster]!++;
    prods.push({
      id: `p${pad(p + 1, pw)}`,
      name: `主题${cluster + 1}·产品${clusterCounts[cluster]}`,
      nameEn: `Topic ${cluster + 1} product ${clusterCounts[cluster]}`,
      cluster,
      interests: rel,
    });
  }
  const segments: Segment[] = clusters.map((cl, s) => ({
    id: `segment-${pad(s + 1, 2)}`,
    name: `人群${s + 1}`,
    nameEn: `Segment ${s + 1}`,
    weight: 1 / Math.sqrt(s + 1),
    clusters: [
      [s, 0.7],
      [(s + 1) % nC, 0.2],
      [(s + Math.max(2, Math.floor(nC / 2))) % nC, 0.1],
    ],
  }));
  return { clusters, interests: list, products: prods, segments };
}

/**
 * The planted stories of a generated graph: four opportunities (interest pairs across clusters,
 * every second one with one weakly engaged serving product), a chain of three demand links,
 * two rising trends and a falling one, two lookalike groups. Natural supply that would serve an
 * opportunity is removed, so `servingProducts` is exactly what serves it.
 */
export function syntheticStories(rng: Rng, catalog: Catalog, consumers: number): StorySpec {
  const nC = catalog.clusters.length;
  const byCluster: number[][] = catalog.clusters.map(() => []);
  catalog.interests.forEach((it, i) => byCluster[it.cluster]!.push(i));
  const productsByCluster: number[][] = catalog.clusters.map(() => []);
  catalog.products.forEach((p, i) => productsByCluster[p.cluster]!.push(i));
  const perm = rng.sample(nC, nC);
  const cl = (k: number) => perm[k % nC]!;
  const used = new Set<number>();
  // A mid-popularity interest of a cluster, not used by another story.
  const interest = (c: number, pos: number) => {
    const list = byCluster[c]!;
    for (let k = 0; k < list.length; k++) {
      const i = list[Math.min(list.length - 1, pos + k)]!;
      if (!used.has(i)) {
        used.add(i);
        return i;
      }
    }
    throw new Error(`cluster ${catalog.clusters[c]!.id} has too few interests for the planted stories`);
  };
  const nP = catalog.products.length;
  const tail = (k: number) => nP - 1 - ((k * 7) % Math.max(1, Math.floor(nP / 3)));
  const usedProducts = new Set<number>();
  const tailProduct = (k: number) => {
    let p = tail(k);
    while (usedProducts.has(p)) p = (p - 1 + nP) % nP;
    usedProducts.add(p);
    return p;
  };

  const oppConsumers = Math.max(25, Math.round(consumers * 0.025));
  const opportunities: StorySpec['opportunities'] = [0, 1, 2, 3].map((k) => ({
    label: `Opportunity ${k + 1}: ${catalog.clusters[cl(2 * k)]!.nameEn} × ${catalog.clusters[cl(2 * k + 1)]!.nameEn}`,
    interests: [interest(cl(2 * k), 2), interest(cl(2 * k + 1), 3)],
    consumers: oppConsumers,
    servingProducts: k % 2 === 1 ? [tailProduct(k)] : [],
  }));
  for (const o of opportunities) {
    for (const [p, prod] of catalog.products.entries()) {
      if (o.servingProducts.includes(p) || !o.interests.every((i) => prod.interests.includes(i))) continue;
      // Keep the product's main interest, drop the other opportunity interests it had.
      prod.interests = prod.interests.filter((i, k) => k === 0 || !o.interests.includes(i));
    }
  }

  const a = interest(cl(1), 1);
  const b = interest(cl(4), 2);
  const c = interest(cl(6), 2);
  const targetProduct = productsByCluster[cl(7)]![Math.floor(productsByCluster[cl(7)]!.length * 0.6)]!;
  usedProducts.add(targetProduct);
  const name = (i: number) => catalog.interests[i]!.nameEn;
  const demandLinks: StorySpec['demandLinks'] = [
    { label: `${name(a)} → ${name(b)}`, source: { type: 'Interest', index: a }, target: { type: 'Interest', index: b }, strength: 0.5 },
    { label: `${name(b)} → ${name(c)}`, source: { type: 'Interest', index: b }, target: { type: 'Interest', index: c }, strength: 0.45 },
    {
      label: `${name(c)} → ${catalog.products[targetProduct]!.nameEn}`,
      source: { type: 'Interest', index: c },
      target: { type: 'Product', index: targetProduct },
      strength: 0.4,
    },
  ];

  const trends: StorySpec['trends'] = [
    { interest: interest(cl(8), 1), growth: 3 },
    { interest: interest(cl(9), 2), growth: 2 },
    { interest: interest(cl(10), 1), growth: 0.4 },
  ].map((t) => ({ ...t, extraConsumers: Math.max(20, Math.round(consumers * 0.02)), label: `${name(t.interest)} ${t.growth > 1 ? 'rising' : 'falling'} ×${t.growth}` }));

  const size = Math.min(150, Math.max(20, Math.round(consumers * 0.004)));
  const lookalikes: StorySpec['lookalikes'] = [0, 1].map((g) => ({
    label: `Lookalike group ${g + 1}`,
    size,
    seeds: 3,
    products: Array.from({ length: 8 }, (_, k) => tailProduct(10 + g * 8 + k)),
    interests: [interest(cl(11 + g), 5), interest(cl(13 + g), 5)],
  }));
  return { opportunities, demandLinks, trends, lookalikes };
}
