import type { Triple } from './triples.js';

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
