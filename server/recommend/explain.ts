import { toEntity, type EntityShape } from '../graph/entity.js';

/** A path as the queries return it: nodes with their type, relation names, contribution. */
export interface RawPath {
  kind: string;
  /** Contribution to the score. */
  c: number;
  /** How many parallel walks it stands for (shared consumers, aggregated consumers). */
  n: number;
  /** Set when consumers in the middle were aggregated away (related()). */
  crowd?: string | null;
  rels: string[];
  nodes: Record<string, unknown>[];
}

export interface PathOut {
  nodes: EntityShape[];
  relations: string[];
  strength: number;
}

export interface ReasonOut {
  path: PathOut;
  share: number;
  text: string;
  textZh: string;
}

/** What the sentence generator needs to know about the asking consumer. */
export interface ExplainContext {
  /** The consumer has no engagement: say so in every reason. */
  coldStart: boolean;
}

const verbEn: Record<string, string> = { PURCHASED: 'bought', VIEWED: 'viewed', INTERESTED_IN: 'are interested in', FOLLOWS: 'follow' };
const verbZh: Record<string, string> = { PURCHASED: '购买过', VIEWED: '浏览过', INTERESTED_IN: '关注', FOLLOWS: '关注' };
/** Verb of a hop; a merged hop ("PURCHASED/VIEWED") names each of its relations. */
const en = (rel: string | undefined) => (rel ? [...new Set(rel.split('/').map((r) => verbEn[r] ?? 'engaged with'))].join(' and ') : 'engaged with');
const zh = (rel: string | undefined) => (rel ? [...new Set(rel.split('/').map((r) => verbZh[r] ?? '接触过'))].join('并') : '接触过');

function nodeOf(props: Record<string, unknown>): EntityShape {
  const { _type, ...rest } = props;
  return toEntity(rest, String(_type ?? 'Entity'));
}

/** Display name: English name where there is one, else the name. */
const label = (e: EntityShape | undefined) => (e ? (e.nameEn ?? e.name) : '?');
const labelZh = (e: EntityShape | undefined) => (e ? e.name : '?');

