import { seededRandom } from '../../core/seeded-random.js';
import { buildInteractions, itemDegrees, type InteractionRow, type Interactions } from '../learn/interactions.js';
import { ease, easeItems, gram } from '../learn/ease.js';
import { rp3beta } from '../learn/rp3beta.js';
import { packLists, takeTop, type ItemLists } from '../learn/sparse.js';
import { ndcgAtK } from './rank.js';
import { withIndexes, type RecommendModel } from './model.js';

/** What the model is learned from: the graph's engagements, products and interests. */
export interface LearnInput {
  /** Consumer → product engagement, weight already damped and role-weighted (log1p(w) × factor). */
  engagements: InteractionRow[];
  /** Consumers' strong engagements (purchases): the validation split holds out only these. */
  strong: ReadonlySet<string>;
  products: { id: string; name: string; nameEn: string; props?: string }[];
  interests: { id: string; name: string; nameEn?: string }[];
  /** Product → interest affinity, damped weight. */
  productInterests: { product: string; interest: string; w: number }[];
  /** Taxonomy links: `narrower` -[rel]-> `broader` (e.g. SUBTOPIC_OF). */
  taxonomy?: { narrower: string; broader: string; rel: string }[];
  /** Product–product links (either direction serves both ends), damped weight. */
  productLinks?: { a: string; b: string; rel: string; w: number }[];
  revisitViewed: boolean;
}

/**
 * The build's choices. EASE^R is dense over the `easeMaxItems` most engaged products (O(n³/2):
 * about 20 s at 2,000 on a loaded core here); every product also gets RP3β neighbours, blended
 * in with weight γ so products outside the EASE set and their neighbours are covered.
 * λ and γ are chosen on a validation split carved from the graph's own engagements
 * (`validation`: consumers with ≥ 5 strong ones, 20 % of those held out, a fixed seed).
 */
export const learnSettings = {
  easeMaxItems: 2000,
  lambdas: [30, 100, 300, 1000, 3000],
  gammas: [0, 0.5, 2],
  /** RP3β's weight at least, in EASE rows, for products outside the EASE set. */
  tailGamma: 0.5,
  /** λ and γ where the graph is too small for a validation split (fewer than 20 consumers to hold out). */
  fallback: { lambda: 500, gamma: 0.5 },
  rp3: { alpha: 1, beta: 0.2, neighbours: 100, userCap: 500 },
  neighbours: 100,
  interestTop: 100,
  /** Narrower and broader interests kept per interest, and product–product links per product (the request's fan-out). */
  taxonomyTop: 40,
  similarTop: 100,
  validation: { holdout: 0.2, seed: 7, minStrong: 5, maxUsers: 400, k: 10 },
  weights: { interest: 0.05, profile: 0.1, social: 0.05, beta: 0, exploreBeta: 0.5, diversity: 0.1 },
};
export type LearnSettings = typeof learnSettings;

/** Learned item-item lists: EASE^R's positive weights (top `neighbours` a row) plus γ × scaled RP3β. */
export function collabLists(x: Interactions, lambda: number, gamma: number, s: LearnSettings, cache: Map<string, unknown> = new Map()): ItemLists {
  const n = x.items.length;
  const key = `ease:${lambda}`;
  let easeRows = cache.get(key) as { idx: number[]; w: number[] }[] | undefined;
  if (!easeRows) {
    const items = easeItems(x, s.easeMaxItems);
    const m = ease(x, items, lambda, (cache.get('gram') as Float64Array | undefined) ?? gram(x, items));
    easeRows = Array.from({ length: n }, () => ({ idx: [] as number[], w: [] as number[] }));
    const acc = new Float64Array(n);
    const touched = new Int32Array(n);
    const size = items.length;
    for (let r = 0; r < size; r++) {
      let count = 0;
      for (let c = 0; c < size; c++) {
        const v = m.b[r * size + c]!;
        if (v > 0) {
          acc[items[c]!] = v;
          touched[count++] = items[c]!;
        }
      }
      easeRows[items[r]!] = takeTop(acc, touched, count, s.neighbours);
    }
    cache.set(key, easeRows);
  }
  let rp3 = cache.get('rp3') as ItemLists | undefined;
  if (!rp3) cache.set('rp3', (rp3 = rp3beta(x, s.rp3)));
  // RP3β's rows are walk probabilities; scale them to EASE's typical row mass so γ is a share.
  let easeMass = 0;
  let rp3Mass = 0;
  for (let i = 0; i < n; i++) {
    if (!easeRows[i]!.idx.length) continue;
    easeMass += easeRows[i]!.w.reduce((a, b) => a + b, 0);
    for (let q = rp3.ptr[i]!; q < rp3.ptr[i + 1]!; q++) rp3Mass += rp3.w[q]!;
  }
  const scale = rp3Mass > 0 && easeMass > 0 ? easeMass / rp3Mass : 1;
  const inEase = new Uint8Array(n);
  for (const i of easeItems(x, s.easeMaxItems)) inEase[i] = 1;
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const rows: { idx: number[]; w: number[] }[] = [];
  for (let i = 0; i < n; i++) {
    let count = 0;
    const add = (j: number, v: number) => {
      if (acc[j] === 0) touched[count++] = j;
      acc[j]! += v;
    };
    const e = easeRows[i]!;
    e.idx.forEach((j, k) => add(j, e.w[k]!));
    // Outside the EASE set RP3β is all there is, so it counts fully there: for rows outside it,
    // and, at least at `tailGamma`, for columns outside it (EASE cannot score those at all;
    // without them a long-tail product could never be reached, whatever the exploration).
    const inRow = e.idx.length > 0;
    const g = inRow ? gamma : Math.max(gamma, 1);
    const gTail = inRow ? Math.max(gamma, s.tailGamma) : g;
    for (let q = rp3.ptr[i]!; q < rp3.ptr[i + 1]!; q++) {
      const j = rp3.nbr[q]!;
      const f = inEase[j] ? g : gTail;
      if (f > 0) add(j, f * scale * rp3.w[q]!);
    }
    rows.push(takeTop(acc, touched, count, s.neighbours));
  }
  return packLists(rows);
}

