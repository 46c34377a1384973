import type { RawPath } from './explain.js';
import { explain } from './explain.js';
import { rerank } from './explore.js';
import type { RecommendModel } from './model/model.js';
import { damp, interestNode, productNode, type ConsumerProfile, type RecommendationOut, type ScoreRoles } from './score.js';
import type { RecommendSettings } from './settings.js';
import { toEntity } from '../graph/entity.js';

/**
 * `lookalikes` and `related` for consumer and interest targets, scored in memory from the
 * learned model like recommendProducts: the item side (learned product neighbours, product
 * interests, taxonomy, popularity) comes from the model; what only the live graph knows (who
 * engaged with a product) comes from one bounded read of the engagers of the few products
 * and interests involved (queries.ts ENGAGERS), handed in as `EngagerRow`s.
 */

/** One consumer of the ENGAGERS read: its properties, engagement count and the source entities it engaged with. */
export interface EngagerRow {
  props: Record<string, unknown>;
  degree: number;
  /** [entity key, relation, weight, entity's consumers] per involved entity it engaged with. */
  via: [string, string, unknown, unknown][];
  /** The row is a person: the ids of its consumers the read found (props are its representative's). */
  ids?: string[];
}

type Node = Record<string, unknown>;

/** Sums contributions per target and family; each family is scaled to its weight, so a score is the sum of its paths. */
class Families<K> {
  private readonly fams: { weight: number; rows: { k: K; c: number; path: Omit<RawPath, 'c'> }[] }[] = [];
  family(weight: number) {
    const f = { weight, rows: [] as { k: K; c: number; path: Omit<RawPath, 'c'> }[] };
    this.fams.push(f);
    return (k: K, c: number, path: Omit<RawPath, 'c'>) => {
      if (c > 0 && Number.isFinite(c)) f.rows.push({ k, c, path });
    };
  }
  /** Targets with their score and paths. */
  totals(): Map<K, { score: number; paths: RawPath[]; first: number }> {
    const out = new Map<K, { score: number; paths: RawPath[]; first: number }>();
    this.fams.forEach((f, index) => {
      const total = f.rows.reduce((t, r) => t + r.c, 0);
      if (!(total > 0) || !(f.weight > 0)) return;
      const k = f.weight / total;
      for (const r of f.rows) {
        const x = out.get(r.k) ?? out.set(r.k, { score: 0, paths: [], first: index }).get(r.k)!;
        x.score += r.c * k;
        x.first = Math.min(x.first, index);
        x.paths.push({ ...r.path, c: r.c * k });
      }
    });
    return out;
  }
}

/** The consumer's products (damped, role-weighted, merged) and interests, normalised together, strongest `seedCap`. */
function consumerSeeds(m: RecommendModel, profile: ConsumerProfile, s: RecommendSettings, roles: ScoreRoles) {
  const w = new Map<string, { w: number; rels: Set<string>; node: Node; item?: number }>();
  for (const e of profile.engaged) {
    const key = `Product:${e.id}`;
    const j = m.itemIndex.get(e.id);
    const x = w.get(key) ?? w.set(key, { w: 0, rels: new Set(), node: j === undefined ? { id: e.id, key, name: e.id, _type: 'Product' } : productNode(m, j), item: j }).get(key)!;
    x.w += (roles.factors[e.rel] ?? 1) * damp(e.w);
    x.rels.add(e.rel);
  }
  for (const t of profile.interests) {
    const key = t.key ?? `Interest:${t.id}`;
    const x = w.get(key) ?? w.set(key, { w: 0, rels: new Set(), node: { id: t.id, key, name: t.name ?? t.id, ...(t.name_en ? { name_en: t.name_en } : {}), _type: 'Interest' } }).get(key)!;
    x.w += damp(t.w);
    x.rels.add(t.rel);
  }
  const top = [...w].sort((a, b) => b[1].w - a[1].w || (a[0] < b[0] ? -1 : 1)).slice(0, s.seedCap);
  const total = top.reduce((t, [, x]) => t + x.w, 0) || 1;
  return new Map(top.map(([key, x]) => [key, { p: x.w / total, rel: [...x.rels].join('/'), node: x.node, item: x.item }]));
}

/**
 * The products the model links most strongly to `from` (product index → weight), leaving out
 * `skip`, normalised to sum 1, each with the source product it came through most.
 */