/** English and Chinese sentence for one path of a result. */
export function sentence(path: RawPath, nodes: EntityShape[], ctx: ExplainContext): { text: string; textZh: string } {
  const [a, b, c] = nodes;
  const cold = ctx.coldStart ? ' (you have no purchases yet, so this follows your interests)' : '';
  const coldZh = ctx.coldStart ? '（你还没有购买记录，因此依据你的兴趣）' : '';
  switch (path.kind) {
    case 'collab':
      if (nodes.length === 2) {
        return {
          text: `Consumers who engaged with "${label(a)}" also chose "${label(b)}".`,
          textZh: `与「${labelZh(a)}」互动的消费者也选择了「${labelZh(b)}」。`,
        };
      }
      // n = 0: a learned weight, not a count of shared consumers (server/recommend/model).
      return {
        text: `You ${en(path.rels[0])} "${label(b)}"; ${path.n ? `${path.n} consumer${path.n === 1 ? '' : 's'}` : 'consumers'} who did too also chose "${label(c)}".`,
        textZh: `你${zh(path.rels[0])}「${labelZh(b)}」，同样如此的${path.n ? ` ${path.n} 位` : ''}消费者也选择了「${labelZh(c)}」。`,
      };
    case 'similar':
      return {
        text: `"${label(c)}" is similar to "${label(b)}", which you ${en(path.rels[0])}.`,
        textZh: `「${labelZh(c)}」与你${zh(path.rels[0])}的「${labelZh(b)}」相似。`,
      };
    case 'profile':
      return {
        text: `Like "${label(b)}", which you ${en(path.rels[0])}, it relates to "${label(c)}".`,
        textZh: `与你${zh(path.rels[0])}的「${labelZh(b)}」一样，它与「${labelZh(c)}」相关。`,
      };
    case 'interest':
      if (nodes.length === 4) {
        return {
          text: `Relates to "${label(c)}", linked to your interest in "${label(b)}"${cold}.`,
          textZh: `它与「${labelZh(c)}」相关，而「${labelZh(c)}」与你关注的「${labelZh(b)}」相连${coldZh}。`,
        };
      }
      return {
        text: `Matches your interest in "${label(b)}"${cold}.`,
        textZh: `符合你对「${labelZh(b)}」的兴趣${coldZh}。`,
      };
    case 'social':
      return {
        text: `A consumer you follow ${en(path.rels[1])} it${cold}.`,
        textZh: `你关注的一位消费者${zh(path.rels[1])}它${coldZh}。`,
      };
    case 'revisit':
      return {
        text: `You ${en(path.rels[0])} "${label(b)}" and have not bought it yet.`,
        textZh: `你${zh(path.rels[0])}「${labelZh(b)}」，但还没有购买。`,
      };
    case 'popular':
      return {
        text: ctx.coldStart
          ? `Popular with ${path.n} consumers; you have no purchases or interests yet, so this is what most people choose.`
          : `Popular with ${path.n} consumers.`,
        textZh: ctx.coldStart
          ? `${path.n} 位消费者选择了它；你还没有购买或兴趣记录，因此推荐大多数人的选择。`
          : `${path.n} 位消费者选择了它。`,
      };
    case 'direct':
      return {
        text: `"${label(a)}" and "${label(b)}" are directly linked (${path.rels[0]}).`,
        textZh: `「${labelZh(a)}」与「${labelZh(b)}」直接相连（${path.rels[0]}）。`,
      };
    case 'two-hop':
      if (path.crowd) {
        return {
          text: `${path.n} consumer${path.n === 1 ? '' : 's'} linked to "${label(a)}" ${path.n === 1 ? 'is' : 'are'} also linked to "${label(b)}".`,
          textZh: `与「${labelZh(a)}」相关的 ${path.n} 位消费者也与「${labelZh(b)}」相关。`,
        };
      }
      return {
        text: `"${label(a)}" and "${label(c)}" are both linked to "${label(b)}".`,
        textZh: `「${labelZh(a)}」与「${labelZh(c)}」都与「${labelZh(b)}」相连。`,
      };
    case 'taste':
      // Lookalikes through the model: the other consumer chose a product learned to go with one of yours.
      return {
        text: `You ${en(path.rels[0])} "${label(b)}"; they ${en(path.rels[2])} "${label(c)}", which goes with it.`,
        textZh: `你${zh(path.rels[0])}「${labelZh(b)}」，对方${zh(path.rels[2])}与之相配的「${labelZh(c)}」。`,
      };
    case 'followed':
      return { text: 'You follow this consumer.', textZh: '你关注了这位消费者。' };
    case 'audience':
      return {
        text: `"${label(c)}" ${en(path.rels[1]).replace(/^are /, 'is ')} "${label(b)}", which goes with "${label(a)}".`,
        textZh: `「${labelZh(c)}」${zh(path.rels[1])}与「${labelZh(a)}」相配的「${labelZh(b)}」。`,
      };
    case 'shared':
      return {
        text: `Both ${en(path.rels[0])} "${label(b)}".`,
        textZh: `你们都${zh(path.rels[0])}「${labelZh(b)}」。`,
      };
    default:
      return { text: `Linked through ${path.rels.join(', ')}.`, textZh: `通过 ${path.rels.join('、')} 相连。` };
  }
}

const nodeId = (n: Record<string, unknown>) => String(n.key ?? `${String(n._type)}:${String(n.id)}`);

/**
 * Merges paths of the same kind through the same nodes (e.g. a product the consumer both
 * bought and viewed): their contributions and walk counts add up and each hop names every
 * relation it was reached by ("PURCHASED/VIEWED"). Strongest first.
 */
export function mergePaths(paths: readonly RawPath[]): RawPath[] {
  const byRoute = new Map<string, RawPath>();
  for (const p of paths) {
    const route = `${p.kind}|${p.crowd ?? ''}|${p.nodes.map(nodeId).join('>')}`;
    const seen = byRoute.get(route);
    if (!seen) {
      byRoute.set(route, { ...p, rels: [...p.rels] });
      continue;
    }
    seen.c += p.c;
    seen.n = Math.max(seen.n, p.n);
    seen.rels = seen.rels.map((r, i) => {
      const names = new Set(r.split('/'));
      for (const x of (p.rels[i] ?? '').split('/')) if (x) names.add(x);
      return [...names].join('/');
    });
  }
  return [...byRoute.values()].sort((a, b) => b.c - a.c);
}

/**
 * Turns a result's strongest raw paths (at most 3 after merging those through the same
 * nodes) into reasons with their share of the score. Consumers aggregated away in the middle
 * of a path leave a two-node path whose one relation names the aggregation, so no consumer
 * is named.
 */
export function explain(paths: RawPath[], score: number, ctx: ExplainContext): ReasonOut[] {
  return mergePaths(paths).slice(0, 3).map((p) => {
    const nodes = p.nodes.map(nodeOf);
    const relations = p.crowd ? [`${[...new Set(p.rels.flatMap((r) => r.split('/')))].join('/')} (via consumers)`] : p.rels;
    return {
      path: { nodes, relations, strength: p.c },
      share: score > 0 ? Math.min(1, p.c / score) : 0,
      ...sentence(p, nodes, ctx),
    };
  });
}
