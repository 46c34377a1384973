import type { RecommendModel } from '../model/model.js';
import { defaultSettings, type RecommendSettings } from '../settings.js';
import type { PersonIndex } from './persons.js';

/**
 * Audience ranking from the learned model (the one recommendProducts serves). A person's
 * propensity for a target (a product, or every product of an interest) is
 *
 *   rate(u) × Σ_families weight_f · contribution_f(u → target) / total_f(u),
 *
 * the second factor being exactly the score recommendProducts gives the target's products for
 * that person at exploration 0 (score.ts `scoreConsumer`: collab, profile, interest and similar
 * families, each normalised over the person's own candidates, what they engaged with left out;
 * the social family is left out here: it needs who each person follows), summed over the
 * target's products: the model's share of the person's next engagement that goes to the target.
 * `rate(u)` (purchases + weakFactor × views so far) turns that share into an expected number
 * of engagements ahead: a person who engages often converts more at the same share.
 * Exploration e multiplies by (1 − e · shows(u)), shows(u) being how much of the person's
 * history is already in the target's interests (their products' interests and their own):
 * at 0 the obvious buyers, higher those not showing the interest yet but linked to it.
 */

/** What is computed once per model and index (per back-test view): each person's seeds and family totals. */
export interface Prepared {
  /** Seeds (the strongest `seedCap` engaged products the model holds), normalised to sum 1. */
  seedPtr: Int32Array;
  seedItem: Int32Array;
  seedP: Float64Array;
  /** Expected engagements ahead (purchases + weakFactor × views), the propensity's scale. */
  rate: Float64Array;
  /** Per family, the person's total discounted mass over the products they have not engaged with. */
  zCollab: Float64Array;
  zSimilar: Float64Array;
  zProfile: Float64Array;
  zInterest: Float64Array;
  /** Profile family: the interests of the person's products, [interest, weight, via product]. */
  pPtr: Int32Array;
  pT: Int32Array;
  pW: Float64Array;
  pVia: Int32Array;
  /** Interest family flattened: [interest reached, weight p·f, own interest]. */
  kPtr: Int32Array;
  kT: Int32Array;
  kW: Float64Array;
  kOwn: Int32Array;
  /** Engagements that count (1), or are held out by a back-test view (0). */
  kept: Uint8Array;
}

type Settings = Pick<RecommendSettings, 'collab' | 'similar' | 'profile' | 'interest' | 'seedCap' | 'fanout' | 'interestCap' | 'narrower' | 'broader' | 'weakFactor'>;

/**
 * Seeds and family totals of every person (`held[e]` = 1 leaves engagement e out: a
 * back-test's held-out rows). The same walks as score.ts, summed over the person's candidates
 * once, so a request only adds up the target's part.
 */