function expand(m: RecommendModel, from: ReadonlyMap<number, number>, skip: ReadonlySet<number>, count: number) {
  const score = new Map<number, { w: number; via: number; best: number }>();
  for (const [i, p] of from) {
    for (let q = m.collab.ptr[i]!; q < m.collab.ptr[i + 1]!; q++) {
      const j = m.collab.nbr[q]!;
      if (skip.has(j)) continue;
      const c = p * m.collab.w[q]!;
      if (!(c > 0)) continue;
      const x = score.get(j);
      if (!x) score.set(j, { w: c, via: i, best: c });
      else {
        x.w += c;
        if (c > x.best) [x.best, x.via] = [c, i];
      }
    }
  }
  const top = [...score].sort((a, b) => b[1].w - a[1].w || a[0] - b[0]).slice(0, count);
  const total = top.reduce((t, [, x]) => t + x.w, 0) || 1;
  return new Map(top.map(([j, x]) => [j, { p: x.w / total, via: x.via }]));
}

/** The keys the ENGAGERS read needs for a consumer's lookalikes: their seeds and the model's expansion of them. */
export function lookalikePlan(m: RecommendModel, profile: ConsumerProfile, s: RecommendSettings, roles: ScoreRoles) {
  const seeds = consumerSeeds(m, profile, s, roles);
  const items = new Map<number, number>();
  for (const x of seeds.values()) if (x.item !== undefined) items.set(x.item, x.p);
  const own = new Set<number>(profile.engaged.map((e) => m.itemIndex.get(e.id)).filter((j): j is number => j !== undefined));
  const expansion = expand(m, items, own, s.lookalikeExpand);
  const keys = [...seeds.keys(), ...[...expansion.keys()].map((j) => `Product:${m.items[j]!}`)];
  return { seeds, expansion, keys, follows: profile.follows.map((f) => f.id) };
}

const consumerNode = (props: Record<string, unknown>): Node => ({ id: props.id, key: props.key ?? `Consumer:${String(props.id)}`, name: props.name ?? props.id, _type: 'Consumer' });

/**
 * Consumers most like one consumer: those who engaged with the same products or hold the same
 * interests (`shared`, each shared entity discounted by its popularity and the other
 * consumer by its activity), those who engaged with the products the model links to theirs
 * (`taste`), and those they follow (`followed`). Results and paths name only the two consumers.
 */
export function scoreLookalikes(
  m: RecommendModel,
  profile: ConsumerProfile,
  plan: ReturnType<typeof lookalikePlan>,
  engagers: readonly EngagerRow[],
  o: { first: number; settings: RecommendSettings; roles: ScoreRoles },
): RecommendationOut[] {
  const { settings: s, roles } = o;
  const u: Node = { id: profile.consumer.id, key: profile.consumer.key ?? `Consumer:${profile.consumer.id}`, name: profile.consumer.name ?? profile.consumer.id, _type: 'Consumer' };
  const f = new Families<string>();
  const shared = f.family(1);
  const taste = f.family(s.lookalikeTaste);
  const followed = f.family(s.lookalikeSocial);
  const byId = new Map<string, EngagerRow>();
  // A found id → its person's representative (the row's id): follows name any id of a person.
  const repOf = new Map<string, string>();
  const own = new Set([profile.consumer.id, ...(profile.ids ?? [])]);
  const beta = s.lookalikeBeta;
  for (const row of engagers) {
    const v = consumerNode(row.props);
    const id = String(row.props.id);
    if (own.has(id) || row.ids?.some((x) => own.has(x))) continue;
    byId.set(id, row);
    repOf.set(id, id);
    for (const x of row.ids ?? []) repOf.set(x, id);
    const activity = Math.sqrt(Number(row.degree) + 1);
    for (const [key, rel, w, pop] of row.via) {
      const c = ((roles.factors[rel] ?? 1) * damp(w)) / (Number(pop) + 1) ** beta / activity;
      const seed = plan.seeds.get(key);
      if (seed) shared(id, seed.p * c, { kind: 'shared', n: 1, rels: [seed.rel, rel], nodes: [u, seed.node, v] });
      const j = key.startsWith('Product:') ? m.itemIndex.get(key.slice('Product:'.length)) : undefined;
      const x = j === undefined ? undefined : plan.expansion.get(j);
      if (x && j !== undefined) {
        const via = plan.seeds.get(`Product:${m.items[x.via]!}`);
        taste(id, x.p * c, { kind: 'taste', n: 1, rels: [via?.rel ?? 'PURCHASED', 'CO_ENGAGED', rel], nodes: [u, productNode(m, x.via), productNode(m, j), v] });
      }
    }
  }
  for (const fv of profile.follows) {
    const rep = repOf.get(fv.id);
    if (rep === undefined || own.has(fv.id)) continue;
    followed(rep, damp(fv.w), { kind: 'followed', n: 1, rels: [fv.rel], nodes: [u, consumerNode(byId.get(rep)!.props)] });
  }
  return [...f.totals()]
    .sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.first)
    .map(([id, x]) => ({ entity: toEntity(byId.get(id)!.props, 'Consumer'), score: x.score, reasons: explain(x.paths, x.score, { coldStart: false }) }));
}

