import { edgeWidth, entityToNode, parseKey } from './elements.js';
import type { SceneState } from './scene.js';
import type { ApiEntity, GraphElement, Lang } from './types.js';

// Rebuilding a deep link's scene: the link carries keys, edges and positions; the entities
// themselves are fetched by key (entitiesQuery). Pure: tested in Node.

/** The API allows 10 aliases a request (graphql-armor maxAliases). */
export const entitiesPerRequest = 10;

/** Splits `list` into runs of `size`. */
export function chunked<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Variables of `entitiesQuery(keys.length)`: id and type per key (a key that does not parse is asked as a Product id). */
export function entityVariables(keys: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  keys.forEach((k, j) => {
    const p = parseKey(k);
    vars[`id${j}`] = p?.id ?? k;
    vars[`t${j}`] = p?.type ?? 'Product';
  });
  return vars;
}

/** True when the canvas already shows exactly the link's nodes (nothing to fetch). */
export function sameNodes(onCanvas: readonly string[], scene: Pick<SceneState, 'nodes'>): boolean {
  return [...onCanvas].sort().join('\n') === [...scene.nodes].sort().join('\n');
}

/**
 * The scene's elements: the fetched entities as nodes (at the link's positions, when it has
 * them), then the link's stored relations as edges. Entities that are gone are left out.
 */
export function restoredElements(scene: Pick<SceneState, 'nodes' | 'edges' | 'pos'>, entities: readonly ApiEntity[], lang: Lang): GraphElement[] {
  const els: GraphElement[] = entities.map((e) => {
    const el = entityToNode(e, lang);
    const p = scene.pos?.[scene.nodes.indexOf(e.key)];
    if (p) el.position = { x: p[0], y: p[1] };
    return el;
  });
  for (const [a, b, relation, weight] of scene.edges) {
    const source = scene.nodes[a]!, target = scene.nodes[b]!;
    els.push({ group: 'edges', data: { id: `${source}|${relation}|${target}`, source, target, relation, weight, width: edgeWidth(weight) } });
  }
  return els;
}