/** Holds out `holdout` of the strong engagements of consumers with at least `minStrong`. */
function carveValidation(input: LearnInput, s: LearnSettings['validation']) {
  const random = seededRandom(s.seed);
  const byUser = new Map<string, string[]>();
  for (const r of input.engagements) if (input.strong.has(`${r.user}\u0000${r.item}`)) (byUser.get(r.user) ?? byUser.set(r.user, []).get(r.user)!).push(r.item);
  const held = new Map<string, Set<string>>();
  for (const u of [...byUser.keys()].sort()) {
    const items = [...new Set(byUser.get(u)!)].sort();
    if (items.length < s.minStrong) continue;
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    held.set(u, new Set(items.slice(0, Math.max(1, Math.round(items.length * s.holdout)))));
  }
  const users = [...held.keys()].slice(0, s.maxUsers);
  const train = input.engagements.filter((r) => !held.get(r.user)?.has(r.item));
  return { train, held: new Map(users.map((u) => [u, held.get(u)!])) };
}

/** Mean NDCG@k of collab scores through `lists` for the held-out consumers. */
function validate(x: Interactions, lists: ItemLists, held: Map<string, Set<string>>, k: number): number {
  const userIndex = new Map(x.users.map((u, i) => [u, i]));
  const scores = new Float64Array(x.items.length);
  let sum = 0;
  for (const [user, rel] of held) {
    const u = userIndex.get(user);
    if (u === undefined) continue;
    scores.fill(0);
    const own = new Set<number>();
    let total = 0;
    for (let q = x.userPtr[u]!; q < x.userPtr[u + 1]!; q++) total += x.userW[q]!;
    for (let q = x.userPtr[u]!; q < x.userPtr[u + 1]!; q++) {
      const i = x.userItems[q]!;
      own.add(i);
      const p = x.userW[q]! / (total || 1);
      for (let r = lists.ptr[i]!; r < lists.ptr[i + 1]!; r++) scores[lists.nbr[r]!]! += p * lists.w[r]!;
    }
    sum += ndcgAtK(scores, own, (j) => rel.has(x.items[j]!), k);
  }
  return held.size ? sum / held.size : 0;
}

/**
 * Learns the model from the graph's data: λ and γ on the validation split, then the final
 * lists from every engagement. Pure: no database (build.ts reads and stores).
 */
