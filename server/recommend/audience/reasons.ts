import { toEntity, type EntityShape } from '../../graph/entity.js';
import type { ReasonOut } from '../explain.js';
import type { RecommendModel } from '../model/model.js';
import { defaultSettings, type RecommendSettings } from '../settings.js';
import type { PersonIndex } from './persons.js';
import type { Prepared, Scored, Target } from './rank.js';

type Settings = Pick<RecommendSettings, 'collab' | 'similar' | 'profile' | 'interest' | 'fanout' | 'weakFactor'>;

interface Route {
  c: number;
  nodes: EntityShape[];
  relations: string[];
  text: string;
  textZh: string;
}

const product = (m: RecommendModel, j: number) => toEntity({ id: m.items[j]!, name: m.names[j]!, ...(m.namesEn[j] ? { name_en: m.namesEn[j] } : {}) }, 'Product');
const interest = (m: RecommendModel, t: number) => toEntity({ id: m.interests[t]!, name: m.interestNames[t]!, ...(m.interestNamesEn[t] ? { name_en: m.interestNamesEn[t] } : {}) }, 'Interest');
const label = (e: EntityShape) => e.nameEn ?? e.name;

/** The strongest target product in interest t's first `fanout` products, or −1. */
function bestIn(m: RecommendModel, t: number, target: Target, fanout: number): number {
  let best = -1;
  let bestW = 0;
  const from = m.interestItems.ptr[t]!;
  const to = Math.min(m.interestItems.ptr[t + 1]!, from + fanout);
  for (let q = from; q < to; q++) {
    const j = m.interestItems.nbr[q]!;
    if (target.items[j] && m.interestItems.w[q]! > bestW) [best, bestW] = [j, m.interestItems.w[q]!];
  }
  return best;
}

/**
 * Up to three reasons for person u in the target's audience: the routes of the model that
 * carry most of their share (a product they engaged with that the model links to a target
 * product, an interest of their products, one of their own interests), each with its share of
 * the person's score (the routes split the score, so shares add up to at most 1). For an
 * interest target, a path ends at the interest it goes through. Paths name no other consumer.
 */
