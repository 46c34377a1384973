import type { EntityShape } from '../graph/entity.js';
import { explain, type RawPath, type ReasonOut } from './explain.js';
import { explorationBeta, poolSize, rerank } from './explore.js';
import type { RecommendModel } from './model/model.js';
import type { RecommendSettings } from './settings.js';

/** A linked node as the profile read returns it (and as `explain` names it). */
export interface NodeRow {
  id: string;
  key?: string | null;
  name?: string | null;
  name_en?: string | null;
}

/**
 * What one request reads from Neo4j about the asking consumer (queries.ts CONSUMER_PROFILE):
 * always live, so a purchase counts the moment it is committed. The item side around it
 * (taxonomy, product–product links) is in the model.
 */
export interface ConsumerProfile {
  consumer: NodeRow;
  engaged: { id: string; rel: string; w: unknown }[];
  interests: (NodeRow & { rel: string; w: unknown })[];
  follows: (NodeRow & { rel: string; w: unknown; products: { id: string; rel: string; w: unknown }[] })[];
}

/** How relations are used: role factors and names (settings.ts roleParams). */
export interface ScoreRoles {
  factors: Record<string, number>;
  strongRels: readonly string[];
  piRels: readonly string[];
}

export interface RecommendationOut {
  entity: EntityShape;
  score: number;
  reasons: ReasonOut[];
}

/** Damped weight: log(1 + w), a missing weight counts as 1, weights ≤ 0 as nothing. */
export const damp = (w: unknown) => Math.log1p(Math.max(0, w == null ? 1 : Number(w) || 0));

const node = (type: string, n: NodeRow): Record<string, unknown> => ({
  id: n.id,
  key: n.key ?? `${type}:${n.id}`,
  name: n.name ?? n.id,
  ...(n.name_en ? { name_en: n.name_en } : {}),
  _type: type,
});

/** A model product as an explanation node. */
export const productNode = (m: RecommendModel, j: number): Record<string, unknown> =>
  node('Product', { id: m.items[j]!, name: m.names[j]!, name_en: m.namesEn[j] || null });

/** A model product as the API's Entity. */
export function productEntity(m: RecommendModel, j: number): EntityShape {
  const id = m.items[j]!;
  return { key: `Product:${id}`, id, type: 'Product', name: m.names[j]!, nameEn: m.namesEn[j] || null, properties: m.props[j] || null };
}

export const interestNode = (m: RecommendModel, t: number): Record<string, unknown> =>
  node('Interest', { id: m.interests[t]!, name: m.interestNames[t]!, name_en: m.interestNamesEn[t] || null });

/** One family's raw walk: calls `emit` for every (product, raw weight, path maker). */
type Family = (emit: (j: number, raw: number, path: () => Omit<RawPath, 'c'>) => void) => void;

/** The products of `m` by consumers, most first (cached per model object). */
const popularCache = new WeakMap<RecommendModel, Int32Array>();
export function popularOrder(m: RecommendModel): Int32Array {
  let order = popularCache.get(m);
  if (!order) {
    order = Int32Array.from(m.items.keys()).sort((a, b) => m.consumers[b]! - m.consumers[a]! || a - b);
    popularCache.set(m, order);
  }
  return order;
}

/** Up to `count` popular products not in `skip`, each explained as such. */
export function popularFill(m: RecommendModel, count: number, skip: ReadonlySet<number>, coldStart: boolean): RecommendationOut[] {
  const out: RecommendationOut[] = [];
  for (const j of popularOrder(m)) {
    if (out.length >= count) break;
    const n = m.consumers[j]!;
    if (n <= 0) break;
    if (skip.has(j)) continue;
    const path: RawPath = { kind: 'popular', c: 0, n, rels: [], nodes: [productNode(m, j)] };
    const [reason] = explain([path], 0, { coldStart });
    out.push({ entity: productEntity(m, j), score: 0, reasons: [{ ...reason!, share: 1, path: { ...reason!.path, strength: n } }] });
  }
  return out;
}

/**
 * Scores one consumer in memory: the learned item–item lists from their products
 * (`collab`), the interests of their products (`profile`), their own interests and the
 * taxonomy around them (`interest`), what the consumers they follow engaged with (`social`),
 * product–product links of their products (`similar`) and products they viewed but did not
 * buy where views lead to purchases (`revisit`). Each family's scores, popularity-discounted
 * by (consumers + 1)^β at the exploration's β, sum to its weight; a result's score is the sum
 * of its paths' contributions, so every share is contribution / score ≤ 1. Bought products
 * (and viewed ones unless `revisit`) are never returned. Fewer linked results than `first`
 * are filled with popular products, said as such.
 */
