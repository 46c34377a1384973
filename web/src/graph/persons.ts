import { edgeId, edgeWidth } from './elements.js';
import { isStitched } from './person-label.js';
import type { GraphElement, NodeData } from './types.js';

// One person, one node (issue 18): a consumer whose ids the server stitched into a person
// (`Entity.person`, `Entity.personIds` > 1) is drawn once, whichever of its ids an answer names.
// Pure functions: no DOM, no Cytoscape (test/web/persons.test.ts).

/** What merging did: the elements to add, and for each merged-away consumer key the node it is drawn as. */
export interface PersonMerge {
  elements: GraphElement[];
  alias: Map<string, string>;
}

/**
 * Folds the consumers of one person into one node. `drawnAs(person)` names the node already on
 * canvas for a person (if any); otherwise the first of the person's consumers in `elements`
 * becomes its node. Edges are re-pointed at that node; an edge between two ids of one person
 * (SAME_AS) disappears, and two edges that now join the same ends by the same relation become
 * one with their weights added. `aliases` are earlier merges (consumer key → node id).
 */
export function mergePersons(
  elements: readonly GraphElement[],
  drawnAs: (person: string) => string | undefined = () => undefined,
  aliases: ReadonlyMap<string, string> = new Map(),
): PersonMerge {
  const alias = new Map<string, string>();
  const nodeOf = new Map<string, string>();
  const kept = new Map<string, NodeData>();
  const out: GraphElement[] = [];
  for (const el of elements) {
    if (el.group !== 'nodes') continue;
    const d = el.data;
    if (!isStitched(d)) {
      out.push(el);
      continue;
    }
    const existing = nodeOf.get(d.person) ?? drawnAs(d.person);
    if (existing === undefined) {
      nodeOf.set(d.person, d.id);
      const keys = [d.key];
      const data: NodeData = { ...d, personKeys: keys };
      kept.set(d.id, data);
      out.push({ ...el, data, classes: withClass(el.classes, 'person') });
      continue;
    }
    nodeOf.set(d.person, existing);
    if (existing !== d.id) alias.set(d.id, existing);
    const merged = kept.get(existing);
    if (merged && !(merged.personKeys as string[]).includes(d.key)) (merged.personKeys as string[]).push(d.key);
  }
  const to = (id: string) => alias.get(id) ?? aliases.get(id) ?? id;
  const edges = new Map<string, GraphElement & { group: 'edges' }>();
  for (const el of elements) {
    if (el.group !== 'edges') continue;
    const source = to(el.data.source);
    const target = to(el.data.target);
    if (source === el.data.source && target === el.data.target) {
      if (!edges.has(el.data.id)) edges.set(el.data.id, el);
      continue;
    }
    if (source === target) continue;
    const id = edgeId(source, el.data.relation, target);
    const before = edges.get(id);
    if (before) {
      const weight = before.data.weight + el.data.weight;
      edges.set(id, { ...before, data: { ...before.data, weight, width: edgeWidth(weight) } });
    } else edges.set(id, { ...el, data: { ...el.data, id, source, target } });
  }
  return { elements: [...out, ...edges.values()], alias };
}

function withClass(classes: string | undefined, c: string): string {
  const list = (classes ?? '').split(/\s+/).filter(Boolean);
  return list.includes(c) ? list.join(' ') : [...list, c].join(' ');
}

/** The parts of a neighbourhood answer that combining reads. */
interface Neighbourhood {
  nodes: { key: string; type: string; person?: string | null; personIds?: number | null }[];
  edges: { source: string; target: string; relation: string; weight: number }[];
  truncated: number;
}

/**
 * Keys of the other ids of `person` that a neighbourhood answer names (a SAME_AS neighbour is
 * one), not yet in `known`: a person's expansion asks for theirs too.
 */
export function samePersonKeys(sub: Pick<Neighbourhood, 'nodes'>, person: string, known: ReadonlySet<string>): string[] {
  return sub.nodes.filter((n) => n.type === 'Consumer' && n.person === person && !known.has(n.key)).map((n) => n.key);
}

/**
 * One neighbourhood for a person drawn as `center` from the answers of several of its ids: the
 * ids become `center` (edges between them vanish), each neighbour once, edges with the same ends
 * and relation joined with their weights added, `truncated` summed.
 */
export function combinePersonNeighbourhoods<S extends Neighbourhood>(center: string, personKeys: readonly string[], subs: readonly S[]): S {
  const ids = new Set([center, ...personKeys]);
  const to = (k: string) => (ids.has(k) ? center : k);
  const nodes = new Map<string, S['nodes'][number]>();
  const edges = new Map<string, S['edges'][number]>();
  const seen = new Set<string>();
  let truncated = 0;
  for (const sub of subs) {
    truncated += sub.truncated;
    for (const n of sub.nodes) {
      const k = to(n.key);
      if (k === center ? n.key === center && !nodes.has(k) : !nodes.has(k)) nodes.set(k, n);
    }
    for (const e of sub.edges) {
      // The same stored edge in two ids' answers counts once.
      const original = `${e.source}|${e.relation}|${e.target}`;
      if (seen.has(original)) continue;
      seen.add(original);
      const source = to(e.source), target = to(e.target);
      if (source === target) continue;
      const id = `${source}|${e.relation}|${target}`;
      const before = edges.get(id);
      edges.set(id, before ? { ...before, weight: before.weight + e.weight } : { ...e, source, target });
    }
  }
  return { ...subs[0]!, nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}