export function preparePersons(m: RecommendModel, x: PersonIndex, s: Settings = defaultSettings, held?: Uint8Array): Prepared {
  const n = x.keys.length;
  const kept = new Uint8Array(x.item.length).fill(1);
  if (held) for (let e = 0; e < kept.length; e++) if (held[e]) kept[e] = 0;
  const seedPtr = new Int32Array(n + 1);
  const seedItem: number[] = [];
  const seedP: number[] = [];
  const rate = new Float64Array(n);
  const zCollab = new Float64Array(n);
  const zSimilar = new Float64Array(n);
  const zProfile = new Float64Array(n);
  const zInterest = new Float64Array(n);
  const pPtr = new Int32Array(n + 1);
  const pT: number[] = [];
  const pW: number[] = [];
  const pVia: number[] = [];
  const kPtr = new Int32Array(n + 1);
  const kT: number[] = [];
  const kW: number[] = [];
  const kOwn: number[] = [];
  const own = new Uint8Array(m.items.length);
  const ptAcc = new Map<number, { w: number; via: number; best: number }>();
  // Mass of an interest's first `fanout` products not engaged with.
  const interestMass = (t: number) => {
    let z = 0;
    const from = m.interestItems.ptr[t]!;
    const to = Math.min(m.interestItems.ptr[t + 1]!, from + s.fanout);
    for (let q = from; q < to; q++) if (!own[m.interestItems.nbr[q]!]) z += Math.max(0, m.interestItems.w[q]!);
    return z;
  };
  for (let u = 0; u < n; u++) {
    const from = x.ptr[u]!;
    const to = x.ptr[u + 1]!;
    const seeds: [number, number][] = [];
    let strongN = 0;
    let weakN = 0;
    for (let e = from; e < to; e++) {
      if (!kept[e]) continue;
      if (x.strong[e]) strongN++;
      else weakN++;
      const j = x.item[e]!;
      if (j < 0) continue;
      own[j] = 1;
      seeds.push([j, x.w[e]!]);
    }
    rate[u] = strongN + s.weakFactor * weakN;
    seeds.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const top = seeds.slice(0, s.seedCap);
    const total = top.reduce((t, y) => t + y[1], 0) || 1;
    let zc = 0;
    let zs = 0;
    ptAcc.clear();
    for (const [i, w] of top) {
      const p = w / total;
      seedItem.push(i);
      seedP.push(p);
      for (let q = m.collab.ptr[i]!; q < m.collab.ptr[i + 1]!; q++) {
        const v = m.collab.w[q]!;
        if (v > 0 && !own[m.collab.nbr[q]!]) zc += p * v;
      }
      for (let q = m.similar.ptr[i]!; q < m.similar.ptr[i + 1]!; q++) {
        const v = m.similar.w[q]!;
        if (v > 0 && !own[m.similar.nbr[q]!]) zs += p * v;
      }
      const f = m.itemInterests.ptr[i]!;
      const t1 = Math.min(m.itemInterests.ptr[i + 1]!, f + s.fanout);
      for (let q = f; q < t1; q++) {
        const t = m.itemInterests.idx[q]!;
        const share = p / (t1 - f);
        const cur = ptAcc.get(t);
        if (!cur) ptAcc.set(t, { w: share, via: i, best: share });
        else {
          cur.w += share;
          if (share > cur.best) [cur.best, cur.via] = [share, i];
        }
      }
    }
    seedPtr[u + 1] = seedItem.length;
    zCollab[u] = zc;
    zSimilar[u] = zs;
    let zp = 0;
    for (const [t, y] of [...ptAcc].sort((a, b) => b[1].w - a[1].w || a[0] - b[0]).slice(0, s.interestCap)) {
      pT.push(t);
      pW.push(y.w);
      pVia.push(y.via);
      zp += y.w * interestMass(t);
    }
    pPtr[u + 1] = pT.length;
    zProfile[u] = zp;
    // Interest family: own interests, their narrower and broader ones (score.ts).
    let intTotal = 0;
    for (let q = x.iPtr[u]!; q < x.iPtr[u + 1]!; q++) intTotal += x.iW[q]!;
    let zi = 0;
    for (let q = x.iPtr[u]!; q < x.iPtr[u + 1]!; q++) {
      const t0 = x.iIdx[q]!;
      const p = x.iW[q]! / (intTotal || 1);
      const steps: [number, number][] = [[t0, 1]];
      for (const [links, f] of [[m.narrower, s.narrower], [m.broader, s.broader]] as const) {
        const end = Math.min(links.ptr[t0 + 1]!, links.ptr[t0]! + s.fanout);
        for (let r = links.ptr[t0]!; r < end; r++) steps.push([links.idx[r]!, f]);
      }
      for (const [t, f] of steps) {
        kT.push(t);
        kW.push(p * f);
        kOwn.push(t0);
        zi += p * f * interestMass(t);
      }
    }
    kPtr[u + 1] = kT.length;
    zInterest[u] = zi;
    for (let e = from; e < to; e++) if (x.item[e]! >= 0) own[x.item[e]!] = 0;
  }
  return {
    seedPtr,
    seedItem: Int32Array.from(seedItem),
    seedP: Float64Array.from(seedP),
    rate,
    zCollab,
    zSimilar,
    zProfile,
    zInterest,
    pPtr,
    pT: Int32Array.from(pT),
    pW: Float64Array.from(pW),
    pVia: Int32Array.from(pVia),
    kPtr,
    kT: Int32Array.from(kT),
    kW: Float64Array.from(kW),
    kOwn: Int32Array.from(kOwn),
    kept,
  };
}

