import type { EntityShape } from '../graph/entity.js';
import { explain, type RawPath, type ReasonOut } from './explain.js';
import { consumerExploration, exposure, rerank } from './explore.js';
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
 * What one request reads from Neo4j about the asking consumer (queries.ts consumerProfileQuery):
 * always live, so a purchase counts the moment it is committed. The item side around it
 * (taxonomy, product–product links) is in the model.
 */
export interface ConsumerProfile {
  consumer: NodeRow;
  /**
   * The consumer's person (server/identity: `coalesce(c.person, c.id)`) and the ids of all its
   * consumers, the asking one included, whose engagements, interests and follows the lists
   * below hold; absent: the consumer alone.
   */
  person?: string;
  ids?: string[];
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

/** One family: its walk emits (product, raw weight, a, b); `path(j, a, b)` names what produced an emission. */
interface Fam {
  name: keyof RecommendSettings;
  walk: (emit: (j: number, raw: number, a: number, b: number) => void) => void;
  path: (j: number, a: number, b: number) => Omit<RawPath, 'c'>;
  /** Set when `walk` is exactly: for each seed (i, p), for each q of row i, emit(nbr[q], p · w[q], i, …). */
  lists?: { ptr: Int32Array; nbr: Int32Array; w: Float32Array | Float64Array };
  /** Which route an emission took: equal exactly when `path` gives the same nodes for the same product (< 2^40). */
  route: (a: number, b: number) => number;
}

/**
 * Per-model scratch rows, reused by every request (scoring is synchronous, so one at a time)
 * instead of allocating product-sized arrays or maps per request; all zero between requests.
 */
const scratchCache = new WeakMap<RecommendModel, { score: Float64Array; fam: Float64Array; famTouched: Int32Array; scoreTouched: Int32Array; excluded: Uint8Array }>();
function scratch(m: RecommendModel) {
  let x = scratchCache.get(m);
  if (!x) {
    const n = m.items.length;
    x = { score: new Float64Array(n), fam: new Float64Array(n), famTouched: new Int32Array(n), scoreTouched: new Int32Array(n), excluded: new Uint8Array(n) };
    scratchCache.set(m, x);
  }
  return x;
}

/** (consumers + 1)^−β per product, for the last few β of a model (exploration values repeat). */
const discountCache = new WeakMap<RecommendModel, Map<number, Float64Array>>();
function discounts(m: RecommendModel, beta: number): Float64Array {
  let byBeta = discountCache.get(m);
  if (!byBeta) discountCache.set(m, (byBeta = new Map()));
  let d = byBeta.get(beta);
  if (!d) {
    d = Float64Array.from(m.consumers, (c) => (beta === 0 ? 1 : (c + 1) ** -beta));
    if (byBeta.size >= 8) byBeta.delete(byBeta.keys().next().value!);
    byBeta.set(beta, d);
  }
  return d;
}

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

/**
 * The `k` best of the `n` products `touched[0..n)` with a score > 0, best first (score
 * descending, then index ascending): a bounded heap instead of sorting every touched product
 * (thousands a request, for a pool of tens).
 */
export function topScored(score: Float64Array, touched: Int32Array, n: number, k: number): Int32Array {
  // `a` ranks below `b`: the heap keeps the worst of its members at the root.
  const below = (a: number, b: number) => score[a]! < score[b]! || (score[a] === score[b] && a > b);
  const heap = new Int32Array(Math.max(0, Math.min(k, n)));
  let size = 0;
  const sift = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let worst = at;
      if (l < size && below(heap[l]!, heap[worst]!)) worst = l;
      if (r < size && below(heap[r]!, heap[worst]!)) worst = r;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst]!, heap[at]!];
      at = worst;
    }
  };
  for (let t = 0; t < n; t++) {
    const j = touched[t]!;
    if (!(score[j]! > 0)) continue;
    if (size < heap.length) {
      let at = size++;
      heap[at] = j;
      while (at > 0) {
        const up = (at - 1) >> 1;
        if (!below(heap[at]!, heap[up]!)) break;
        [heap[at], heap[up]] = [heap[up]!, heap[at]!];
        at = up;
      }
    } else if (size > 0 && below(heap[0]!, j)) {
      heap[0] = j;
      sift(0);
    }
  }
  return heap.subarray(0, size).sort((a, b) => score[b]! - score[a]! || a - b);
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
 * A result whose `reasons` are worked out on first read (then kept): a client that asks only
 * for entities and scores does not pay for the second walk and the sentences.
 */