/**
 * The keys the ENGAGERS read needs for the consumers of a product (the product and its
 * strongest learned neighbours) or of an interest (the interest and its strongest products).
 */
export function audiencePlan(m: RecommendModel, source: { product: number } | { interest: number }, s: RecommendSettings) {
  let expansion: Map<number, { p: number }>;
  let key: string;
  let src: Node;
  if ('product' in source) {
    const i = source.product;
    expansion = expand(m, new Map([[i, 1]]), new Set([i]), s.lookalikeExpand);
    key = `Product:${m.items[i]!}`;
    src = productNode(m, i);
  } else {
    const t = source.interest;
    const from = m.interestItems.ptr[t]!;
    const to = Math.min(m.interestItems.ptr[t + 1]!, from + s.lookalikeExpand);
    let total = 0;
    for (let q = from; q < to; q++) total += m.interestItems.w[q]!;
    expansion = new Map();
    for (let q = from; q < to; q++) expansion.set(m.interestItems.nbr[q]!, { p: m.interestItems.w[q]! / (total || 1) });
    key = `Interest:${m.interests[t]!}`;
    src = interestNode(m, t);
  }
  const link = 'product' in source ? 'CO_ENGAGED' : null;
  return { expansion, key, src, link, keys: [key, ...[...expansion.keys()].map((j) => `Product:${m.items[j]!}`)] };
}

/**
 * Consumers for a product or an interest: those linked to it (`direct`), first, then those
 * who engaged with the products the model links to it (`audience`); paths name the target only.
 */
export function scoreAudience(m: RecommendModel, plan: ReturnType<typeof audiencePlan>, engagers: readonly EngagerRow[], o: { first: number; settings: RecommendSettings; roles: ScoreRoles }): RecommendationOut[] {
  const link = plan.link ?? (o.roles.piRels.join('/') || 'RELATES_TO');
  const f = new Families<string>();
  const direct = f.family(1);
  const near = f.family(o.settings.lookalikeTaste);
  const byId = new Map<string, EngagerRow>();
  for (const row of engagers) {
    const id = String(row.props.id);
    byId.set(id, row);
    const v = consumerNode(row.props);
    const activity = Math.sqrt(Number(row.degree) + 1);
    for (const [key, rel, w] of row.via) {
      const c = ((o.roles.factors[rel] ?? 1) * damp(w)) / activity;
      if (key === plan.key) {
        direct(id, c, { kind: 'direct', n: 1, rels: [rel], nodes: [plan.src, v] });
        continue;
      }
      const j = m.itemIndex.get(key.slice('Product:'.length));
      const x = j === undefined ? undefined : plan.expansion.get(j);
      if (x && j !== undefined) near(id, x.p * c, { kind: 'audience', n: 1, rels: [link, rel], nodes: [plan.src, productNode(m, j), v] });
    }
  }
  // Directly linked consumers first (the first family a target has), then by score.
  return [...f.totals()]
    .sort((a, b) => a[1].first - b[1].first || b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.first)
    .map(([id, x]) => ({ entity: toEntity(byId.get(id)!.props, 'Consumer'), score: x.score, reasons: explain(x.paths, x.score, { coldStart: false }) }));
}

/**
 * Interests related to a product (its own, then those of its learned neighbours), to an
 * interest (its narrower and broader ones, then those its products share) or to a consumer
 * (those of their products and around their own interests, their own left out), all from the
 * model, re-ranked by exploration like products. Null when the model does not know the source.
 */
