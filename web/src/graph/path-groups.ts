import { apiEdgeToElement, entityToNode, isAnonymousType, moreBadge, readableLabel, type RankedNeighbour } from './elements.js';
import type { ApiEntity, ApiPath, GraphElement, Lang } from './types.js';
import { isReversedStep } from './vocabulary.js';

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

/** A consumer the caller's role may not see (reader): one per route, never listed or added. */
export const withheldKey = 'Consumer:withheld';

/** Groups paths by their named nodes and relations (consumers as wildcards), strongest groups first, at most `max`. */
export function groupPaths(paths: ApiPath[], max: number): PathGroup[] {
  const groups = new Map<string, { members: ApiPath[]; seen: Set<string>[] }>();
  for (const p of paths) {
    const id = p.nodes.map((n) => (isAnonymousType(n.type) ? '*' : n.key)).join('>') + '|' + p.relations.join(',');
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { members: [], seen: p.nodes.map(() => new Set<string>()) }));
    g.members.push(p);
    p.nodes.forEach((n, i) => { if (isAnonymousType(n.type)) g!.seen[i]!.add(n.key === withheldKey ? `${n.key}#${g!.members.length}` : n.key); });
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

/**
 * The consumers standing at one place between two named nodes of the drawn paths: one aggregate
 * node on canvas ("7 consumers"), opened like an expansion's badge (its chooser lists them).
 */
export interface PathHop {
  /** The aggregate node's id: its named ends and the place in a run of consumers. */
  id: string;
  /** The named nodes on either side (the hop is drawn while both are on canvas). */
  ends: [string, string];
  /** Its consumers, with their path edges (as stored) to the named ends and to each other. */
  items: RankedNeighbour[];
  /** Consumers withheld from the caller's role, one a route: counted, never listed. */
  withheld: number;
}

/** What the paths view draws: elements, the hops behind their aggregates, and where each node goes. */
export interface PathScene {
  elements: GraphElement[];
  hops: PathHop[];
  /** Node ids by column (a node's place along its path, the end in the last column), in row order. */
  columns: string[][];
  /** Per group, the ids of its drawn nodes and edges (what a card highlights). */
  groupIds: string[][];
}

/**
 * The grouped paths as a scene of interests and products: each run of consumers between two
 * named nodes becomes one aggregate per place (shared by every route through that hop), so the
 * canvas says what the cards say ("SUVs — 7 consumers — Pour-over coffee"). Endpoints are
 * drawn as themselves even when they are consumers (the user chose them).
 */
export function pathScene(groups: PathGroup[], lang: Lang, words: { consumers: (n: number) => string }): PathScene {
  const nodes = new Map<string, GraphElement>();
  const edges = new Map<string, GraphElement>();
  const hops = new Map<string, PathHop & { byKey: Map<string, RankedNeighbour> }>();
  const column = new Map<string, number>();
  const longest = Math.max(1, ...groups.flatMap((g) => g.members.map((p) => p.nodes.length - 1)));
  const groupIds = groups.map(() => new Set<string>());
  const place = (id: string, i: number, steps: number) => { if (!column.has(id)) column.set(id, Math.round((i * longest) / Math.max(1, steps))); };
  groups.forEach((g, gi) => {
    for (const p of g.members) {
      const last = p.nodes.length - 1;
      const named = (i: number) => i === 0 || i === last || !isAnonymousType(p.nodes[i]!.type);
      // Each position's drawn id: the entity, or the aggregate of its hop.
      const drawn: string[] = [];
      for (let i = 0; i <= last; i++) {
        const n = p.nodes[i]!;
        if (named(i)) {
          if (!nodes.has(n.key)) nodes.set(n.key, entityToNode(n, lang));
          drawn.push(n.key);
        } else {
          let a = i, b = i;
          while (!named(a)) a--;
          while (!named(b)) b++;
          const [x, y] = [p.nodes[a]!.key, p.nodes[b]!.key];
          const [lo, hi] = x < y ? [x, y] : [y, x];
          const offset = x < y ? i - a : b - i;
          const id = `hop:${lo}>${hi}${b - a > 2 ? `#${offset}/${b - a - 1}` : ''}`;
          let hop = hops.get(id);
          if (!hop) hops.set(id, (hop = { id, ends: [lo, hi], items: [], withheld: 0, byKey: new Map() }));
          if (n.key === withheldKey) hop.withheld++;
          else {
            let item = hop.byKey.get(n.key);
            if (!item) { hop.byKey.set(n.key, (item = { entity: n, weight: 0, relations: [], edges: [] })); hop.items.push(item); }
            item.weight += p.strength;
          }
          drawn.push(id);
        }
        place(drawn[i]!, i, last);
        groupIds[gi]!.add(drawn[i]!);
      }
      for (let i = 0; i < last; i++) {
        const a = p.nodes[i]!, b = p.nodes[i + 1]!;
        const relation = p.relations[i]!;
        const reversed = isReversedStep(a.type, relation, b.type);
        const [s, t] = reversed ? [i + 1, i] : [i, i + 1];
        // The stored edge, for the consumers it touches (added when they are chosen).
        const stored = { source: p.nodes[s]!.key, target: p.nodes[t]!.key, relation, weight: 1 };
        for (const j of [i, i + 1]) {
          if (drawn[j] === p.nodes[j]!.key || p.nodes[j]!.key === withheldKey) continue;
          const item = hops.get(drawn[j]!)!.byKey.get(p.nodes[j]!.key)!;
          if (!item.relations.includes(relation)) item.relations.push(relation);
          if (!item.edges.some((e) => e.source === stored.source && e.target === stored.target && e.relation === relation)) item.edges.push(stored);
        }
        const el = apiEdgeToElement({ ...stored, source: drawn[s]!, target: drawn[t]! });
        const aggregate = drawn[s] !== p.nodes[s]!.key || drawn[t] !== p.nodes[t]!.key;
        if (!edges.has(el.data.id)) edges.set(el.data.id, aggregate ? { ...el, classes: 'more hop' } : el);
        groupIds[gi]!.add(el.data.id);
      }
    }
  });
  const hopList = [...hops.values()].map(({ byKey: _, ...h }) => ({ ...h, items: [...h.items].sort((a, b) => b.weight - a.weight) }));
  for (const h of hopList) nodes.set(h.id, hopBadge(h, h.items.length + h.withheld, words.consumers(h.items.length + h.withheld))[0]!);
  const columns: string[][] = [];
  for (const [id, c] of column) (columns[c] ??= []).push(id);
  return { elements: [...nodes.values(), ...edges.values()], hops: hopList, columns: columns.filter(Boolean), groupIds: groupIds.map((s) => [...s]) };
}

/** A hop's aggregate node: styled and handled as an expansion's badge (class `more`), opened by its chooser. */
export function hopBadge(hop: Pick<PathHop, 'id'>, consumers: number, label: string): GraphElement[] {
  return moreBadge(hop.id, consumers, label)
    .filter((el) => el.group === 'nodes')
    .map((el) => ({ ...el, data: { ...el.data, id: hop.id, key: hop.id, moreOf: hop.id, consumers, hop: true } }));
}

/** Whether a step's type chip adds anything: not before a label that already names the type ("7 consumers", "Consumer #3n_v3C"). */
export function stepNeedsChip(label: string, typeWord: string): boolean {
  return !label.toLowerCase().includes(typeWord.toLowerCase());
}
