import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BehaviourParams, Catalog, Ref, StorySpec } from './catalog.js';
import { CsvWriter } from './csv-writer.js';
import type { GroundTruth, TrendPeriod } from './ground-truth.js';
import { Rng } from './random.js';

export const TRIPLE_HEADER = ['subject', 'subject_type', 'relation', 'object', 'object_type', 'weight', 'timestamp', 'source'] as const;
export const ENTITY_HEADER = ['id', 'type', 'name', 'name_en', 'category'] as const;
export const ENTITIES_FILE = 'entities.csv';
export const TRIPLES_FILE = 'triples.csv';
export const GROUND_TRUTH_FILE = 'ground-truth.json';

const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
const sec = (date: string) => Date.parse(date + 'T00:00:00Z') / 1000;

/** Two years of behaviour ending 2026-10-31 (the end is exclusive: 2026-11-01T00:00:00Z). */
export const WINDOW = { from: '2024-11-01', to: '2026-11-01' };
/** Trend periods: the six months before the last six, and the last six. */
export const PERIOD_A: TrendPeriod = { from: '2025-11-01', to: '2026-05-01' };
export const PERIOD_B: TrendPeriod = { from: '2026-05-01', to: '2026-11-01' };

const W0 = sec(WINDOW.from);
const A0 = sec(PERIOD_A.from);
const B0 = sec(PERIOD_B.from);
const W1 = sec(WINDOW.to);

export interface GenerateInput {
  mode: 'demo' | 'generic';
  seed: number;
  consumers: number;
  catalog: Catalog;
  stories: StorySpec;
  behaviour: BehaviourParams;
  outDir: string;
  /** Called now and then with (consumers written, all consumers, triples written). */
  onProgress?: (done: number, total: number, triples: number) => void;
}

export interface GenerateResult {
  triples: number;
  entities: number;
  groundTruth: GroundTruth;
  files: { entities: string; triples: string; groundTruth: string };
}

/** The raw consumer id written to the files: u + zero-padded number (the loader pseudonymises it). */
export function consumerId(index: number, total: number): string {
  return 'u' + String(index + 1).padStart(Math.max(6, String(total).length), '0');
}

/**
 * Writes entities.csv, triples.csv and ground-truth.json into `outDir`: background behaviour
 * with power-law popularity and segment structure, plus the planted stories, all drawn from one
 * seeded PRNG in a fixed order (same input → same bytes). Triples are streamed to disk; per
 * consumer only interest and product indices are kept, to measure the ground truth.
 */
