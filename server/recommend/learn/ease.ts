import { itemDegrees, type Interactions } from './interactions.js';

/** EASE^R (Steck, WWW 2019) over a chosen set of products: the dense item-item weights B. */
export interface EaseModel {
  /** Item indices (into Interactions.items) of the rows and columns of B. */
  items: Int32Array;
  /** Row-major |items| × |items|; B[i, i] = 0. */
  b: Float64Array;
}

/**
 * The products EASE is learned over: those with at least `minConsumers` consumers, the
 * `maxItems` most engaged of them (the rule: ≥ 2 training consumers or the 8,000 most
 * engaged, whichever is smaller).
 */
export function easeItems(x: Interactions, maxItems = 8000, minConsumers = 2): Int32Array {
  const deg = itemDegrees(x);
  const chosen = [...deg.keys()].filter((i) => deg[i]! >= minConsumers).sort((a, b) => deg[b]! - deg[a]! || a - b).slice(0, maxItems);
  return Int32Array.from(chosen.sort((a, b) => a - b));
}

/** Gram matrix XᵀX over `items` (row-major, dense), from the consumers' rows. */
export function gram(x: Interactions, items: Int32Array): Float64Array {
  const n = items.length;
  const local = new Int32Array(x.items.length).fill(-1);
  items.forEach((i, k) => (local[i] = k));
  const g = new Float64Array(n * n);
  const idx: number[] = [];
  const ws: number[] = [];
  for (let u = 0; u < x.users.length; u++) {
    idx.length = 0;
    ws.length = 0;
    for (let q = x.userPtr[u]!; q < x.userPtr[u + 1]!; q++) {
      const l = local[x.userItems[q]!]!;
      if (l >= 0) {
        idx.push(l);
        ws.push(x.userW[q]!);
      }
    }
    for (let a = 0; a < idx.length; a++) {
      const row = idx[a]! * n;
      const wa = ws[a]!;
      for (let c = 0; c < idx.length; c++) g[row + idx[c]!]! += wa * ws[c]!;
    }
  }
  return g;
}

/**
 * Inverts a symmetric positive-definite matrix in place (row-major, n × n) with the symmetric
 * sweep operator (Goodnight 1979): each pivot is a rank-one update of the upper triangle only,
 * n³/2 multiply-adds, streaming over contiguous rows; rows with a zero multiplier (common in a
 * sparse Gram matrix) are skipped. ml-matrix's `CholeskyDecomposition.solve(I)` (arrays of
 * rows, column access) took 9.6 s at n = 1,000 here; ml-matrix stays the reference the unit
 * test checks this against.
 */
export function invertSpdInPlace(a: Float64Array, n: number): void {
  const r = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < k; j++) r[j] = a[j * n + k]!;
    for (let j = k; j < n; j++) r[j] = a[k * n + j]!;
    const pivot = r[k]!;
    if (!(pivot > 0)) throw new Error(`matrix is not positive definite (pivot ${pivot} at ${k})`);
    for (let i = 0; i < n; i++) {
      const f = r[i]! / pivot;
      if (f === 0 || i === k) continue;
      const row = i * n;
      for (let j = i; j < n; j++) a[row + j]! -= f * r[j]!;
    }
    for (let i = 0; i < k; i++) a[i * n + k] = r[i]! / pivot;
    for (let j = k + 1; j < n; j++) a[k * n + j] = r[j]! / pivot;
    a[k * n + k] = -1 / pivot;
  }
  // The sweep leaves −A⁻¹ in the upper triangle: negate and mirror.
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = -a[i * n + j]!;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
}

/**
 * EASE^R's closed form: P = (XᵀX + λI)⁻¹, B[i, j] = −P[i, j] / P[j, j], B[j, j] = 0.
 * O(|items|³ / 2).
 */
export function ease(x: Interactions, items: Int32Array, lambda: number, g: Float64Array = gram(x, items)): EaseModel {
  const n = items.length;
  const p = Float64Array.from(g);
  for (let i = 0; i < n; i++) p[i * n + i]! += lambda;
  invertSpdInPlace(p, n);
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) diag[j] = p[j * n + j]!;
  for (let i = 0; i < n; i++) {
    const ii = i * n;
    for (let j = 0; j < n; j++) p[ii + j] = i === j ? 0 : -p[ii + j]! / diag[j]!;
  }
  return { items, b: p };
}

/** EASE scores of every product for one consumer's weighted products (item index → weight). */
export function easeScores(model: EaseModel, nItems: number, seeds: ReadonlyMap<number, number>, out: Float64Array): void {
  const n = model.items.length;
  const local = new Map<number, number>();
  model.items.forEach((i, k) => local.set(i, k));
  for (const [i, w] of seeds) {
    const l = local.get(i);
    if (l === undefined) continue;
    const row = l * n;
    for (let c = 0; c < n; c++) out[model.items[c]!]! += w * model.b[row + c]!;
  }
  void nItems;
}