export function relatedInterests(
  m: RecommendModel,
  source: { product: number } | { interest: number } | { consumer: ConsumerProfile },
  o: { first: number; exploration: number; settings: RecommendSettings; roles: ScoreRoles },
): RecommendationOut[] {
  const { settings: s, roles } = o;
  const piRel = roles.piRels.join('/') || 'RELATES_TO';
  const f = new Families<number>();
  const direct = f.family(1);
  const twoHop = f.family(1);
  const interestsOf = (j: number) => m.itemInterests.idx.subarray(m.itemInterests.ptr[j]!, m.itemInterests.ptr[j + 1]!);
  const skip = new Set<number>();
  const around = (t0: number, src: Node, emit: typeof direct, rel0: string | null) => {
    for (const links of [m.narrower, m.broader]) {
      const end = Math.min(links.ptr[t0 + 1]!, links.ptr[t0]! + s.fanout);
      const n = end - links.ptr[t0]!;
      for (let q = links.ptr[t0]!; q < end; q++) {
        const t = links.idx[q]!;
        const rel = m.relNames[links.rel[q]!]!;
        emit(t, 1 / n, rel0 ? { kind: 'two-hop', n: 1, rels: [rel0, rel], nodes: [src, interestNode(m, t0), interestNode(m, t)] } : { kind: 'direct', n: 1, rels: [rel], nodes: [src, interestNode(m, t)] });
      }
    }
  };
  if ('product' in source) {
    const i = source.product;
    const src = productNode(m, i);
    const own = interestsOf(i);
    for (const t of own) direct(t, 1 / own.length, { kind: 'direct', n: 1, rels: [piRel], nodes: [src, interestNode(m, t)] });
    for (const [j, x] of expand(m, new Map([[i, 1]]), new Set([i]), s.fanout)) {
      const ts = interestsOf(j);
      for (const t of ts) twoHop(t, x.p / ts.length, { kind: 'two-hop', n: 1, rels: ['CO_ENGAGED', piRel], nodes: [src, productNode(m, j), interestNode(m, t)] });
    }
  } else if ('interest' in source) {
    const t0 = source.interest;
    skip.add(t0);
    const src = interestNode(m, t0);
    around(t0, src, direct, null);
    const from = m.interestItems.ptr[t0]!;
    const to = Math.min(m.interestItems.ptr[t0 + 1]!, from + s.fanout);
    for (let q = from; q < to; q++) {
      const j = m.interestItems.nbr[q]!;
      const ts = interestsOf(j);
      for (const t of ts) if (t !== t0) twoHop(t, m.interestItems.w[q]! / ts.length, { kind: 'two-hop', n: 1, rels: [piRel, piRel], nodes: [src, productNode(m, j), interestNode(m, t)] });
    }
  } else {
    const profile = source.consumer;
    const u: Node = { id: profile.consumer.id, key: profile.consumer.key ?? `Consumer:${profile.consumer.id}`, name: profile.consumer.name ?? profile.consumer.id, _type: 'Consumer' };
    for (const t of profile.interests) {
      const t0 = m.interestIndex.get(t.id);
      if (t0 !== undefined) skip.add(t0);
    }
    const seeds = consumerSeeds(m, profile, s, roles);
    for (const x of seeds.values()) {
      if (x.item !== undefined) {
        const ts = interestsOf(x.item);
        for (const t of ts) twoHop(t, x.p / ts.length, { kind: 'two-hop', n: 1, rels: [x.rel, piRel], nodes: [u, x.node, interestNode(m, t)] });
      } else {
        const t0 = m.interestIndex.get(String(x.node.id));
        if (t0 !== undefined) around(t0, u, (t, c, path) => twoHop(t, x.p * c, path), x.rel);
      }
    }
  }
  const found = [...f.totals()].filter(([t]) => !skip.has(t));
  const candidates = found.map(([t, x]) => ({ t, key: m.interests[t]!, score: x.score, consumers: 0, interests: [m.interests[t]!], paths: x.paths }));
  return rerank(candidates, { first: o.first, exploration: o.exploration, profile: new Set(), diversity: s.diversity }).map((c) => ({
    entity: toEntity({ id: m.interests[c.t]!, name: m.interestNames[c.t]!, ...(m.interestNamesEn[c.t] ? { name_en: m.interestNamesEn[c.t] } : {}) }, 'Interest'),
    score: c.score,
    reasons: explain(c.paths, c.score, { coldStart: false }),
  }));
}
