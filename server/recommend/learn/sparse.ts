/** Item → item weights, `neighbours` strongest a row at most, in compressed rows. */
export interface ItemLists {
  ptr: Int32Array;
  nbr: Int32Array;
  w: Float32Array;
}

/**
 * Keeps the `k` largest of `acc` over the indices in `touched` (whose entries it then clears),
 * largest first. `acc` is a dense scratch row that stays all zeros between calls.
 */
export function takeTop(acc: Float64Array, touched: Int32Array, count: number, k: number): { idx: number[]; w: number[] } {
  const pairs: [number, number][] = [];
  for (let t = 0; t < count; t++) {
    const j = touched[t]!;
    if (acc[j]! > 0) pairs.push([j, acc[j]!]);
    acc[j] = 0;
  }
  pairs.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const top = pairs.slice(0, k);
  return { idx: top.map((p) => p[0]), w: top.map((p) => p[1]) };
}

/** Packs per-row lists into compressed rows. */
export function packLists(rows: readonly { idx: number[]; w: number[] }[]): ItemLists {
  const ptr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (ptr[i + 1] = ptr[i]! + r.idx.length));
  const nbr = new Int32Array(ptr[rows.length]!);
  const w = new Float32Array(ptr[rows.length]!);
  rows.forEach((r, i) => {
    nbr.set(r.idx, ptr[i]!);
    w.set(r.w, ptr[i]!);
  });
  return { ptr, nbr, w };
}

/**
 * A consumer's score of every product from their weighted products (`seeds`, item index →
 * weight) through the lists: s_j = Σ_i x_i · W[i, j], written into `out` (length items).
 */
export function scoreThrough(lists: ItemLists, seeds: ReadonlyMap<number, number>, out: Float64Array): void {
  for (const [i, x] of seeds) {
    for (let q = lists.ptr[i]!; q < lists.ptr[i + 1]!; q++) out[lists.nbr[q]!]! += x * lists.w[q]!;
  }
}
