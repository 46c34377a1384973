import type { Core, SingularElementArgument } from 'cytoscape';
import { HitGrid } from '../graph/hit-grid.js';

// Cytoscape's canvas renderer finds what is under the pointer by testing every element, on each
// mouse move, press and release. For big scenes this hands its own test only the elements the
// grid (hit-grid.ts) finds near the pointer, so the exact rules (shapes, thresholds, z-order,
// what is interactive) stay Cytoscape's. It relies on two renderer members of Cytoscape 3.x
// (findNearestElements, getCachedZSortedEles); the big-scene browser test clicks through it.

/** Slack around the point (model px at zoom 1) beyond Cytoscape's own thresholds (8 px edges, 2 px nodes, touch 24/8). */
const edgeSlackPx = 26;
const nodeSlackPx = 10;

type Ele = SingularElementArgument & { interactive(): boolean };
type ZList = Ele[] & { interactive: Ele[] };

interface RendererLike {
  findNearestElements(x: number, y: number, interactiveOnly: boolean, isTouch: boolean): Ele[];
  getCachedZSortedEles(force?: boolean): ZList;
}

/**
 * Installs the grid for scenes where `active()` is true (big scenes); others keep Cytoscape's
 * full pass. The grid is rebuilt lazily after elements are added, removed, moved or restyled.
 */
export function installFastHitTest(cy: Core, active: () => boolean): void {
  const r = (cy as unknown as { renderer(): RendererLike }).renderer();
  const fullPass = r.findNearestElements.bind(r);
  const zSorted = r.getCachedZSortedEles.bind(r);
  let grid: { grid: HitGrid; eles: Ele[]; nodeCount: number } | null = null;
  let order: { list: ZList; index: Map<Ele, number> } | null = null;
  const dirty = () => { grid = null; };
  cy.on('add remove position data', dirty);

  const build = () => {
    const nodes = cy.nodes();
    const at = new Map<string, number>();
    const eles: Ele[] = [];
    const ns = nodes.map((n, i) => {
      at.set(n.id(), i);
      eles.push(n as unknown as Ele);
      const p = n.position();
      // Half the drawn size: data(size) for entity nodes, the badge's width for "+N more".
      const size = Math.max(Number(n.data('size')) || 0, Number(n.data('badgeWidth')) || 0, 20);
      return { x: p.x, y: p.y, r: size / 2 + 3 };
    });
    const es: { a: number; b: number; w: number }[] = [];
    cy.edges().forEach((e) => {
      const a = at.get(e.data('source') as string), b = at.get(e.data('target') as string);
      if (a === undefined || b === undefined) return;
      eles.push(e as unknown as Ele);
      es.push({ a, b, w: Number(e.data('width')) || 1 });
    });
    return { grid: new HitGrid({ nodes: ns, edges: es }), eles, nodeCount: ns.length };
  };

  r.findNearestElements = (x, y, interactiveOnly, isTouch) => {
    if (!active()) return fullPass(x, y, interactiveOnly, isTouch);
    const g = (grid ??= build());
    const zoom = cy.zoom();
    const found = g.grid.near(x, y, (nodeSlackPx + (isTouch ? 8 : 2)) / zoom, (edgeSlackPx + (isTouch ? 24 : 8)) / zoom);
    const candidates = [...found.nodes.map((i) => g.eles[i]!), ...found.edges.map((i) => g.eles[g.nodeCount + i]!)];
    // Cytoscape's z-order (it walks from the top down), from its own cached sort.
    const all = zSorted();
    if (order?.list !== all) order = { list: all, index: new Map(all.map((e, i) => [e, i])) };
    const index = order.index;
    candidates.sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0));
    const list = candidates as ZList;
    list.interactive = candidates.filter((e) => e.interactive());
    r.getCachedZSortedEles = () => list;
    try {
      return fullPass(x, y, interactiveOnly, isTouch);
    } finally {
      r.getCachedZSortedEles = zSorted;
    }
  };
}