export function generate(input: GenerateInput): GenerateResult {
  const { catalog, stories, behaviour: b, consumers: C } = input;
  const rng = new Rng(input.seed);
  const nI = catalog.interests.length;
  const nP = catalog.products.length;
  mkdirSync(input.outDir, { recursive: true });

  // Planted supply: serving products relate to every interest of their opportunity.
  const productInterests = catalog.products.map((p) => [...p.interests]);
  for (const o of stories.opportunities) {
    for (const p of o.servingProducts) for (const i of o.interests) if (!productInterests[p]!.includes(i)) productInterests[p]!.push(i);
  }

  // Products per interest, most popular first (product order in the catalog is popularity).
  const interestProducts: number[][] = Array.from({ length: nI }, () => []);
  productInterests.forEach((list, p) => list.forEach((i) => interestProducts[i]!.push(p)));
  const clusterInterests: number[][] = catalog.clusters.map(() => []);
  catalog.interests.forEach((it, i) => clusterInterests[it.cluster]!.push(i));
  const clusterProducts: number[][] = catalog.clusters.map(() => []);
  catalog.products.forEach((p, i) => clusterProducts[p.cluster]!.push(i));
  // Global popularity order: the clusters' products interleaved by their rank inside the cluster.
  const rankInCluster = new Int32Array(nP);
  clusterProducts.forEach((list) => list.forEach((p, r) => (rankInCluster[p] = r)));
  const popularity = [...Array(nP).keys()].sort((x, y) => rankInCluster[x]! - rankInCluster[y]! || catalog.products[x]!.cluster - catalog.products[y]!.cluster);

  // ---- entities
  const entities = new CsvWriter(join(input.outDir, ENTITIES_FILE), ENTITY_HEADER);
  for (const it of catalog.interests) entities.row([it.id, 'Interest', it.name, it.nameEn, catalog.clusters[it.cluster]!.id]);
  for (const p of catalog.products) entities.row([p.id, 'Product', p.name, p.nameEn, catalog.clusters[p.cluster]!.id]);
  entities.close();

  // ---- catalog triples
  const out = new CsvWriter(join(input.outDir, TRIPLES_FILE), TRIPLE_HEADER);
  const byRelation: Record<string, number> = {};
  const emit = (s: string, st: string, rel: string, o: string, ot: string, w: number, ts: number, src: string) => {
    out.row([s, st, rel, o, ot, w, iso(ts), src]);
    byRelation[rel] = (byRelation[rel] ?? 0) + 1;
  };
  const I = (i: number) => catalog.interests[i]!.id;
  const P = (p: number) => catalog.products[p]!.id;
  for (const it of catalog.interests) {
    if (it.parent !== null) emit(it.id, 'Interest', 'SUBTOPIC_OF', I(it.parent), 'Interest', 1, W0, 'catalog');
  }
  productInterests.forEach((list, p) =>
    list.forEach((i, k) => emit(P(p), 'Product', 'RELATES_TO', I(i), 'Interest', k === 0 ? 1 : 0.6, W0, 'catalog')),
  );
  const similar = new Set<string>();
  for (let p = 0; p < nP; p++) {
    if (!rng.chance(b.similarShare)) continue;
    const peers = interestProducts[productInterests[p]![0]!]!;
    if (peers.length < 2) continue;
    const q = peers[rng.powerIndex(peers.length, b.skew)]!;
    if (q === p || similar.has(`${p}>${q}`) || similar.has(`${q}>${p}`)) continue;
    similar.add(`${p}>${q}`);
    emit(P(p), 'Product', 'SIMILAR_TO', P(q), 'Product', Math.round((0.5 + 0.45 * rng.float()) * 100) / 100, W0, 'catalog');
  }

  // ---- who is who: segments, planted memberships
  const segWeights = catalog.segments.map((s) => s.weight);
  const segOf = new Int32Array(C);
  const segMembers: number[][] = catalog.segments.map(() => []);
  for (let c = 0; c < C; c++) {
    const s = rng.weighted(segWeights);
    segOf[c] = s;
    segMembers[s]!.push(c);
  }
  const oppMembers = stories.opportunities.map((o) => new Set(rng.sample(C, o.consumers)));
  const trendMembers = stories.trends.map((t) => new Set(rng.sample(C, t.extraConsumers)));
  const lookMembers = stories.lookalikes.map((l) => rng.sample(C, l.size));
  const lookOf = new Map<number, number[]>();
  lookMembers.forEach((members, g) => members.forEach((c) => lookOf.set(c, [...(lookOf.get(c) ?? []), g])));
  const trendGrowth = new Map(stories.trends.map((t) => [t.interest, t.growth]));

  // A timestamp: uniform over the window, or for a trend interest denser in period B by its growth.
  const when = (anchor: number): number => {
    const g = trendGrowth.get(anchor);
    if (g === undefined) return W0 + rng.float() * (W1 - W0);
    const early = A0 - W0, a = B0 - A0, bb = (W1 - B0) * g;
    const x = rng.float() * (early + a + bb);
    if (x < early + a) return W0 + x;
    return B0 + (x - early - a) / g;
  };
  const ts = (anchor: number) => Math.floor(when(anchor));

  const consumerInterests: Int32Array[] = new Array(C);
  const consumerProducts: Int32Array[] = new Array(C);
  const trendCounts = stories.trends.map(() => ({ a: 0, b: 0 }));
  const trendIndex = new Map(stories.trends.map((t, k) => [t.interest, k]));
  const progressEvery = Math.max(1000, Math.floor(C / 20));

  const hasRef = (r: Ref, ints: number[], prods: number[]) => (r.type === 'Interest' ? ints.includes(r.index) : prods.includes(r.index));

  for (let c = 0; c < C; c++) {
    const seg = catalog.segments[segOf[c]!]!;
    const segClusterWeights = seg.clusters.map(([, w]) => w);
    const ints: number[] = [];
    const intAnchor: number[] = []; // which interest's timing each interest row follows (itself)
    const addInterest = (i: number) => {
      if (!ints.includes(i)) {
        ints.push(i);
        intAnchor.push(i);
      }
    };
    const nInt = Math.min(nI, 1 + rng.geometric(b.interestsMean - 1));
    for (let k = 0, tries = 0; k < nInt && tries < nInt * 4; tries++) {
      const cl = rng.chance(b.segmentFocus) ? seg.clusters[rng.weighted(segClusterWeights)]![0] : rng.int(catalog.clusters.length);
      const list = clusterInterests[cl]!;
      const i = list[rng.powerIndex(list.length, b.skew)]!;
      if (!ints.includes(i)) {
        addInterest(i);
        k++;
      }
    }
    stories.opportunities.forEach((o, k) => {
      if (oppMembers[k]!.has(c)) o.interests.forEach(addInterest);
    });
    stories.trends.forEach((t, k) => {
      if (trendMembers[k]!.has(c)) addInterest(t.interest);
    });
    const groups = lookOf.get(c) ?? [];
    for (const g of groups) stories.lookalikes[g]!.interests.forEach(addInterest);

    // Engagement: anchored on one of the consumer's interests, or on global popularity.
    const purchases: number[] = [];
    const purchaseAnchor: number[] = [];
    const views: number[] = [];
    const viewAnchor: number[] = [];
    const draw = (into: number[], anchors: number[], n: number) => {
      for (let k = 0, tries = 0; k < n && tries < n * 4; tries++) {
        let p: number;
        let anchor = -1;
        if (ints.length > 0 && rng.chance(b.interestAnchoring)) {
          anchor = ints[rng.int(ints.length)]!;
          const list = interestProducts[anchor]!;
          if (list.length === 0) continue;
          p = list[rng.powerIndex(list.length, b.productSkew)]!;
        } else {
          p = popularity[rng.powerIndex(nP, b.globalSkew)]!;
        }
        if (into.includes(p)) continue;
        into.push(p);
        anchors.push(anchor);
        k++;
      }
    };
    draw(purchases, purchaseAnchor, 1 + rng.geometric(b.purchasesMean - 1));
    draw(views, viewAnchor, 1 + rng.geometric(b.viewsMean - 1));
    for (const g of groups) {
      for (const p of stories.lookalikes[g]!.products) {
        if (!purchases.includes(p)) {
          purchases.push(p);
          purchaseAnchor.push(-1);
        }
      }
    }

    // Planted demand links, in order, on the consumer's current interests and engagement.
    for (const link of stories.demandLinks) {
      if (!hasRef(link.source, ints, [...purchases, ...views])) continue;
      if (!rng.chance(link.strength)) continue;
      const t = link.target;
      if (t.type === 'Interest') addInterest(t.index);
      else if (!purchases.includes(t.index)) {
        purchases.push(t.index);
        purchaseAnchor.push(link.source.type === 'Interest' ? link.source.index : -1);
      }
    }

    // ---- write this consumer's rows
    const u = consumerId(c, C);
    for (let k = 0; k < ints.length; k++) {
      const i = ints[k]!;
      const t = ts(intAnchor[k]!);
      const tk = trendIndex.get(i);
      if (tk !== undefined) {
        if (t >= A0 && t < B0) trendCounts[tk]!.a++;
        else if (t >= B0 && t < W1) trendCounts[tk]!.b++;
      }
      emit(u, 'Consumer', 'INTERESTED_IN', I(i), 'Interest', 1 + rng.geometric(1.5), t, 'scrm');
    }
    for (let k = 0; k < purchases.length; k++) {
      emit(u, 'Consumer', 'PURCHASED', P(purchases[k]!), 'Product', 1 + rng.geometric(0.4), ts(purchaseAnchor[k]!), 'crm');
    }
    for (let k = 0; k < views.length; k++) {
      emit(u, 'Consumer', 'VIEWED', P(views[k]!), 'Product', 1 + rng.geometric(2), ts(viewAnchor[k]!), 'web');
    }
    const nFollow = rng.geometric(b.followsMean);
    const followed: number[] = [];
    for (let k = 0, tries = 0; k < nFollow && tries < nFollow * 4; tries++) {
      const pool = segMembers[segOf[c]!]!;
      // Low indices are the influencers: followed a lot, inside and across segments.
      const f = rng.chance(0.75) ? pool[rng.powerIndex(pool.length, b.skew + 1)]! : rng.powerIndex(C, b.skew + 1);
      if (f === c || followed.includes(f)) continue;
      followed.push(f);
      k++;
      emit(u, 'Consumer', 'FOLLOWS', consumerId(f, C), 'Consumer', 1, ts(-1), 'social');
    }

    consumerInterests[c] = Int32Array.from(ints);
    const engaged = new Set([...purchases, ...views]);
    consumerProducts[c] = Int32Array.from(engaged);
    if (input.onProgress && (c + 1) % progressEvery === 0) input.onProgress(c + 1, C, out.lines);
  }
  out.close();

  const groundTruth = measureGroundTruth({
    input,
    productInterests,
    consumerInterests,
    consumerProducts,
    segOf,
    oppMembers,
    lookMembers,
    trendCounts,
    counts: { triples: out.lines, byRelation, entities: { Consumer: C, Product: nP, Interest: nI } },
  });
  const gtPath = join(input.outDir, GROUND_TRUTH_FILE);
  writeFileSync(gtPath, JSON.stringify(groundTruth, null, 2) + '\n');
  input.onProgress?.(C, C, out.lines);
  return {
    triples: out.lines,
    entities: entities.lines,
    groundTruth,
    files: { entities: join(input.outDir, ENTITIES_FILE), triples: join(input.outDir, TRIPLES_FILE), groundTruth: gtPath },
  };
}

