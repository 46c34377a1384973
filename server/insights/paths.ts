import { CONSUMER_HOP_GROUPS, ELEMENT_IDS, NODE_DEGREES, pathConnectQuery, pathExpandQuery } from './queries.js';
import type { Database } from '../db/neo4j.js';
import type { EntityShape } from '../graph/entity.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { entitiesByKeys, resolveEntity } from '../graph/entity.js';
import { badInput } from '../core/errors.js';
import { checkInteger, domainLimits } from '../core/limits.js';

export interface PathOptions {
  from: string;
  fromType?: string | null;
  to: string;
  toType?: string | null;
  maxLength?: number;
  first?: number;
  pseudonymSecret: string;
  /** Neighbours kept per node and hop (by weight × hub penalty). */
  fanout?: number;
  /** Nodes kept per search layer (by partial strength). */
  beam?: number;
  /**
   * For callers who may not see individual consumers: a path through a consumer is kept only
   * when at least this many consumers make the same hop (k-anonymity); 0 or 1 keeps every path.
   */
  minConsumerGroup?: number;
}

export interface PathResult {
  nodes: EntityShape[];
  relations: string[];
  strength: number;
}

interface TreeNode {
  key: string;
  eid: string;
  parent: string | null;
  rel: string | null;
  depth: number;
  /** Product of edge strengths and hub penalties of the nodes between the root and this node (this node's own penalty excluded). */
  strength: number;
  penalty: number;
}

/** The role of identity links (`SAME_AS`, issue 18): one person's ids, not a relation between entities. */
const IDENTITY_ROLE: string = 'identity';

/**
 * The relations a path may walk: the vocabulary's allow-list without its identity relations
 * (`SAME_AS` would join a consumer's ids into a "path"; `HAS_IDENTIFIER` is not in the
 * vocabulary and ends at a `KgIdentifier`, which is no `:Entity`, so it is never walked either).
 */
export function pathRelations(vocabulary: Vocabulary): string[] {
  return vocabulary.relations.filter((r) => r.role !== IDENTITY_ROLE).map((r) => r.name);
}

/** Hub penalty of an intermediate node: 1/sqrt(1 + degree). */
export const hubPenalty = (degree: number) => 1 / Math.sqrt(1 + Math.max(0, degree));

/**
 * The strongest distinct paths between two entities, up to `maxLength` relations. Each path's
 * strength is the product of its edges' log-damped, normalised weights ln(1+w)/(1+ln(1+w)) and
 * of a hub penalty 1/sqrt(1+degree) for every node in between, so routes through popular hubs
 * lose to niche strong ones. Cost is bounded: a bidirectional search keeps `fanout` neighbours
 * per node and `beam` nodes per layer, then joins the two trees over one uncapped hop.
 */