export function scoreConsumer(
  m: RecommendModel,
  profile: ConsumerProfile,
  o: { first: number; exploration: number; settings: RecommendSettings; roles: ScoreRoles; revisit: boolean },
): RecommendationOut[] {
  const { settings: s, roles } = o;
  const strong = new Set(roles.strongRels);
  const piRel = roles.piRels.join('/') || 'RELATES_TO';
  const u = node('Consumer', profile.consumer);

  // The consumer's products: damped, role-weighted, merged per product (relations joined).
  const seedW = new Map<number, number>();
  const seedRels = new Map<number, Set<string>>();
  const bought = new Set<number>();
  const viewedOnly = new Set<number>();
  for (const e of profile.engaged) {
    const j = m.itemIndex.get(e.id);
    if (j === undefined) continue;
    seedW.set(j, (seedW.get(j) ?? 0) + (roles.factors[e.rel] ?? 1) * damp(e.w));
    (seedRels.get(j) ?? seedRels.set(j, new Set()).get(j)!).add(e.rel);
    if (strong.has(e.rel)) bought.add(j);
  }
  for (const j of seedW.keys()) if (!bought.has(j)) viewedOnly.add(j);
  const excluded = new Set<number>(o.revisit ? bought : seedW.keys());
  const seeds = [...seedW].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, s.seedCap);
  const seedTotal = seeds.reduce((t, x) => t + x[1], 0) || 1;
  const seedP = seeds.map(([j, w]) => [j, w / seedTotal] as const);
  const relOf = (j: number) => [...(seedRels.get(j) ?? [])].join('/');

  const families: [keyof RecommendSettings, Family][] = [];
  families.push(['collab', (emit) => {
    for (const [i, p] of seedP) {
      for (let q = m.collab.ptr[i]!; q < m.collab.ptr[i + 1]!; q++) {
        const j = m.collab.nbr[q]!;
        emit(j, p * m.collab.w[q]!, () => ({ kind: 'collab', n: 0, rels: [relOf(i), 'CO_ENGAGED'], nodes: [u, productNode(m, i), productNode(m, j)] }));
      }
    }
  }]);

  // Profile: interests of the consumer's products, each reached through its strongest product.
  const profileInterests = new Set<string>(profile.interests.map((t) => t.id));
  const pt = new Map<number, { w: number; via: number; best: number }>();
  for (const [i, p] of seedP) {
    const from = m.itemInterests.ptr[i]!;
    const to = Math.min(m.itemInterests.ptr[i + 1]!, from + s.fanout);
    for (let q = from; q < to; q++) {
      const t = m.itemInterests.idx[q]!;
      profileInterests.add(m.interests[t]!);
      const share = p / (to - from);
      const cur = pt.get(t);
      if (!cur) pt.set(t, { w: share, via: i, best: share });
      else {
        cur.w += share;
        if (share > cur.best) [cur.best, cur.via] = [share, i];
      }
    }
  }
  const topInterests = [...pt].sort((a, b) => b[1].w - a[1].w || a[0] - b[0]).slice(0, s.interestCap);
  families.push(['profile', (emit) => {
    for (const [t, x] of topInterests) {
      const from = m.interestItems.ptr[t]!;
      const to = Math.min(m.interestItems.ptr[t + 1]!, from + s.fanout);
      for (let q = from; q < to; q++) {
        const j = m.interestItems.nbr[q]!;
        emit(j, x.w * m.interestItems.w[q]!, () => ({ kind: 'profile', n: 1, rels: [relOf(x.via), piRel, piRel], nodes: [u, productNode(m, x.via), interestNode(m, t), productNode(m, j)] }));
      }
    }
  }]);

  // Interest: the consumer's own interests, their narrower and broader ones (the model's taxonomy).
  const ints = profile.interests.map((t) => ({ t, w: damp(t.w) }));
  const intTotal = ints.reduce((a, b) => a + b.w, 0) || 1;
  families.push(['interest', (emit) => {
    for (const { t: t0, w } of ints) {
      const p = w / intTotal;
      const own = m.interestIndex.get(t0.id);
      if (own === undefined) continue;
      const steps: { t: number; rel: string | null; f: number }[] = [{ t: own, rel: null, f: 1 }];
      for (const [links, f] of [[m.narrower, s.narrower], [m.broader, s.broader]] as const) {
        const end = Math.min(links.ptr[own + 1]!, links.ptr[own]! + s.fanout);
        for (let q = links.ptr[own]!; q < end; q++) steps.push({ t: links.idx[q]!, rel: m.relNames[links.rel[q]!]!, f });
      }
      for (const { t, rel, f } of steps) {
        const from = m.interestItems.ptr[t]!;
        const to = Math.min(m.interestItems.ptr[t + 1]!, from + s.fanout);
        for (let q = from; q < to; q++) {
          const j = m.interestItems.nbr[q]!;
          emit(j, p * f * m.interestItems.w[q]!, () =>
            rel
              ? { kind: 'interest', n: 1, rels: [t0.rel, rel, piRel], nodes: [u, node('Interest', t0), interestNode(m, t), productNode(m, j)] }
              : { kind: 'interest', n: 1, rels: [t0.rel, piRel], nodes: [u, node('Interest', t0), productNode(m, j)] },
          );
        }
      }
    }
  }]);

  // Social: what the followed consumers engaged with most.
  const follows = profile.follows.map((v) => ({ v, w: damp(v.w) }));
  const followTotal = follows.reduce((a, b) => a + b.w, 0) || 1;
  families.push(['social', (emit) => {
    for (const { v, w } of follows) {
      const rows = v.products.map((x) => ({ x, w: (roles.factors[x.rel] ?? 1) * damp(x.w), j: m.itemIndex.get(x.id) }));
      const total = rows.reduce((a, b) => a + b.w, 0) || 1;
      for (const r of rows) {
        if (r.j === undefined) continue;
        const j = r.j;
        emit(j, ((w / followTotal) * r.w) / total, () => ({ kind: 'social', n: 1, rels: [v.rel, r.x.rel], nodes: [u, node('Consumer', v), productNode(m, j)] }));
      }
    }
  }]);

  // Similar: the graph's product–product links of the consumer's products (in the model).
  families.push(['similar', (emit) => {
    for (const [i, p] of seedP) {
      for (let q = m.similar.ptr[i]!; q < m.similar.ptr[i + 1]!; q++) {
        const j = m.similar.nbr[q]!;
        emit(j, p * m.similar.w[q]!, () => ({ kind: 'similar', n: 1, rels: [relOf(i), m.relNames[m.similar.rel[q]!]!], nodes: [u, productNode(m, i), productNode(m, j)] }));
      }
    }
  }]);

  if (o.revisit) {
    families.push(['revisit', (emit) => {
      for (const [j, p] of seedP) if (viewedOnly.has(j)) emit(j, p, () => ({ kind: 'revisit', n: 1, rels: [relOf(j)], nodes: [u, productNode(m, j)] }));
    }]);
  }

  // Pass 1: each family's discounted scores and their total; a product's score sums them.
  const beta = explorationBeta(s, o.exploration);
  const discount = (j: number) => (beta === 0 ? 1 : (m.consumers[j]! + 1) ** -beta);
  const score = new Map<number, number>();
  const scale: number[] = [];
  for (const [name, walk] of families) {
    const fam = new Map<number, number>();
    let total = 0;
    walk((j, raw) => {
      if (excluded.has(j) || !(raw > 0)) return;
      const c = raw * discount(j);
      fam.set(j, (fam.get(j) ?? 0) + c);
      total += c;
    });
    const k = total > 0 ? (s[name] as number) / total : 0;
    scale.push(k);
    if (k > 0) for (const [j, c] of fam) score.set(j, (score.get(j) ?? 0) + c * k);
  }
  const pool = [...score].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, poolSize(o.first, o.exploration));
  const poolSet = new Set(pool.map((x) => x[0]));

  // Pass 2: the paths behind the pool's products, each with its contribution.
  const paths = new Map<number, RawPath[]>();
  families.forEach(([, walk], f) => {
    const k = scale[f]!;
    if (!(k > 0)) return;
    walk((j, raw, path) => {
      if (!poolSet.has(j) || excluded.has(j) || !(raw > 0)) return;
      (paths.get(j) ?? paths.set(j, []).get(j)!).push({ ...path(), c: raw * discount(j) * k });
    });
  });

  const interestsOf = (j: number) => [...m.itemInterests.idx.subarray(m.itemInterests.ptr[j]!, m.itemInterests.ptr[j + 1]!)].map((t) => m.interests[t]!);
  const candidates = pool.map(([j, sc]) => ({ j, key: m.items[j]!, score: sc, consumers: m.consumers[j]!, interests: interestsOf(j) }));
  const coldStart = profile.engaged.length === 0;
  const chosen = rerank(candidates, { first: o.first, exploration: o.exploration, profile: profileInterests, diversity: s.diversity });
  const out: RecommendationOut[] = chosen.map((c) => ({
    entity: productEntity(m, c.j),
    score: c.score,
    reasons: explain(paths.get(c.j) ?? [], c.score, { coldStart }),
  }));
  if (out.length < o.first) {
    const skip = new Set<number>([...excluded, ...chosen.map((c) => c.j)]);
    out.push(...popularFill(m, o.first - out.length, skip, coldStart && profile.interests.length === 0));
  }
  return out;
}