/** A target as positions in the model: its products (`items` mask) and its interests (`interests` mask). */
export interface Target {
  items: Uint8Array;
  interests: Uint8Array;
  /** The interest each target product is reached through (−1 for a product target). */
  via: Int32Array;
  /** The interest target itself (−1 for a product target). */
  interest: number;
  count: number;
}

/** Interests under `t0` (itself included), following the model's narrower lists transitively. */
export function interestsUnder(m: RecommendModel, t0: number): number[] {
  const seen = new Set<number>([t0]);
  const queue = [t0];
  while (queue.length) {
    const t = queue.shift()!;
    for (let q = m.narrower.ptr[t]!; q < m.narrower.ptr[t + 1]!; q++) {
      const c = m.narrower.idx[q]!;
      if (!seen.has(c)) {
        seen.add(c);
        queue.push(c);
      }
    }
  }
  return [...seen];
}

/** A product target: the product, its interests (for exploration's "already shows it"). */
export function productTarget(m: RecommendModel, j: number): Target {
  const items = new Uint8Array(m.items.length);
  items[j] = 1;
  const interests = new Uint8Array(m.interests.length);
  for (let q = m.itemInterests.ptr[j]!; q < m.itemInterests.ptr[j + 1]!; q++) interests[m.itemInterests.idx[q]!] = 1;
  return { items, interests, via: new Int32Array(m.items.length).fill(-1), interest: -1, count: 1 };
}

/** An interest target: every product relating to it (with `under`, to it or to any interest under it). */
export function interestTarget(m: RecommendModel, t0: number, under: boolean): Target {
  const interests = new Uint8Array(m.interests.length);
  for (const t of under ? interestsUnder(m, t0) : [t0]) interests[t] = 1;
  const items = new Uint8Array(m.items.length);
  const via = new Int32Array(m.items.length).fill(-1);
  let count = 0;
  for (let j = 0; j < m.items.length; j++) {
    for (let q = m.itemInterests.ptr[j]!; q < m.itemInterests.ptr[j + 1]!; q++) {
      const t = m.itemInterests.idx[q]!;
      if (interests[t]) {
        if (!items[j]) count++;
        items[j] = 1;
        via[j] = t;
        break;
      }
    }
  }
  return { items, interests, via, interest: t0, count };
}

/** Per request: how much of each product's, interest's lists lands on the target. */
function targetMass(m: RecommendModel, t: Target, fanout: number) {
  const sum = (lists: { ptr: Int32Array; nbr: Int32Array; w: Float32Array }, n: number, cap = Infinity) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const end = Math.min(lists.ptr[i + 1]!, lists.ptr[i]! + cap);
      let c = 0;
      for (let q = lists.ptr[i]!; q < end; q++) if (t.items[lists.nbr[q]!] && lists.w[q]! > 0) c += lists.w[q]!;
      out[i] = c;
    }
    return out;
  };
  return { collab: sum(m.collab, m.items.length), similar: sum(m.similar, m.items.length), interest: sum(m.interestItems, m.interests.length, fanout) };
}

export interface Scored {
  /** Propensity after exploration (0 for the ineligible and the unlinked). */
  score: Float64Array;
  /** The model's share before rate and exploration (what reasons' shares are of). */
  share: Float64Array;
  /** 1 when the person may be in the audience: has not engaged with the target (in the kept engagements), not excluded. */
  eligible: Uint8Array;
  /** How much of the person's history already shows the target's interests, 0..1. */
  shows: Float64Array;
}

/**
 * Every person's propensity for the target (see the top of this file). Persons who engaged
 * with a target product (in the kept engagements) or in `exclude` are not eligible.
 */
