import { join } from 'node:path';
import type { BehaviourParams, Catalog, CatalogInterest, CatalogProduct, Ref, StorySpec } from './catalog.js';
import { demoSectors, demoSegments } from './demo-catalog.js';
import { generate, type GenerateResult } from './generate.js';
import { CONSUMERS_FILE, SCHEMA_FILE, splitDemoPersons } from './demo-persons.js';

/** The demo graph's seed and size: `npm run seed:demo` writes exactly this into seeds/demo. */
export const DEMO_SEED = 20261031;
export const DEMO_CONSUMERS = 2000;

export const demoBehaviour: BehaviourParams = {
  interestsMean: 6,
  purchasesMean: 7,
  viewsMean: 16,
  followsMean: 3,
  segmentFocus: 0.85,
  interestAnchoring: 0.8,
  skew: 2,
  productSkew: 2.6,
  globalSkew: 2,
  similarShare: 0.45,
};

/** The demo catalog built from the hand-written sectors (throws on a dangling slug). */
export function demoCatalog(): Catalog {
  const clusters = demoSectors.map((s) => ({ id: s.id, name: s.name, nameEn: s.nameEn }));
  const interests: CatalogInterest[] = [];
  const index = new Map<string, number>();
  const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => l.split('|'));
  demoSectors.forEach((s, cluster) => {
    // The sector's root interest: its own line when one carries the sector's slug, else the sector.
    const all = lines(s.interests);
    const own = all.find((r) => r[0] === s.id);
    index.set(s.id, interests.length);
    interests.push({ id: s.id, name: own?.[1] ?? s.name, nameEn: own?.[2] ?? s.nameEn, cluster, parent: null });
    const rows = all.filter((r) => r !== own);
    for (const [id] of rows) {
      if (index.has(id!)) throw new Error(`demo catalog: interest "${id}" twice`);
      index.set(id!, interests.length + rows.findIndex((r) => r[0] === id));
    }
    const base = interests.length;
    rows.forEach(([id, name, nameEn, parent], k) => {
      const p = index.get(parent ?? s.id);
      if (p === undefined) throw new Error(`demo catalog: unknown parent "${parent}" of "${id}"`);
      interests[base + k] = { id: id!, name: name!, nameEn: nameEn!, cluster, parent: p };
    });
  });
  const products: CatalogProduct[] = [];
  demoSectors.forEach((s, cluster) => {
    lines(s.products).forEach(([name, nameEn, slugs], k) => {
      const rel = slugs!.split(' ').map((slug) => {
        const i = index.get(slug);
        if (i === undefined) throw new Error(`demo catalog: product "${nameEn}" relates to unknown interest "${slug}"`);
        return i;
      });
      products.push({ id: `${s.id}-${String(k + 1).padStart(2, '0')}`, name: name!, nameEn: nameEn!, cluster, interests: rel });
    });
  });
  const clusterIndex = new Map(clusters.map((c, k) => [c.id, k]));
  const segments = demoSegments.map(([id, name, nameEn, weight, mix]) => ({
    id,
    name,
    nameEn,
    weight,
    clusters: mix.map(([sector, share]) => [clusterIndex.get(sector)!, share] as [number, number]),
  }));
  return { clusters, interests, products, segments };
}

