import type { Triple } from './triples.js';
import { buildInteractions, type Interactions } from '../recommend/learn/interactions.js';
import { rp3beta, type Rp3Options } from '../recommend/learn/rp3beta.js';
import { easeScores, type EaseModel } from '../recommend/learn/ease.js';
import { scoreThrough } from '../recommend/learn/sparse.js';

/** Consumer → set of products with strong engagement, from training rows. */
export function interactions(train: readonly Triple[], strongRelations: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const t of train) {
    if (t.subject_type !== 'Consumer' || t.object_type !== 'Product' || !strongRelations.includes(t.relation)) continue;
    const set = out.get(t.subject) ?? new Set<string>();
    set.add(t.object);
    out.set(t.subject, set);
  }
  return out;
}

/** Most-popular baseline: the products most consumers engaged with, minus the consumer's own. */
export function popularBaseline(data: Map<string, Set<string>>, users: Iterable<string>, k: number): Map<string, string[]> {
  const counts = new Map<string, number>();
  for (const items of data.values()) for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([i]) => i);
  const out = new Map<string, string[]>();
  for (const u of users) {
    const own = data.get(u) ?? new Set();
    const list: string[] = [];
    for (const i of ranked) {
      if (list.length >= k) break;
      if (!own.has(i)) list.push(i);
    }
    out.set(u, list);
  }
  return out;
}

/**
 * Item-kNN baseline: cosine similarity of binary item vectors, each item's `neighbours`
 * most similar kept; a consumer's score for j is the sum of similarities to their items.
 */
export function itemKnnBaseline(data: Map<string, Set<string>>, users: Iterable<string>, k: number, neighbours = 100): Map<string, string[]> {
  const usersOf = new Map<string, string[]>();
  for (const [u, items] of data) for (const i of items) (usersOf.get(i) ?? usersOf.set(i, []).get(i)!).push(u);
  const sims = new Map<string, [string, number][]>();
  for (const [i, us] of usersOf) {
    const co = new Map<string, number>();
    for (const u of us) for (const j of data.get(u)!) if (j !== i) co.set(j, (co.get(j) ?? 0) + 1);
    const list = [...co.entries()]
      .map(([j, c]) => [j, c / Math.sqrt(us.length * usersOf.get(j)!.length)] as [string, number])
      .sort((a, b) => b[1] - a[1])
      .slice(0, neighbours);
    sims.set(i, list);
  }
  const out = new Map<string, string[]>();
  for (const u of users) {
    const own = data.get(u) ?? new Set<string>();
    const scores = new Map<string, number>();
    for (const i of own) for (const [j, s] of sims.get(i) ?? []) if (!own.has(j)) scores.set(j, (scores.get(j) ?? 0) + s);
    out.set(
      u,
      [...scores.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, k)
        .map(([j]) => j),
    );
  }
  return out;
}

/** The baselines' binary consumer × product matrix (every product of the catalogue gets an index). */
export function binaryMatrix(data: Map<string, Set<string>>): Interactions {
  const rows: { user: string; item: string; w: number }[] = [];
  for (const [u, items] of data) for (const i of items) rows.push({ user: u, item: i, w: 1 });
  return buildInteractions(rows);
}

/** The k best-scored products of a dense score row, the consumer's own left out. */
function topOf(scores: Float64Array, items: readonly string[], own: ReadonlySet<number>, k: number): string[] {
  const best: [number, number][] = [];
  for (let j = 0; j < scores.length; j++) {
    const s = scores[j]!;
    // EASE scores may be negative: only products some path reached (non-zero) compete.
    if (s === 0 || Number.isNaN(s) || own.has(j)) continue;
    if (best.length < k) {
      best.push([j, s]);
      if (best.length === k) best.sort((a, b) => b[1] - a[1]);
    } else if (s > best[k - 1]![1]) {
      best[k - 1] = [j, s];
      for (let p = k - 1; p > 0 && best[p]![1] > best[p - 1]![1]; p--) [best[p], best[p - 1]] = [best[p - 1]!, best[p]!];
    }
  }
  return best.sort((a, b) => b[1] - a[1]).map(([j]) => items[j]!);
}

function rankAll(x: Interactions, users: Iterable<string>, k: number, fill: (seeds: Map<number, number>, out: Float64Array) => void): Map<string, string[]> {
  const userIndex = new Map(x.users.map((u, i) => [u, i]));
  const out = new Map<string, string[]>();
  const scores = new Float64Array(x.items.length);
  for (const user of users) {
    const u = userIndex.get(user);
    if (u === undefined) {
      out.set(user, []);
      continue;
    }
    const seeds = new Map<number, number>();
    for (let q = x.userPtr[u]!; q < x.userPtr[u + 1]!; q++) seeds.set(x.userItems[q]!, x.userW[q]!);
    scores.fill(0);
    fill(seeds, scores);
    out.set(user, topOf(scores, x.items, new Set(seeds.keys()), k));
  }
  return out;
}

/** RP3β baseline on the binary matrix: a consumer's score of j is Σ over their products of W[i, j]. */
export function rp3Baseline(x: Interactions, users: Iterable<string>, k: number, o: Partial<Rp3Options> = {}): Map<string, string[]> {
  const lists = rp3beta(x, o);
  return rankAll(x, users, k, (seeds, out) => scoreThrough(lists, seeds, out));
}

/** EASE^R baseline on the binary matrix (ease.ts): scores x_u · B over `model.items`. */
export function easeBaseline(x: Interactions, users: Iterable<string>, k: number, model: EaseModel): Map<string, string[]> {
  return rankAll(x, users, k, (seeds, out) => easeScores(model, x.items.length, seeds, out));
}