export function scorePersons(
  m: RecommendModel,
  x: PersonIndex,
  prep: Prepared,
  target: Target,
  o: { exploration: number; settings?: Settings; exclude?: ReadonlySet<number> },
): Scored {
  const s = o.settings ?? defaultSettings;
  const n = x.keys.length;
  const mass = targetMass(m, target, s.fanout);
  const score = new Float64Array(n);
  const share = new Float64Array(n);
  const eligible = new Uint8Array(n);
  const shows = new Float64Array(n);
  const e = Math.min(1, Math.max(0, o.exploration));
  for (let u = 0; u < n; u++) {
    let engaged = o.exclude?.has(u) ?? false;
    for (let q = x.ptr[u]!; q < x.ptr[u + 1]! && !engaged; q++) if (prep.kept[q] && x.item[q]! >= 0 && target.items[x.item[q]!]) engaged = true;
    if (engaged) continue;
    eligible[u] = 1;
    let c = 0;
    let sim = 0;
    let inInterest = 0;
    for (let q = prep.seedPtr[u]!; q < prep.seedPtr[u + 1]!; q++) {
      const i = prep.seedItem[q]!;
      const p = prep.seedP[q]!;
      c += p * mass.collab[i]!;
      sim += p * mass.similar[i]!;
      const f = m.itemInterests.ptr[i]!;
      const t1 = m.itemInterests.ptr[i + 1]!;
      if (t1 > f) {
        let hit = 0;
        for (let r = f; r < t1; r++) if (target.interests[m.itemInterests.idx[r]!]) hit++;
        inInterest += (p * hit) / (t1 - f);
      }
    }
    let prof = 0;
    for (let q = prep.pPtr[u]!; q < prep.pPtr[u + 1]!; q++) prof += prep.pW[q]! * mass.interest[prep.pT[q]!]!;
    let int = 0;
    for (let q = prep.kPtr[u]!; q < prep.kPtr[u + 1]!; q++) int += prep.kW[q]! * mass.interest[prep.kT[q]!]!;
    const sh =
      (prep.zCollab[u]! > 0 ? (s.collab * c) / prep.zCollab[u]! : 0) +
      (prep.zSimilar[u]! > 0 ? (s.similar * sim) / prep.zSimilar[u]! : 0) +
      (prep.zProfile[u]! > 0 ? (s.profile * prof) / prep.zProfile[u]! : 0) +
      (prep.zInterest[u]! > 0 ? (s.interest * int) / prep.zInterest[u]! : 0);
    // Own interests in the target's interests, as a share of the person's interests.
    let ownTotal = 0;
    let ownIn = 0;
    for (let q = x.iPtr[u]!; q < x.iPtr[u + 1]!; q++) {
      ownTotal += x.iW[q]!;
      if (target.interests[x.iIdx[q]!]) ownIn += x.iW[q]!;
    }
    const hasSeeds = prep.seedPtr[u + 1]! > prep.seedPtr[u]!;
    const parts = (hasSeeds ? 1 : 0) + (ownTotal > 0 ? 1 : 0);
    shows[u] = parts ? ((hasSeeds ? inInterest : 0) + (ownTotal > 0 ? ownIn / ownTotal : 0)) / parts : 0;
    share[u] = sh;
    score[u] = sh * Math.max(prep.rate[u]!, s.weakFactor) * (1 - e * shows[u]!);
  }
  return { score, share, eligible, shows };
}

/** Positions of the `size` strongest eligible persons with a score above 0 (ties: key order), strongest first. */
export function topPersons(scored: Pick<Scored, 'score' | 'eligible'>, size: number, among?: Uint8Array): number[] {
  const out: number[] = [];
  for (let u = 0; u < scored.score.length; u++) if (scored.eligible[u] && scored.score[u]! > 0 && (!among || among[u])) out.push(u);
  out.sort((a, b) => scored.score[b]! - scored.score[a]! || a - b);
  return out.slice(0, size);
}