/** The demo's planted stories, by interest slug and product id. */
export function demoStories(catalog: Catalog): StorySpec {
  const i = (slug: string) => {
    const k = catalog.interests.findIndex((it) => it.id === slug);
    if (k < 0) throw new Error(`demo stories: unknown interest "${slug}"`);
    return k;
  };
  const p = (id: string) => {
    const k = catalog.products.findIndex((pr) => pr.id === id);
    if (k < 0) throw new Error(`demo stories: unknown product "${id}"`);
    return k;
  };
  const I = (slug: string): Ref => ({ type: 'Interest', index: i(slug) });
  const P = (id: string): Ref => ({ type: 'Product', index: p(id) });
  const byName = (nameEn: string) => catalog.products.find((pr) => pr.nameEn === nameEn)!.id;
  return {
    opportunities: [
      { label: '带狗露营 Camping with dogs: dog owners who camp, and no dog-friendly camping gear', interests: [i('dog'), i('camping')], consumers: 80, servingProducts: [] },
      {
        label: '孕期敏感肌 Pregnancy-safe skincare for sensitive skin: only one gentle cleanser serves it',
        interests: [i('pregnancy'), i('sensitive-skin')],
        consumers: 70,
        servingProducts: [p(byName('Gentle amino-acid cleanser'))],
      },
      { label: '猫咪·咖啡·阅读 Cat café reading club: cat lovers who read in cafés, and nothing sold for it', interests: [i('cat'), i('cafe-hopping'), i('reading')], consumers: 60, servingProducts: [] },
    ],
    demandLinks: [
      { label: 'SUV 车主爱露营 SUV fans camp', source: I('suv'), target: I('camping'), strength: 0.6 },
      { label: '露营者爱手冲 Campers brew pour-over coffee', source: I('camping'), target: I('pour-over'), strength: 0.5 },
      { label: '露营者买便携手冲套装 Campers buy the portable pour-over kit', source: I('camping'), target: P(byName('Portable pour-over coffee kit')), strength: 0.4 },
      { label: '养猫家庭买扫地机器人 Cat owners buy robot vacuums', source: I('cat'), target: I('robot-vacuum'), strength: 0.45 },
    ],
    trends: [
      { label: '精致露营近半年升温 Glamping rising ×3 in the last six months', interest: i('glamping'), growth: 3, extraConsumers: 120 },
      { label: '电解质水升温 Electrolyte drinks rising ×2.5', interest: i('electrolyte-drinks'), growth: 2.5, extraConsumers: 60 },
      { label: '方便速食降温 Instant meals falling ×0.4', interest: i('instant-noodles'), growth: 0.4, extraConsumers: 40 },
    ],
    lookalikes: [
      {
        label: '高端新手妈妈 Premium new mums',
        size: 30,
        seeds: 3,
        products: [
          'High-view premium stroller', 'Organic baby bath set', 'Organic fruit puree', 'LED light therapy mask', 'Aroma diffuser',
          'Formula kettle', 'Baby monitor', 'Clean cleansing oil', 'Pregnancy pillow', 'Dehumidifier',
        ].map((n) => p(byName(n))),
        interests: [i('organic-baby'), i('clean-beauty')],
      },
      {
        label: '越野跑者 Trail runners',
        size: 25,
        seeds: 3,
        products: ['Trail running vest', 'Heart-rate strap', 'Energy gels', 'Electrolyte powder sachets', 'Water shoes', 'Marathon entry pack', 'Compression tights', 'Trail running shoes',
          'Quick-dry T-shirt', 'Sports water bottle',
        ].map((n) => p(byName(n))),
        interests: [i('trail-running'), i('marathon')],
      },
    ],
  };
}

/**
 * Writes the demo graph (entities.csv, triples.csv, consumers.csv, schema.json,
 * ground-truth.json) into `outDir`: the generated graph, then its multi-id persons.
 */
export function generateDemo(outDir: string): GenerateResult & { consumersFile: string; schemaFile: string } {
  const catalog = demoCatalog();
  const r = generate({
    mode: 'demo',
    seed: DEMO_SEED,
    consumers: DEMO_CONSUMERS,
    catalog,
    stories: demoStories(catalog),
    behaviour: demoBehaviour,
    outDir,
  });
  const groundTruth = splitDemoPersons(outDir, DEMO_SEED);
  return { ...r, triples: groundTruth.counts.triples, groundTruth, consumersFile: join(outDir, CONSUMERS_FILE), schemaFile: join(outDir, SCHEMA_FILE) };
}