interface MeasureInput {
  input: GenerateInput;
  productInterests: number[][];
  consumerInterests: Int32Array[];
  consumerProducts: Int32Array[];
  segOf: Int32Array;
  oppMembers: Set<number>[];
  lookMembers: number[][];
  trendCounts: Array<{ a: number; b: number }>;
  counts: GroundTruth['counts'];
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** The ground truth: what was planted, and the figures the written files actually show. */
function measureGroundTruth(m: MeasureInput): GroundTruth {
  const { input, consumerInterests: CI, consumerProducts: CP } = m;
  const { catalog, stories } = input;
  const C = input.consumers;
  const nI = catalog.interests.length;
  const nP = catalog.products.length;
  const interestCount = new Int32Array(nI);
  const productCount = new Int32Array(nP);
  for (let c = 0; c < C; c++) {
    for (const i of CI[c]!) interestCount[i]!++;
    for (const p of CP[c]!) productCount[p]!++;
  }
  const refId = (r: Ref) => (r.type === 'Interest' ? catalog.interests[r.index]!.id : catalog.products[r.index]!.id);
  const linked = (c: number, r: Ref) => (r.type === 'Interest' ? CI[c]!.includes(r.index) : CP[c]!.includes(r.index));

  const demandLinks = stories.demandLinks.map((link) => {
    const targetCounts = new Int32Array(link.target.type === 'Interest' ? nI : nP);
    let sourceConsumers = 0;
    for (let c = 0; c < C; c++) {
      if (!linked(c, link.source)) continue;
      sourceConsumers++;
      for (const t of link.target.type === 'Interest' ? CI[c]! : CP[c]!) targetCounts[t]!++;
    }
    const base = link.target.type === 'Interest' ? interestCount : productCount;
    const stat = (t: number) => {
      const support = targetCounts[t]!;
      const confidence = sourceConsumers ? support / sourceConsumers : 0;
      return { support, confidence, lift: base[t]! ? confidence / (base[t]! / C) : 0 };
    };
    const candidates = [...targetCounts.keys()].filter(
      (t) => targetCounts[t]! >= 5 && !(t === link.source.index && link.source.type === link.target.type),
    );
    const clusterOf = (r: Ref) => (r.type === 'Interest' ? catalog.interests[r.index]!.cluster : catalog.products[r.index]!.cluster);
    const targetCluster = (t: number) => (link.target.type === 'Interest' ? catalog.interests[t]!.cluster : catalog.products[t]!.cluster);
    const rankBy = (key: 'lift' | 'confidence', crossOnly = false) => {
      const mine = stat(link.target.index)[key];
      const pool = crossOnly ? candidates.filter((t) => targetCluster(t) !== clusterOf(link.source)) : candidates;
      return 1 + pool.filter((t) => stat(t)[key] > mine).length;
    };
    const s = stat(link.target.index);
    return {
      label: link.label,
      source: { type: link.source.type, id: refId(link.source) },
      target: { type: link.target.type, id: refId(link.target) },
      strength: link.strength,
      measured: {
        sourceConsumers,
        support: s.support,
        confidence: round(s.confidence),
        lift: round(s.lift),
        rankByLift: rankBy('lift'),
        rankByConfidence: rankBy('confidence'),
        crossClusterRankByLift: rankBy('lift', true),
        crossClusterRankByConfidence: rankBy('confidence', true),
      },
    };
  });

  const opportunities = stories.opportunities.map((o, k) => {
    let together = 0;
    for (let c = 0; c < C; c++) if (o.interests.every((i) => CI[c]!.includes(i))) together++;
    const expected = o.interests.reduce((acc, i) => acc * (interestCount[i]! / C), 1);
    const serving = m.productInterests.flatMap((list, p) => (o.interests.every((i) => list.includes(i)) ? [catalog.products[p]!.id] : []));
    const servingEngagement = m.productInterests.reduce(
      (acc, list, p) => (o.interests.every((i) => list.includes(i)) ? acc + productCount[p]! : acc),
      0,
    );
    return {
      id: `opportunity-${k + 1}`,
      label: o.label,
      interests: o.interests.map((i) => catalog.interests[i]!.id),
      plantedConsumers: m.oppMembers[k]!.size,
      servingProducts: o.servingProducts.map((p) => catalog.products[p]!.id),
      measured: {
        consumers: together,
        lift: round(expected > 0 ? together / C / expected : 0),
        interestConsumers: o.interests.map((i) => interestCount[i]!),
        servingProducts: serving,
        servingProductConsumers: servingEngagement,
      },
    };
  });

  const trends = stories.trends.map((t, k) => {
    const { a, b } = m.trendCounts[k]!;
    return {
      label: t.label,
      interest: catalog.interests[t.interest]!.id,
      periodA: PERIOD_A,
      periodB: PERIOD_B,
      growth: t.growth,
      extraConsumers: t.extraConsumers,
      measured: { countA: a, countB: b, growth: round(a ? b / a : 0, 3) },
    };
  });

  const jaccard = (x: Set<number>, y: Int32Array) => {
    let inter = 0;
    for (const v of y) if (x.has(v)) inter++;
    const union = x.size + y.length - inter;
    return union ? inter / union : 0;
  };
  const neighbours = stories.lookalikes.length ? CP.map((ps, c) => Int32Array.from([...ps, ...[...CI[c]!].map((i) => nP + i)])) : [];
  const lookalikeGroups = stories.lookalikes.map((l, g) => {
    const members = m.lookMembers[g]!;
    const seeds = members.slice(0, l.seeds);
    const rest = members.slice(l.seeds);
    const restSet = new Set(rest);
    // Recall of the members among each seed's nearest consumers by Jaccard of their neighbours
    // (engaged products and interests).
    const recalls = seeds.map((s) => {
      const scored: Array<[number, number]> = [];
      const mine = new Set(neighbours[s]!);
      for (let c = 0; c < C; c++) if (c !== s && !seeds.includes(c)) scored.push([c, jaccard(mine, neighbours[c]!)]);
      scored.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
      return scored.slice(0, rest.length).filter(([c]) => restSet.has(c)).length / Math.max(1, rest.length);
    });
    return {
      id: `lookalike-${g + 1}`,
      label: l.label,
      seeds: seeds.map((c) => consumerId(c, C)),
      members: rest.map((c) => consumerId(c, C)),
      signatureProducts: l.products.map((p) => catalog.products[p]!.id),
      signatureInterests: l.interests.map((i) => catalog.interests[i]!.id),
      measured: { recallAtSize: round(recalls.reduce((a, b) => a + b, 0) / Math.max(1, recalls.length), 3) },
    };
  });

  const segments = catalog.segments.map((s, k) => {
    let size = 0;
    for (let c = 0; c < C; c++) if (m.segOf[c] === k) size++;
    return {
      id: s.id,
      name: s.name,
      nameEn: s.nameEn,
      consumers: size,
      clusters: s.clusters.map(([cl, share]) => ({ id: catalog.clusters[cl]!.id, share })),
    };
  });

  return {
    format: 'kg-seeds-ground-truth/1',
    mode: input.mode,
    seed: input.seed,
    params: { consumers: C, products: nP, interests: nI },
    window: WINDOW,
    files: { entities: ENTITIES_FILE, triples: TRIPLES_FILE },
    counts: m.counts,
    clusters: catalog.clusters.map((cl, k) => ({
      id: cl.id,
      name: cl.name,
      nameEn: cl.nameEn,
      interests: catalog.interests.flatMap((it) => (it.cluster === k ? [it.id] : [])),
    })),
    segments,
    opportunities,
    demandLinks,
    trends,
    lookalikeGroups,
  };
}

