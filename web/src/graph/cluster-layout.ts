// A linear-time layout for big scenes: communities by label propagation, each drawn as a
// sunflower disc with its hubs in the middle, discs packed in rows from the biggest down.
// fcose (even in draft quality) needs tens of seconds for 10k nodes in a browser; this needs
// tens of milliseconds and still shows the scene's clusters. Pure: tested in Node.

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface ClusterLayoutOptions {
  /** Distance between neighbouring nodes inside a disc (model px). */
  spacing: number;
  /** Gap between discs (model px). */
  gap: number;
  /** Label-propagation rounds (it settles in a handful on real graphs). */
  rounds: number;
}

export const clusterLayoutDefaults: ClusterLayoutOptions = { spacing: 16, gap: 40, rounds: 8 };

/** Communities smaller than this are folded into a neighbouring one. */
const minCommunity = 24;

/** Golden angle: successive sunflower seeds never line up, so a disc fills evenly. */
const golden = Math.PI * (3 - Math.sqrt(5));

/**
 * Community of each node (numbered 0.. in order of first appearance) by asynchronous label
 * propagation: each node takes its neighbours' most common label, keeping its own on a tie and
 * otherwise breaking ties with a seeded random draw (always taking the smallest label would
 * flood one label across every bridge). The result repeats for the same input.
 */
export function communities(n: number, edges: readonly (readonly [number, number])[], rounds = clusterLayoutDefaults.rounds): Int32Array {
  // Adjacency in CSR form: two passes over the edge list, no per-node arrays.
  const deg = new Int32Array(n + 1);
  for (const [a, b] of edges) {
    if (a === b) continue;
    deg[a + 1]!++;
    deg[b + 1]!++;
  }
  for (let i = 0; i < n; i++) deg[i + 1]! += deg[i]!;
  const adj = new Int32Array(deg[n]!);
  const fill = deg.slice(0, n);
  for (const [a, b] of edges) {
    if (a === b) continue;
    adj[fill[a]!++] = b;
    adj[fill[b]!++] = a;
  }
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = i;
  const count = new Int32Array(n);
  const touched: number[] = [];
  // Seeded tie-breaker of label propagation: same scene, same layout. pure-rand (as the seed
  // generator uses) rather than the server's mulberry32: the web bundle imports nothing of server/.
  const rng = xoroshiro128plus(n * 31 + edges.length);
  const random = () => uniformFloat64(rng);
  // Visit nodes in a shuffled order: a fixed index order lets early labels run ahead.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  for (let round = 0; round < rounds; round++) {
    let moved = 0;
    for (const v of order) {
      const from = deg[v]!, to = deg[v + 1]!;
      if (from === to) continue;
      let best = -1, bestCount = 0, ties = 0;
      for (let k = from; k < to; k++) {
        const l = label[adj[k]!]!;
        if (count[l] === 0) touched.push(l);
        count[l]!++;
      }
      for (const l of touched) {
        const c = count[l]!;
        if (c > bestCount) { best = l; bestCount = c; ties = 1; }
        else if (c === bestCount && random() * ++ties < 1) best = l;
      }
      if (count[label[v]!] === bestCount) best = label[v]!;
      for (const l of touched) count[l] = 0;
      touched.length = 0;
      if (best !== label[v]) { label[v] = best; moved++; }
    }
    if (moved === 0) break;
  }
  // Sparse parts split into many small communities: fold each small one into the community it
  // has most edges to (a few passes), so a cluster is one disc, not a scatter of tiny ones.
  for (let pass = 0; pass < 3; pass++) {
    const size = new Int32Array(n);
    for (let v = 0; v < n; v++) size[label[v]!]!++;
    const links = new Map<number, Map<number, number>>();
    for (const [a, b] of edges) {
      const la = label[a]!, lb = label[b]!;
      if (la === lb) continue;
      for (const [x, y] of [[la, lb], [lb, la]] as const) {
        if (size[x]! >= minCommunity) continue;
        let m = links.get(x);
        if (!m) links.set(x, (m = new Map()));
        m.set(y, (m.get(y) ?? 0) + 1);
      }
    }
    if (!links.size) break;
    const into = new Map<number, number>();
    for (const [x, m] of links) {
      let best = -1, bestW = 0;
      for (const [y, w] of m) if (w > bestW || (w === bestW && size[y]! > size[best]!)) { best = y; bestW = w; }
      // Merge towards the bigger side only, so two small ones do not swap labels.
      if (best >= 0 && (size[best]! > size[x]! || (size[best] === size[x] && best < x))) into.set(x, best);
    }
    if (!into.size) break;
    const resolve = (l: number) => { let r = l; for (let i = 0; i < 8 && into.has(r); i++) r = into.get(r)!; return r; };
    for (let v = 0; v < n; v++) label[v] = resolve(label[v]!);
  }
  // Renumber 0..k-1 in order of first appearance.
  const renum = new Int32Array(n).fill(-1);
  let next = 0;
  const out = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const l = label[v]!;
    if (renum[l] === -1) renum[l] = next++;
    out[v] = renum[l]!;
  }
  return out;
}

/**
 * Positions for `n` nodes joined by `edges` (pairs of node indexes). Nodes of one community sit
 * in one disc, highest degree in the centre; discs are packed in rows, biggest first, into a
 * roughly square area. Isolated nodes and pairs share one last disc instead of a thousand tiny ones.
 */
export function clusterLayout(n: number, edges: readonly (readonly [number, number])[], opts: Partial<ClusterLayoutOptions> = {}): Float64Array {
  const o = { ...clusterLayoutDefaults, ...opts };
  const pos = new Float64Array(2 * n);
  if (n === 0) return pos;
  const comm = communities(n, edges, o.rounds);
  const degree = new Int32Array(n);
  for (const [a, b] of edges) {
    if (a === b) continue;
    degree[a]!++;
    degree[b]!++;
  }
  let k = 0;
  for (let v = 0; v < n; v++) k = Math.max(k, comm[v]! + 1);
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let v = 0; v < n; v++) members[comm[v]!]!.push(v);
  // Tiny communities (isolated nodes, pairs) are pooled into one disc.
  const groups: number[][] = [];
  const pool: number[] = [];
  for (const m of members) {
    if (m.length > 2) groups.push(m);
    else pool.push(...m);
  }
  if (pool.length) groups.push(pool);
  for (const g of groups) g.sort((a, b) => degree[b]! - degree[a]! || a - b);
  groups.sort((a, b) => b.length - a.length);
  // A sunflower disc of m seeds spaced s apart has radius ≈ s·√m.
  const radius = (m: number) => o.spacing * Math.sqrt(m) + o.spacing / 2;
  let area = 0;
  for (const g of groups) area += (2 * radius(g.length) + o.gap) ** 2;
  const rowWidth = Math.max(2 * radius(groups[0]!.length), Math.sqrt(area));
  // Shelf packing: discs left to right, a new row when the width is used up.
  let x = 0, y = 0, rowHeight = 0;
  for (const g of groups) {
    const r = radius(g.length);
    if (x > 0 && x + 2 * r > rowWidth) {
      x = 0;
      y += rowHeight + o.gap;
      rowHeight = 0;
    }
    const cx = x + r, cy = y + r;
    for (let i = 0; i < g.length; i++) {
      const d = o.spacing * Math.sqrt(i + 0.5);
      const a = i * golden;
      const v = g[i]!;
      pos[2 * v] = cx + d * Math.cos(a);
      pos[2 * v + 1] = cy + d * Math.sin(a);
    }
    x += 2 * r + o.gap;
    rowHeight = Math.max(rowHeight, 2 * r);
  }
  return pos;
}
