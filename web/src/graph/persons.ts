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
