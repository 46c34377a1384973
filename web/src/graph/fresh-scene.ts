import { clusterLayout } from './cluster-layout.js';
import { bigSizing, sizesBy, sizing } from './elements.js';
import { degreeBin } from './palette.js';
import type { GraphElement, NodeElement } from './types.js';

// A scene added to an empty canvas (an import, a deep link, a big scene) gets its sizes and, when
// asked, its positions on the element definitions before Cytoscape sees them: setting data and
// positions on 10k live elements afterwards costs a second in the browser (events, dirty bounding
// boxes, style per call); on plain objects it costs milliseconds. Pure: tested in Node.

export interface FreshSceneOptions {
  /** Degree sizes the nodes by their stored relations; score by `data.score`; weight by the sum of their relations' weights. */
  sizeBy: 'degree' | 'score' | 'weight';
  /** Small dots (big scene) or labelled nodes. */
  big: boolean;
  /** Place every node with the cluster layout (cluster-layout.ts); otherwise positions stay as given. */
  layout: boolean;
}

/**
 * Writes `data.size` on every node definition (and `position` when `layout`), in place. Badges
 * (`.more`) and statistical links (`data.derived`) do not count towards a degree, as on canvas.
 */
export function prepareFreshScene(elements: GraphElement[], opts: FreshSceneOptions): void {
  const nodes = elements.filter((e): e is NodeElement => e.group === 'nodes');
  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.data.id, i));
  const degree = new Int32Array(nodes.length);
  const strength = new Float64Array(nodes.length);
  const pairs: [number, number][] = [];
  for (const e of elements) {
    if (e.group !== 'edges') continue;
    const a = index.get(e.data.source), b = index.get(e.data.target);
    if (a === undefined || b === undefined) continue;
    pairs.push([a, b]);
    if (isBadge(e) || e.data.derived) continue;
    degree[a]!++;
    degree[b]!++;
    const w = Number.isFinite(e.data.weight) ? e.data.weight : 0;
    strength[a]! += w;
    strength[b]! += w;
  }
  const values = new Map<string, number | undefined>();
  nodes.forEach((n, i) => {
    if (isBadge(n)) return;
    values.set(n.data.id, opts.sizeBy === 'degree' ? degree[i]! : opts.sizeBy === 'weight' ? strength[i]! : n.data.score);
    n.data.degBin = degreeBin(degree[i]!);
  });
  const sizes = sizesBy(values, opts.big ? bigSizing : sizing);
  for (const n of nodes) {
    const s = sizes.get(n.data.id);
    if (s !== undefined) n.data.size = s;
  }
  if (!opts.layout) return;
  // The spacing GraphView.clusterLayout uses for the same node sizes.
  const pos = clusterLayout(nodes.length, pairs, { spacing: opts.big ? 16 : 40, gap: opts.big ? 40 : 80 });
  nodes.forEach((n, i) => { n.position = { x: pos[2 * i]!, y: pos[2 * i + 1]! }; });
}

function isBadge(e: GraphElement): boolean {
  return typeof e.classes === 'string' && e.classes.split(' ').includes('more');
}
