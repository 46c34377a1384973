import { isAnonymousType, readableLabel } from './elements.js';
import type { ApiEntity, ApiPath, Lang } from './types.js';

// Paths that differ only in which consumer they pass through say one thing ("SUV fans and
// pour-over drinkers share consumers"): five copies of "SUVs — consumer c_… — Pour-over coffee"
// become one route through "5 consumers". Pure: tested in Node.

export interface PathGroup {
  /** The strongest member, whose named nodes stand for the group. */
  path: ApiPath;
  members: ApiPath[];
  /** Per position of `path.nodes`: how many distinct consumers stand there (0 for a named node). */
  consumers: number[];
  /** Sum of the members' strengths: several consumers are more evidence than one. */
  strength: number;
}

/** Groups paths by their named nodes and relations (consumers as wildcards), strongest groups first, at most `max`. */
export function groupPaths(paths: ApiPath[], max: number): PathGroup[] {
  const groups = new Map<string, { members: ApiPath[]; seen: Set<string>[] }>();
  for (const p of paths) {
    const id = p.nodes.map((n) => (isAnonymousType(n.type) ? '*' : n.key)).join('>') + '|' + p.relations.join(',');
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { members: [], seen: p.nodes.map(() => new Set<string>()) }));
    g.members.push(p);
    p.nodes.forEach((n, i) => { if (isAnonymousType(n.type)) g!.seen[i]!.add(n.key); });
  }
  return [...groups.values()]
    .map((g) => ({ path: g.members[0]!, members: g.members, consumers: g.seen.map((s) => s.size), strength: g.members.reduce((s, p) => s + p.strength, 0) }))
    .sort((a, b) => b.strength - a.strength || a.path.nodes.length - b.path.nodes.length)
    .slice(0, max);
}

/** A step of a grouped path in words: a named entity, one consumer readably, or "5 consumers". */
export function stepLabel(node: ApiEntity, consumers: number, lang: Lang): string {
  if (consumers > 1) return lang === 'zh' ? `${consumers} 位消费者` : `${consumers} consumers`;
  return readableLabel(node, lang);
}