export function learnModel(input: LearnInput, version: string, s: LearnSettings = learnSettings, log: (line: string) => void = () => {}): RecommendModel {
  const t0 = performance.now();
  const productIds = input.products.map((p) => p.id);
  let lambda = s.fallback.lambda;
  let gamma = s.fallback.gamma;
  const info: Record<string, number | string> = {};
  const val = carveValidation(input, s.validation);
  if (val.held.size >= 20) {
    const xv = buildInteractions(val.train, productIds);
    const cache = new Map<string, unknown>();
    let best = -1;
    let step = 0;
    for (const l of s.lambdas) {
      for (const g of s.gammas) {
        const ndcg = validate(xv, collabLists(xv, l, g, s, cache), val.held, s.validation.k);
        info[`validation_ndcg_lambda${l}_gamma${g}`] = Number(ndcg.toFixed(4));
        log(`model: validation ${++step} of ${s.lambdas.length * s.gammas.length}, λ ${l} γ ${g}: NDCG@${s.validation.k} ${ndcg.toFixed(4)} (${val.held.size} consumers)`);
        if (ndcg > best) [best, lambda, gamma] = [ndcg, l, g];
      }
    }
    info.validation_users = val.held.size;
  }
  const x = buildInteractions(input.engagements, productIds);
  const collab = collabLists(x, lambda, gamma, s);
  info.lambda = lambda;
  info.gamma = gamma;
  info.products = x.items.length;
  info.consumers = x.users.length;
  info.engagements = x.userItems.length;
  info.ease_products = Math.min(s.easeMaxItems, easeItems(x, s.easeMaxItems).length);

  // Interests: products per interest by damped affinity over the interest's total.
  const interestIndex = new Map(input.interests.map((t, i) => [t.id, i]));
  const itemIndex = new Map(x.items.map((id, i) => [id, i]));
  const deg = itemDegrees(x);
  const perItem: number[][] = x.items.map(() => []);
  const perInterest: { j: number; w: number }[][] = input.interests.map(() => []);
  for (const r of input.productInterests) {
    const i = itemIndex.get(r.product);
    const t = interestIndex.get(r.interest);
    if (i === undefined || t === undefined) continue;
    perItem[i]!.push(t);
    perInterest[t]!.push({ j: i, w: r.w });
  }
  const itemPtr = new Int32Array(x.items.length + 1);
  perItem.forEach((l, i) => (itemPtr[i + 1] = itemPtr[i]! + l.length));
  const interestRows = perInterest.map((l) => {
    const total = l.reduce((a, b) => a + b.w, 0) || 1;
    const top = l
      .map((e) => ({ j: e.j, w: e.w / total, pop: deg[e.j]! }))
      .sort((a, b) => b.w - a.w || b.pop - a.pop || a.j - b.j)
      .slice(0, s.interestTop);
    return { idx: top.map((e) => e.j), w: top.map((e) => e.w) };
  });
  const relNames: string[] = [];
  const relIndex = new Map<string, number>();
  const relOf = (r: string) => relIndex.get(r) ?? (relNames.push(r), relIndex.set(r, relNames.length - 1).get(r)!);
  const narrowerRows: { idx: number; rel: number }[][] = input.interests.map(() => []);
  const broaderRows: { idx: number; rel: number }[][] = input.interests.map(() => []);
  for (const link of input.taxonomy ?? []) {
    const a = interestIndex.get(link.narrower);
    const b = interestIndex.get(link.broader);
    if (a === undefined || b === undefined || a === b) continue;
    narrowerRows[b]!.push({ idx: a, rel: relOf(link.rel) });
    broaderRows[a]!.push({ idx: b, rel: relOf(link.rel) });
  }
  const similarRows: { j: number; rel: number; w: number }[][] = x.items.map(() => []);
  for (const l of input.productLinks ?? []) {
    const a = itemIndex.get(l.a);
    const b = itemIndex.get(l.b);
    if (a === undefined || b === undefined || a === b || !(l.w > 0)) continue;
    similarRows[a]!.push({ j: b, rel: relOf(l.rel), w: l.w });
    similarRows[b]!.push({ j: a, rel: relOf(l.rel), w: l.w });
  }
  const similar = packLinks(
    similarRows.map((row) => {
      const top = row.sort((p, q) => q.w - p.w || p.j - q.j).slice(0, s.similarTop);
      const total = top.reduce((t, e) => t + e.w, 0) || 1;
      return top.map((e) => ({ idx: e.j, rel: e.rel, w: e.w / total }));
    }),
  );
  const names = new Map(input.products.map((p) => [p.id, p]));
  const model = withIndexes({
    version,
    builtAt: new Date().toISOString(),
    items: x.items,
    names: x.items.map((id) => names.get(id)?.name ?? id),
    namesEn: x.items.map((id) => names.get(id)?.nameEn ?? ''),
    props: x.items.map((id) => names.get(id)?.props ?? ''),
    consumers: deg,
    collab,
    itemInterests: { ptr: itemPtr, idx: Int32Array.from(perItem.flat()) },
    interests: input.interests.map((t) => t.id),
    interestNames: input.interests.map((t) => t.name),
    interestNamesEn: input.interests.map((t) => t.nameEn ?? ''),
    interestItems: packLists(interestRows),
    narrower: packLinks(narrowerRows.map((r) => r.slice(0, s.taxonomyTop))),
    broader: packLinks(broaderRows.map((r) => r.slice(0, s.taxonomyTop))),
    similar: { ptr: similar.ptr, nbr: similar.idx, w: similar.w, rel: similar.rel },
    relNames,
    weights: { ...s.weights },
    revisitViewed: input.revisitViewed,
    info,
  });
  info.build_seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  return model;
}

/** Packs per-row (index, relation[, weight]) lists into compressed rows. */
function packLinks(rows: readonly { idx: number; rel: number; w?: number }[][]): { ptr: Int32Array; idx: Int32Array; rel: Int32Array; w: Float32Array } {
  const ptr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (ptr[i + 1] = ptr[i]! + r.length));
  const n = ptr[rows.length]!;
  const out = { ptr, idx: new Int32Array(n), rel: new Int32Array(n), w: new Float32Array(n) };
  rows.forEach((r, i) => r.forEach((e, k) => {
    out.idx[ptr[i]! + k] = e.idx;
    out.rel[ptr[i]! + k] = e.rel;
    out.w[ptr[i]! + k] = e.w ?? 0;
  }));
  return out;
}