function withLazyReasons(r: Omit<RecommendationOut, 'reasons'>, reasons: () => RecommendationOut['reasons']): RecommendationOut {
  return Object.defineProperty(r, 'reasons', {
    enumerable: true,
    configurable: true,
    get(this: RecommendationOut) {
      const value = reasons();
      Object.defineProperty(this, 'reasons', { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
  }) as RecommendationOut;
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

  // Each family walks its lists and emits (product, raw weight, a, b); `path(j, a, b)` rebuilds
  // the path behind an emission only for the pool's products (no closure per emission).
  const families: Fam[] = [];
  families.push({
    name: 'collab',
    lists: m.collab,
    walk(emit) {
      for (const [i, p] of seedP) {
        for (let q = m.collab.ptr[i]!; q < m.collab.ptr[i + 1]!; q++) emit(m.collab.nbr[q]!, p * m.collab.w[q]!, i, 0);
      }
    },
    path: (j, i) => ({ kind: 'collab', n: 0, rels: [relOf(i), 'CO_ENGAGED'], nodes: [u, productNode(m, i), productNode(m, j)] }),
    route: (i) => i,
  });

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
  families.push({
    name: 'profile',
    walk(emit) {
      topInterests.forEach(([t, x], k) => {
        const from = m.interestItems.ptr[t]!;
        const to = Math.min(m.interestItems.ptr[t + 1]!, from + s.fanout);
        for (let q = from; q < to; q++) emit(m.interestItems.nbr[q]!, x.w * m.interestItems.w[q]!, k, 0);
      });
    },
    path: (j, k) => {
      const [t, x] = topInterests[k]!;
      return { kind: 'profile', n: 1, rels: [relOf(x.via), piRel, piRel], nodes: [u, productNode(m, x.via), interestNode(m, t), productNode(m, j)] };
    },
    route: (k) => k,
  });

  // Interest: the consumer's own interests, their narrower and broader ones (the model's taxonomy).
  const ints = profile.interests.map((t) => ({ t, w: damp(t.w) }));
  const intTotal = ints.reduce((a, b) => a + b.w, 0) || 1;
  const steps = ints.map(({ t: t0 }) => {
    const own = m.interestIndex.get(t0.id);
    if (own === undefined) return [];
    const list: { t: number; rel: string | null; f: number }[] = [{ t: own, rel: null, f: 1 }];
    for (const [links, f] of [[m.narrower, s.narrower], [m.broader, s.broader]] as const) {
      const end = Math.min(links.ptr[own + 1]!, links.ptr[own]! + s.fanout);
      for (let q = links.ptr[own]!; q < end; q++) list.push({ t: links.idx[q]!, rel: m.relNames[links.rel[q]!]!, f });
    }
    return list;
  });
  families.push({
    name: 'interest',
    walk(emit) {
      ints.forEach(({ w }, k) => {
        const p = w / intTotal;
        steps[k]!.forEach(({ t, f }, st) => {
          const from = m.interestItems.ptr[t]!;
          const to = Math.min(m.interestItems.ptr[t + 1]!, from + s.fanout);
          for (let q = from; q < to; q++) emit(m.interestItems.nbr[q]!, p * f * m.interestItems.w[q]!, k, st);
        });
      });
    },
    path: (j, k, st) => {
      const t0 = ints[k]!.t;
      const { t, rel } = steps[k]![st]!;
      return rel
        ? { kind: 'interest', n: 1, rels: [t0.rel, rel, piRel], nodes: [u, node('Interest', t0), interestNode(m, t), productNode(m, j)] }
        : { kind: 'interest', n: 1, rels: [t0.rel, piRel], nodes: [u, node('Interest', t0), productNode(m, j)] };
    },
    // Own interest k, and the taxonomy interest of step st (or none): its nodes.
    route: (k, st) => {
      const { t, rel } = steps[k]![st]!;
      const own = steps[k]![0]!.t;
      return rel ? own * 2 ** 20 + t + 1 : own * 2 ** 20;
    },
  });

  // Social: what the followed consumers engaged with most.
  const follows = profile.follows.map((v) => {
    const rows = v.products.map((x) => ({ x, w: (roles.factors[x.rel] ?? 1) * damp(x.w), j: m.itemIndex.get(x.id) }));
    return { v, w: damp(v.w), rows, total: rows.reduce((a, b) => a + b.w, 0) || 1 };
  });
  const followTotal = follows.reduce((a, b) => a + b.w, 0) || 1;
  // Two links to the same followed consumer are one route (one node), as mergePaths sees them.
  const firstFollow = follows.map(({ v }) => follows.findIndex((f) => f.v.id === v.id));
  families.push({
    name: 'social',
    walk(emit) {
      follows.forEach(({ w, rows, total }, k) => {
        rows.forEach((r, q) => {
          if (r.j !== undefined) emit(r.j, ((w / followTotal) * r.w) / total, k, q);
        });
      });
    },
    path: (j, k, q) => {
      const { v, rows } = follows[k]!;
      return { kind: 'social', n: 1, rels: [v.rel, rows[q]!.x.rel], nodes: [u, node('Consumer', v), productNode(m, j)] };
    },
    route: (k) => firstFollow[k]!,
  });

  // Similar: the graph's product–product links of the consumer's products (in the model).
  families.push({
    name: 'similar',
    lists: m.similar,
    walk(emit) {
      for (const [i, p] of seedP) {
        for (let q = m.similar.ptr[i]!; q < m.similar.ptr[i + 1]!; q++) emit(m.similar.nbr[q]!, p * m.similar.w[q]!, i, q);
      }
    },
    path: (j, i, q) => ({ kind: 'similar', n: 1, rels: [relOf(i), m.relNames[m.similar.rel[q]!]!], nodes: [u, productNode(m, i), productNode(m, j)] }),
    route: (i) => i,
  });

  if (o.revisit) {
    families.push({
      name: 'revisit',
      walk(emit) {
        for (const [j, p] of seedP) if (viewedOnly.has(j)) emit(j, p, 0, 0);
      },
      path: (j) => ({ kind: 'revisit', n: 1, rels: [relOf(j)], nodes: [u, productNode(m, j)] }),
      route: () => 0,
    });
  }

  const explore = consumerExploration(s, o.first, o.exploration);
  const beta = explore.beta;
  const discount = discounts(m, beta);
  const x = scratch(m);
  const pool: [number, number][] = [];
  const scale: number[] = [];
  let scored = 0;
  try {
    for (const j of excluded) x.excluded[j] = 1;
    // Pass 1: each family's discounted scores and their total; a product's score sums them.
    for (const fam of families) {
      let count = 0;
      let total = 0;
      if (fam.lists) {
        // Item–item lists from the seeds (collab, similar): the bulk of a request's emissions, summed without a call each.
        const { ptr, nbr, w } = fam.lists;
        const fa = x.fam, ex = x.excluded, ft = x.famTouched;
        for (const [i, p] of seedP) {
          for (let q = ptr[i]!, end = ptr[i + 1]!; q < end; q++) {
            const j = nbr[q]!;
            const raw = p * w[q]!;
            if (ex[j] || !(raw > 0)) continue;
            const c = raw * discount[j]!;
            if (fa[j] === 0) ft[count++] = j;
            fa[j]! += c;
            total += c;
          }
        }
      } else {
        fam.walk((j, raw) => {
          if (x.excluded[j] || !(raw > 0)) return;
          const c = raw * discount[j]!;
          if (x.fam[j] === 0) x.famTouched[count++] = j;
          x.fam[j]! += c;
          total += c;
        });
      }
      const k = total > 0 ? (s[fam.name] as number) / total : 0;
      scale.push(k);
      for (let t = 0; t < count; t++) {
        const j = x.famTouched[t]!;
        if (k > 0) {
          if (x.score[j] === 0) x.scoreTouched[scored++] = j;
          x.score[j]! += x.fam[j]! * k;
        }
        x.fam[j] = 0;
      }
    }
    for (const j of topScored(x.score, x.scoreTouched, scored, explore.pool)) pool.push([j, x.score[j]!]);
  } finally {
    // The scratch rows are shared by every request on this model: leave them all zero.
    for (let t = 0; t < scored; t++) x.score[x.scoreTouched[t]!] = 0;
    for (const j of excluded) x.excluded[j] = 0;
  }

  // Pass 2, only for the chosen products and only when a caller reads `reasons`: their
  // contributions grouped by route (family and the nodes it went through, as mergePaths
  // merges them); paths are built only for the three strongest routes of each product, which
  // are all explain() words.
  const pathsOf = (want: ReadonlySet<number>): Map<number, RawPath[]> => {
    const routes = new Map<number, Map<number, { c: number; members: number[] }>>();
    families.forEach((fam, f) => {
      const k = scale[f]!;
      if (!(k > 0)) return;
      fam.walk((j, raw, a, b) => {
        if (!want.has(j) || !(raw > 0)) return;
        const byRoute = routes.get(j) ?? routes.set(j, new Map()).get(j)!;
        const key = f * 2 ** 40 + fam.route(a, b);
        const r = byRoute.get(key) ?? byRoute.set(key, { c: 0, members: [] }).get(key)!;
        r.c += raw * discount[j]! * k;
        r.members.push(a, b, raw * discount[j]! * k);
      });
    });
    const paths = new Map<number, RawPath[]>();
    for (const [j, byRoute] of routes) {
      const top = [...byRoute].sort((p, q) => q[1].c - p[1].c).slice(0, 3);
      const list: RawPath[] = [];
      for (const [key, r] of top) {
        const fam = families[Math.floor(key / 2 ** 40)]!;
        for (let t = 0; t < r.members.length; t += 3) list.push({ ...fam.path(j, r.members[t]!, r.members[t + 1]!), c: r.members[t + 2]! });
      }
      paths.set(j, list);
    }
    return paths;
  };

  const interestsOf = (j: number) => [...m.itemInterests.idx.subarray(m.itemInterests.ptr[j]!, m.itemInterests.ptr[j + 1]!)].map((t) => m.interests[t]!);
  const shown = exposure(m);
  const candidates = pool.map(([j, sc]) => ({ j, key: m.items[j]!, score: sc, consumers: m.consumers[j]!, exposure: shown[j]!, interests: interestsOf(j) }));
  const coldStart = profile.engaged.length === 0;
  const chosen = rerank(candidates, {
    first: o.first,
    exploration: o.exploration,
    profile: profileInterests,
    ...explore.options,
  });
  let paths: Map<number, RawPath[]> | undefined;
  const chosenSet = new Set(chosen.map((c) => c.j));
  const out: RecommendationOut[] = chosen.map((c) =>
    withLazyReasons({ entity: productEntity(m, c.j), score: c.score }, () => explain((paths ??= pathsOf(chosenSet)).get(c.j) ?? [], c.score, { coldStart })),
  );
  if (out.length < o.first) {
    const skip = new Set<number>([...excluded, ...chosen.map((c) => c.j)]);
    out.push(...popularFill(m, o.first - out.length, skip, coldStart && profile.interests.length === 0));
  }
  return out;
}