export async function strongestPaths(db: Database, vocabulary: Vocabulary, o: PathOptions): Promise<PathResult[]> {
  const maxLength = o.maxLength ?? 4;
  const first = o.first ?? 5;
  checkInteger('maxLength', maxLength, 1, domainLimits.pathsMaxLength);
  checkInteger('first', first, 1, domainLimits.pathsFirst);
  const [a, b] = await Promise.all([
    resolveEntity({ db, vocabulary, pseudonymSecret: o.pseudonymSecret }, o.from, o.fromType),
    resolveEntity({ db, vocabulary, pseudonymSecret: o.pseudonymSecret }, o.to, o.toType),
  ]);
  if (a.key === b.key) throw badInput('from and to name the same entity');
  const relations = pathRelations(vocabulary);
  const fanout = o.fanout ?? 25;
  const beam = o.beam ?? 150;
  const exclude = [a.key, b.key];
  const expandQuery = pathExpandQuery(relations, vocabulary);

  // Layers A from `a` and B from `b`; together with the joining hop they span maxLength.
  const depthA = Math.ceil((maxLength - 1) / 2);
  const depthB = Math.floor((maxLength - 1) / 2);
  const rootIds = new Map((await db.read('insights-paths-roots', ELEMENT_IDS, { keys: [a.key, b.key] })).map((r) => [String(r.key), String(r.eid)]));
  const grow = async (root: string, depth: number): Promise<Map<string, TreeNode>> => {
    const tree = new Map<string, TreeNode>([[root, { key: root, eid: rootIds.get(root)!, parent: null, rel: null, depth: 0, strength: 1, penalty: 1 }]]);
    let frontier = [root];
    for (let d = 1; d <= depth && frontier.length > 0; d++) {
      const rows = await db.read('insights-paths-expand', expandQuery, { frontier, exclude: [...exclude, ...tree.keys()], fanout });
      const layer = new Map<string, TreeNode>();
      for (const r of rows) {
        const parent = tree.get(String(r.from))!;
        const strength = parent.strength * parent.penalty * Number(r.nw);
        const key = String(r.key);
        const known = layer.get(key);
        if (!known || known.strength < strength) {
          layer.set(key, { key, eid: String(r.eid), parent: parent.key, rel: String(r.rel), depth: d, strength, penalty: hubPenalty(Number(r.deg)) });
        }
      }
      const kept = [...layer.values()].sort((x, y) => y.strength * y.penalty - x.strength * x.penalty).slice(0, beam);
      for (const n of kept) tree.set(n.key, n);
      frontier = kept.map((n) => n.key);
    }
    return tree;
  };
  const [treeA, treeB] = await Promise.all([grow(a.key, depthA), grow(b.key, depthB)]);
  // Roots are endpoints, never penalised.
  treeA.get(a.key)!.penalty = 1;
  treeB.get(b.key)!.penalty = 1;

  // Expand the meeting hop from the smaller tree; match the other by element id.
  const aSmaller = treeA.size <= treeB.size;
  const [small, large] = aSmaller ? [treeA, treeB] : [treeB, treeA];
  const byEid = new Map([...large.values()].map((n) => [n.eid, n.key]));
  const rows = (
    await db.read('insights-paths-connect', pathConnectQuery(relations, vocabulary), { fromKeys: [...small.keys()], toIds: [...byEid.keys()] })
  ).map((r) => {
    const other = byEid.get(String(r.toId))!;
    return aSmaller ? { ak: String(r.fk), bk: other, rel: r.rel, nw: r.nw } : { ak: other, bk: String(r.fk), rel: r.rel, nw: r.nw };
  });
  const chain = (tree: Map<string, TreeNode>, key: string) => {
    const nodes: string[] = [];
    const rels: string[] = [];
    for (let n = tree.get(key); n; n = n.parent ? tree.get(n.parent) : undefined) {
      nodes.push(n.key);
      if (n.rel) rels.push(n.rel);
    }
    return { nodes, rels };
  };
  const candidates = new Map<string, { nodes: string[]; relations: string[]; strength: number }>();
  for (const r of rows) {
    const x = treeA.get(String(r.ak));
    const y = treeB.get(String(r.bk));
    if (!x || !y || x.depth + y.depth + 1 > maxLength) continue;
    const left = chain(treeA, x.key);
    const right = chain(treeB, y.key);
    const nodes = [...left.nodes.reverse(), ...right.nodes];
    if (new Set(nodes).size !== nodes.length) continue;
    const relationsOnPath = [...left.rels.reverse(), String(r.rel), ...right.rels];
    const strength = x.strength * x.penalty * Number(r.nw) * y.penalty * y.strength;
    const id = nodes.join('>') + '|' + relationsOnPath.join(',');
    if ((candidates.get(id)?.strength ?? -1) < strength) candidates.set(id, { nodes, relations: relationsOnPath, strength });
  }
  const ranked = [...candidates.values()].sort((p, q) => q.strength - p.strength || p.nodes.length - q.nodes.length);
  const best = await withoutSmallConsumerGroups(db, ranked, first, o.minConsumerGroup ?? 0);
  const entities = await entitiesByKeys(db, vocabulary, best.flatMap((p) => p.nodes));
  return best.flatMap((p) => {
    const nodes = p.nodes.map((k) => entities.get(k));
    return nodes.every(Boolean) ? [{ nodes: nodes as EntityShape[], relations: p.relations, strength: p.strength }] : [];
  });
}

type Candidate = { nodes: string[]; relations: string[]; strength: number };

const isConsumerKey = (key: string) => key.startsWith('Consumer:');

/** The consumer steps of a path (entity, relation, consumer, relation, entity), keyed by what they join. */
const consumerHops = (p: Candidate) =>
  p.nodes.flatMap((key, i) =>
    isConsumerKey(key) && i > 0 && i < p.nodes.length - 1
      ? [{ id: `${p.nodes[i - 1]}|${p.relations[i - 1]}|${p.relations[i]}|${p.nodes[i + 1]}`, a: p.nodes[i - 1]!, ra: p.relations[i - 1]!, rb: p.relations[i]!, b: p.nodes[i + 1]! }]
      : [],
  );

/**
 * The first `first` of `ranked` whose every consumer hop is made by at least `k` persons: a
 * reader must not learn that one to k − 1 persons link two entities (five ids of two persons are two). Checked a page at a
 * time, so a request costs one count query per page of candidates, not per path.
 */
async function withoutSmallConsumerGroups(db: Database, ranked: Candidate[], first: number, k: number): Promise<Candidate[]> {
  if (k <= 1) return ranked.slice(0, first);
  const kept: Candidate[] = [];
  const page = Math.max(first * 2, 10);
  for (let start = 0; start < ranked.length && kept.length < first; start += page) {
    const batch = ranked.slice(start, start + page);
    const hopsByPath = batch.map(consumerHops);
    const hops = new Map(hopsByPath.flat().map((h) => [h.id, h]));
    const groups = new Map<string, number>();
    if (hops.size > 0) {
      for (const r of await db.read('insights-paths-consumer-groups', CONSUMER_HOP_GROUPS, { hops: [...hops.values()], k })) groups.set(String(r.id), Number(r.n));
    }
    batch.forEach((p, i) => {
      if (kept.length < first && hopsByPath[i]!.every((h) => (groups.get(h.id) ?? 0) >= k)) kept.push(p);
    });
  }
  return kept;
}

/** Degrees used for hub penalties (exported for explanations and tests). */
export async function hubDegrees(db: Database, keys: string[]): Promise<Map<string, number>> {
  const rows = await db.read('insights-degrees', NODE_DEGREES, { keys });
  return new Map(rows.map((r) => [String(r.key), Number(r.deg)]));
}
