import { itemDegrees, type Interactions } from './interactions.js';
import { packLists, takeTop, type ItemLists } from './sparse.js';

/** RP3β (Paudel et al., 2017) settings; β is chosen on a validation split. */
export interface Rp3Options {
  /** Exponent on the transition probabilities. */
  alpha: number;
  /** Popularity discount: the landing product's weight is divided by its consumers^β. */
  beta: number;
  /** Neighbours kept per product. */
  neighbours: number;
  /** Products of one consumer walked through, strongest first (bounds heavy consumers). */
  userCap: number;
}

export const rp3Defaults: Rp3Options = { alpha: 1, beta: 0.3, neighbours: 100, userCap: 500 };

/**
 * The three-step walk product → consumer → product: W[i, j] = Σ_u P(i→u)^α · P(u→j)^α /
 * deg(j)^β, with P(i→u) = x_ui / Σ_v x_vi and P(u→j) = x_uj / Σ_k x_uk, the `neighbours`
 * largest kept per product.
 */
export function rp3beta(x: Interactions, o: Partial<Rp3Options> = {}): ItemLists {
  const s = { ...rp3Defaults, ...o };
  const nItems = x.items.length;
  const deg = itemDegrees(x);
  const popDiscount = Float64Array.from(deg, (d) => (d > 0 ? d ** -s.beta : 0));
  // Each consumer's walk list: their userCap strongest products with P(u→j)^α.
  const uPtr = new Int32Array(x.users.length + 1);
  const uIdx: number[] = [];
  const uP: number[] = [];
  for (let u = 0; u < x.users.length; u++) {
    const from = x.userPtr[u]!;
    const to = x.userPtr[u + 1]!;
    let order = Array.from({ length: to - from }, (_, k) => from + k);
    if (order.length > s.userCap) order = order.sort((a, b) => x.userW[b]! - x.userW[a]!).slice(0, s.userCap);
    let total = 0;
    for (const q of order) total += x.userW[q]!;
    for (const q of order) {
      uIdx.push(x.userItems[q]!);
      uP.push(total > 0 ? (x.userW[q]! / total) ** s.alpha : 0);
    }
    uPtr[u + 1] = uIdx.length;
  }
  const acc = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const rows: { idx: number[]; w: number[] }[] = [];
  for (let i = 0; i < nItems; i++) {
    let total = 0;
    for (let q = x.itemPtr[i]!; q < x.itemPtr[i + 1]!; q++) total += x.itemW[q]!;
    let count = 0;
    for (let q = x.itemPtr[i]!; q < x.itemPtr[i + 1]!; q++) {
      const u = x.itemUsers[q]!;
      const piu = total > 0 ? (x.itemW[q]! / total) ** s.alpha : 0;
      if (piu === 0) continue;
      for (let r = uPtr[u]!; r < uPtr[u + 1]!; r++) {
        const j = uIdx[r]!;
        if (j === i) continue;
        if (acc[j] === 0) touched[count++] = j;
        acc[j]! += piu * uP[r]! * popDiscount[j]!;
      }
    }
    rows.push(takeTop(acc, touched, count, s.neighbours));
  }
  return packLists(rows);
}
