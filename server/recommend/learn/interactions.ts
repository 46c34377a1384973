/**
 * A consumer × product interaction matrix in compressed rows (by consumer) and compressed
 * columns (by product), the shape every learner here reads. Indices are positions in `users`
 * and `items`; weights are whatever the caller chose (binary, damped counts, BM25).
 */
export interface Interactions {
  users: string[];
  items: string[];
  userPtr: Int32Array;
  userItems: Int32Array;
  userW: Float32Array;
  itemPtr: Int32Array;
  itemUsers: Int32Array;
  itemW: Float32Array;
}

export interface InteractionRow {
  user: string;
  item: string;
  w: number;
}

/**
 * Builds the matrix from rows (a pair seen twice has its weights added). `items` fixes the
 * product order (and lets products nobody engaged with keep an index).
 */
export function buildInteractions(rows: Iterable<InteractionRow>, items: readonly string[] = []): Interactions {
  const itemIndex = new Map<string, number>();
  const itemList: string[] = [];
  for (const i of items) if (!itemIndex.has(i)) itemIndex.set(i, itemList.push(i) - 1);
  const userIndex = new Map<string, number>();
  const userList: string[] = [];
  const byUser: Map<number, number>[] = [];
  for (const r of rows) {
    let u = userIndex.get(r.user);
    if (u === undefined) {
      userIndex.set(r.user, (u = userList.push(r.user) - 1));
      byUser.push(new Map());
    }
    let i = itemIndex.get(r.item);
    if (i === undefined) itemIndex.set(r.item, (i = itemList.push(r.item) - 1));
    const m = byUser[u]!;
    m.set(i, (m.get(i) ?? 0) + r.w);
  }
  let nnz = 0;
  for (const m of byUser) nnz += m.size;
  const userPtr = new Int32Array(userList.length + 1);
  const userItems = new Int32Array(nnz);
  const userW = new Float32Array(nnz);
  const itemCount = new Int32Array(itemList.length + 1);
  let p = 0;
  byUser.forEach((m, u) => {
    const sorted = [...m].sort((a, b) => a[0] - b[0]);
    for (const [i, w] of sorted) {
      userItems[p] = i;
      userW[p++] = w;
      itemCount[i + 1]!++;
    }
    userPtr[u + 1] = p;
  });
  const itemPtr = new Int32Array(itemList.length + 1);
  for (let i = 0; i < itemList.length; i++) itemPtr[i + 1] = itemPtr[i]! + itemCount[i + 1]!;
  const fill = itemPtr.slice(0, itemList.length);
  const itemUsers = new Int32Array(nnz);
  const itemW = new Float32Array(nnz);
  for (let u = 0; u < userList.length; u++) {
    for (let q = userPtr[u]!; q < userPtr[u + 1]!; q++) {
      const at = fill[userItems[q]!]!++;
      itemUsers[at] = u;
      itemW[at] = userW[q]!;
    }
  }
  return { users: userList, items: itemList, userPtr, userItems, userW, itemPtr, itemUsers, itemW };
}

/** The same matrix with every weight replaced by `f(weight)` (e.g. 1 for binary, log1p). */
export function reweighted(x: Interactions, f: (w: number, user: number, item: number) => number): Interactions {
  const userW = new Float32Array(x.userW.length);
  for (let u = 0; u < x.users.length; u++) for (let q = x.userPtr[u]!; q < x.userPtr[u + 1]!; q++) userW[q] = f(x.userW[q]!, u, x.userItems[q]!);
  const itemW = new Float32Array(x.itemW.length);
  for (let i = 0; i < x.items.length; i++) for (let q = x.itemPtr[i]!; q < x.itemPtr[i + 1]!; q++) itemW[q] = f(x.itemW[q]!, x.itemUsers[q]!, i);
  return { ...x, userW, itemW };
}

/** Consumers per product (the column counts). */
export function itemDegrees(x: Interactions): Int32Array {
  const out = new Int32Array(x.items.length);
  for (let i = 0; i < x.items.length; i++) out[i] = x.itemPtr[i + 1]! - x.itemPtr[i]!;
  return out;
}

/**
 * BM25 weighting of heavy-tailed counts (play counts 1..350,000): the count is damped by
 * log1p, then saturated against the consumer's mean (k1, b as in Okapi BM25) and multiplied by
 * the product's inverse consumer frequency. Binary data comes out as IDF per product.
 */
export function bm25(x: Interactions, k1 = 1.2, b = 0.75): Interactions {
  const n = x.users.length;
  const deg = itemDegrees(x);
  const idf = Float64Array.from(deg, (d) => Math.log((n - d + 0.5) / (d + 0.5) + 1));
  const len = new Float64Array(n);
  let total = 0;
  for (let u = 0; u < n; u++) {
    for (let q = x.userPtr[u]!; q < x.userPtr[u + 1]!; q++) len[u]! += Math.log1p(x.userW[q]!);
    total += len[u]!;
  }
  const mean = total / Math.max(1, n) || 1;
  return reweighted(x, (w, u, i) => {
    const tf = Math.log1p(Math.max(0, w));
    return ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * len[u]!) / mean))) * idf[i]!;
  });
}