export function audienceReasons(
  m: RecommendModel,
  x: PersonIndex,
  prep: Prepared,
  scored: Scored,
  target: Target,
  u: number,
  o: { settings?: Settings; piRel: string; taxRel: string; relOf: (u: number, j: number) => string },
): ReasonOut[] {
  const s = o.settings ?? defaultSettings;
  const total = scored.share[u]!;
  if (!(total > 0)) return [];
  const person = toEntity({ id: x.persons[u]!, name: x.persons[u]! }, 'Consumer');
  const routes: Route[] = [];
  // The tail of a path at a target product: for an interest target, the interest it is under.
  const tail = (j: number): { nodes: EntityShape[]; relations: string[]; what: string; whatZh: string } => {
    const p = product(m, j);
    if (target.interest < 0) return { nodes: [p], relations: [], what: `"${label(p)}"`, whatZh: `「${p.name}」` };
    const via = interest(m, target.via[j]!);
    const top = interest(m, target.interest);
    const up = target.via[j] !== target.interest;
    return {
      nodes: up ? [p, via, top] : [p, via],
      relations: up ? [o.piRel, o.taxRel] : [o.piRel],
      what: `"${label(p)}" (${up ? `under "${label(top)}"` : `"${label(via)}"`})`,
      whatZh: `「${p.name}」（${up ? `属于「${top.name}」` : `「${via.name}」`}）`,
    };
  };
  const zc = prep.zCollab[u]!;
  const zs = prep.zSimilar[u]!;
  for (let q = prep.seedPtr[u]!; q < prep.seedPtr[u + 1]!; q++) {
    const i = prep.seedItem[q]!;
    const p = prep.seedP[q]!;
    const rel = o.relOf(u, i);
    for (const [lists, z, weight, kind] of [[m.collab, zc, s.collab, 'collab'], [m.similar, zs, s.similar, 'similar']] as const) {
      if (!(z > 0)) continue;
      for (let r = lists.ptr[i]!; r < lists.ptr[i + 1]!; r++) {
        const j = lists.nbr[r]!;
        const w = lists.w[r]!;
        if (!target.items[j] || !(w > 0)) continue;
        const t = tail(j);
        const src = product(m, i);
        const linkRel = kind === 'collab' ? 'CO_ENGAGED' : m.relNames[m.similar.rel[r]!]!;
        routes.push({
          c: (weight * p * w) / z,
          nodes: [person, src, ...t.nodes],
          relations: [rel, linkRel, ...t.relations],
          text: kind === 'collab' ? `Engaged with "${label(src)}"; the model learned that it goes with ${t.what}.` : `Engaged with "${label(src)}", which is similar to ${t.what}.`,
          textZh: kind === 'collab' ? `接触过「${src.name}」；模型学到它与${t.whatZh}相配。` : `接触过与${t.whatZh}相似的「${src.name}」。`,
        });
      }
    }
  }
  const zp = prep.zProfile[u]!;
  if (zp > 0) {
    for (let q = prep.pPtr[u]!; q < prep.pPtr[u + 1]!; q++) {
      const t = prep.pT[q]!;
      const j = bestIn(m, t, target, s.fanout);
      if (j < 0) continue;
      const c = (s.profile * prep.pW[q]! * interestMassOn(m, t, target, s.fanout)) / zp;
      const via = product(m, prep.pVia[q]!);
      const tt = interest(m, t);
      const p = product(m, j);
      const end = tail(j);
      routes.push({
        c,
        nodes: [person, via, tt, ...end.nodes],
        relations: [o.relOf(u, prep.pVia[q]!), o.piRel, o.piRel, ...end.relations],
        text: `Engaged with "${label(via)}", which relates to "${label(tt)}", like "${label(p)}".`,
        textZh: `接触过与「${tt.name}」相关的「${via.name}」，「${p.name}」也与之相关。`,
      });
    }
  }
  const zi = prep.zInterest[u]!;
  if (zi > 0) {
    for (let q = prep.kPtr[u]!; q < prep.kPtr[u + 1]!; q++) {
      const t = prep.kT[q]!;
      const j = bestIn(m, t, target, s.fanout);
      if (j < 0) continue;
      const c = (s.interest * prep.kW[q]! * interestMassOn(m, t, target, s.fanout)) / zi;
      const own = interest(m, prep.kOwn[q]!);
      const p = product(m, j);
      const step = t !== prep.kOwn[q]! ? interest(m, t) : null;
      const end = tail(j);
      routes.push({
        c,
        nodes: step ? [person, own, step, ...end.nodes] : [person, own, ...end.nodes],
        relations: step ? ['INTERESTED_IN', o.taxRel, o.piRel, ...end.relations] : ['INTERESTED_IN', o.piRel, ...end.relations],
        text: step ? `Interested in "${label(own)}", linked to "${label(step)}", which "${label(p)}" relates to.` : `Interested in "${label(own)}", which "${label(p)}" relates to.`,
        textZh: step ? `关注「${own.name}」，它与「${step.name}」相连，「${p.name}」与之相关。` : `关注「${own.name}」，「${p.name}」与之相关。`,
      });
    }
  }
  const scale = scored.score[u]! / total;
  return routes
    .filter((r) => r.c > 0)
    .sort((a, b) => b.c - a.c)
    .slice(0, 3)
    .map((r) => ({ path: { nodes: r.nodes, relations: r.relations, strength: r.c * scale }, share: Math.min(1, r.c / total), text: r.text, textZh: r.textZh }));
}

function interestMassOn(m: RecommendModel, t: number, target: Target, fanout: number): number {
  let c = 0;
  const from = m.interestItems.ptr[t]!;
  const to = Math.min(m.interestItems.ptr[t + 1]!, from + fanout);
  for (let q = from; q < to; q++) if (target.items[m.interestItems.nbr[q]!] && m.interestItems.w[q]! > 0) c += m.interestItems.w[q]!;
  return c;
}
