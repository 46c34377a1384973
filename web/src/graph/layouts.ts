// Layouts as data: one commented defaults object per layout, and the rules that make big scenes
// cheaper. `layoutOptions` is pure; the UI passes its result to `cy.layout(...)`.

export type LayoutName = 'fcose' | 'concentric' | 'breadthfirst' | 'grid';

export const layoutNames: readonly LayoutName[] = ['fcose', 'concentric', 'breadthfirst', 'grid'];

/** Above this many nodes a scene is "big": cheaper style (see style.ts) and no animation. */
export const bigSceneNodes = 1500;

/**
 * Above this many nodes fcose runs in draft quality (spectral placement only): its force
 * refinement costs ~4x the spectral step at 1k nodes and grows faster than it.
 */
export const draftLayoutNodes = 600;

/**
 * Above this many nodes "fcose" means the linear-time cluster layout (cluster-layout.ts): even
 * draft fcose spends seconds per thousand nodes in the browser (spectral step, per-node
 * bounding boxes), which puts a 10k scene far beyond the 3 s target.
 */
export const clusterLayoutNodes = draftLayoutNodes;

/** Fit padding (px): clears the toolbar floating over the canvas's top edge (44 px deep). */
export const layoutPadding = 60;

export const layoutDefaults: Record<LayoutName, Record<string, unknown>> = {
  fcose: {
    name: 'fcose',
    // 'default' runs spectral + force refinement; 'proof' refines longer. Big scenes use 'draft'.
    quality: 'default',
    // Keep positions of nodes already placed when only a few nodes were added.
    randomize: true,
    animate: true,
    animationDuration: 450,
    fit: true,
    padding: layoutPadding,
    // Ideal edge length and node repulsion tuned for labelled nodes of 26–64 px.
    idealEdgeLength: 90,
    nodeRepulsion: 6500,
    edgeElasticity: 0.45,
    // Separate disconnected parts instead of stacking them.
    packComponents: true,
    nodeSeparation: 80,
    numIter: 2500,
    // Do not let degree-1 leaves orbit far away from their hub.
    gravity: 0.25,
    gravityRange: 3.8,
  },
  concentric: {
    name: 'concentric',
    // Rings by degree: hubs in the centre.
    concentric: (node: { degree: (b: boolean) => number }) => node.degree(false),
    levelWidth: () => 2,
    minNodeSpacing: 24,
    animate: true,
    animationDuration: 400,
    fit: true,
    padding: layoutPadding,
  },
  breadthfirst: {
    name: 'breadthfirst',
    // A tree from the selected node(s) (roots set by the UI), read top-down.
    directed: false,
    spacingFactor: 1.15,
    animate: true,
    animationDuration: 400,
    fit: true,
    padding: layoutPadding,
  },
  grid: {
    name: 'grid',
    avoidOverlap: true,
    condense: true,
    animate: false,
    fit: true,
    padding: layoutPadding,
  },
};

/**
 * Options for running `name` on a scene of `nodeCount` nodes. Big scenes are not animated; fcose
 * runs in draft quality there, which keeps 10k nodes within seconds.
 */
export function layoutOptions(name: LayoutName, nodeCount: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = { ...layoutDefaults[name] };
  if (nodeCount > draftLayoutNodes) {
    base.animate = false;
    if (name === 'fcose') Object.assign(base, { quality: 'draft', packComponents: false, idealEdgeLength: 50 });
  } else if (nodeCount > 300 && name === 'fcose') {
    Object.assign(base, { animate: false, numIter: 1500 });
  }
  const out = { ...base, ...extra };
  // An incremental run asks for 'default' quality; a big scene keeps draft (no force refinement).
  if (nodeCount > draftLayoutNodes && name === 'fcose') out.quality = 'draft';
  return out;
}

/** True for a valid layout name (from a URL or a saved scene). */
export function isLayoutName(x: unknown): x is LayoutName {
  return typeof x === 'string' && (layoutNames as readonly string[]).includes(x);
}

/** A bounding box in model coordinates. */
export interface Box {
  x1: number;
  y1: number;
  w: number;
  h: number;
}

/**
 * Zoom and pan that fit `box` into a viewport of `width` × `height` with `padding`, never
 * zooming beyond `maxZoom`: a fitted scene of two nodes stays at a natural size.
 */
export function fitViewport(box: Box, width: number, height: number, padding = 50, maxZoom = 1.2, minZoom = 0.03): { zoom: number; pan: { x: number; y: number } } {
  const w = Math.max(1, box.w);
  const h = Math.max(1, box.h);
  const fit = Math.min((width - 2 * padding) / w, (height - 2 * padding) / h);
  const zoom = Math.max(minZoom, Math.min(maxZoom, Number.isFinite(fit) && fit > 0 ? fit : maxZoom));
  const cx = box.x1 + box.w / 2;
  const cy = box.y1 + box.h / 2;
  return { zoom, pan: { x: width / 2 - cx * zoom, y: height / 2 - cy * zoom } };
}
