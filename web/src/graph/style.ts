import { degreeRamp, lookOf, noSegmentColor, segmentColor } from './palette.js';

// The Cytoscape stylesheet as data. Everything visual is here; the UI only toggles classes.

export interface StyleOptions {
  /** Entity types to emit type selectors for (the core ones plus any seen on canvas). */
  types: string[];
  /** 'type' colours by entity type; 'segment' by the segment index in node data; 'degree' by data(degBin). */
  colorBy: 'type' | 'segment' | 'degree';
  /** Big scenes drop costly details (label outlines, arrows, bezier edges). */
  big: boolean;
}

export const styleDefaults = {
  /** Font stack: system UI for Latin, Noto Sans CJK / PingFang for Chinese. */
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
  /** Label size in model px; labels scale with zoom until minZoomedFontSize hides them. */
  fontSize: 11,
  /** Labels smaller than this on screen are not drawn: keeps zoomed-out scenes legible and fast. */
  minZoomedFontSize: 7,
  /** Long names wrap and end in an ellipsis beyond this width. */
  labelMaxWidth: 110,
  /** Edge colour at rest; highlighted paths use accent. */
  edgeColor: '#a8b3c4',
  accent: '#f59e0b',
  selected: '#111827',
  /** Opacity of everything outside a highlight. */
  fadedOpacity: 0.12,
} as const;

type StyleRule = { selector: string; style: Record<string, unknown> };

/** Nodes of a normal scene: labelled, with a halo and a white border. */
function nodeRule(d: typeof styleDefaults): StyleRule {
  return {
    selector: 'node',
    style: {
      width: 'data(size)',
      height: 'data(size)',
      label: 'data(label)',
      'font-family': d.fontFamily,
      'font-size': d.fontSize,
      'font-weight': 500,
      color: '#1f2937',
      'text-valign': 'bottom',
      'text-halign': 'center',
      'text-margin-y': 4,
      'text-wrap': 'ellipsis',
      'text-max-width': `${d.labelMaxWidth}px`,
      'min-zoomed-font-size': d.minZoomedFontSize,
      // A light halo instead of a box keeps labels readable over edges.
      'text-outline-color': '#ffffff',
      'text-outline-width': 2,
      'text-outline-opacity': 0.9,
      'border-width': 2,
      'border-color': '#ffffff',
      'background-color': noSegmentColor,
      'overlay-padding': 4,
    },
  };
}

/**
 * Nodes of a big scene: as few properties as possible (each one is applied to every node) and no
 * label, so no text is measured for 10k nodes; labels come back through the `labelled` class,
 * which the canvas puts on the nodes in view once zoomed in far enough to read them.
 */
function bigNodeRule(): StyleRule {
  return {
    selector: 'node',
    // Three properties: Cytoscape applies each one to every node, so 10k nodes pay for every extra.
    style: { width: 'data(size)', height: 'data(size)', 'background-color': noSegmentColor },
  };
}

/** The label of a big scene's node, only on the nodes that show one (see bigNodeRule). */
function bigLabelStyle(d: typeof styleDefaults): Record<string, unknown> {
  return {
    label: 'data(label)',
    'font-family': d.fontFamily,
    'font-size': d.fontSize,
    color: '#1f2937',
    'text-valign': 'bottom',
    'text-margin-y': 3,
    'text-wrap': 'ellipsis',
    'text-max-width': `${d.labelMaxWidth}px`,
    'min-zoomed-font-size': d.minZoomedFontSize,
  };
}

/** Edges of a normal scene: curved, with arrows, labelled when they carry a label. */
function edgeRule(d: typeof styleDefaults): StyleRule {
  return {
    selector: 'edge',
    style: {
      width: 'data(width)',
      'line-color': d.edgeColor,
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      'target-arrow-color': d.edgeColor,
      'arrow-scale': 0.7,
      opacity: 0.6,
      'font-family': d.fontFamily,
      'font-size': 9,
      color: '#475569',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '2px',
      'min-zoomed-font-size': 8,
    },
  };
}

/**
 * Edges of a big scene: straight haystack lines without arrows, in an opaque light colour (no
 * per-edge opacity to apply or blend): the cheapest Cytoscape draws.
 */
function bigEdgeRule(): StyleRule {
  return {
    selector: 'edge',
    style: { width: 'data(width)', 'line-color': bigEdgeColor, 'curve-style': 'haystack' },
  };
}

/** styleDefaults.edgeColor at about half opacity over the white page. */
const bigEdgeColor = '#d3d9e1';

/** Class that shows a node's label in a big scene (see bigNodeRule). */
export const labelledClass = 'labelled';

/**
 * The stylesheet for the given options: colour and shape by type (or colour by segment),
 * size from data(size), edge width from data(width), readable labels, highlight/fade classes.
 */
export function buildStyle(opts: StyleOptions, d = styleDefaults): StyleRule[] {
  const rules: StyleRule[] = [opts.big ? bigNodeRule() : nodeRule(d)];
  for (const type of opts.types) {
    const look = lookOf(type);
    rules.push({
      selector: `node[type = "${type.replace(/"/g, '')}"]`,
      style: { shape: look.shape, ...(opts.colorBy === 'type' ? { 'background-color': look.color } : {}) },
    });
  }
  if (opts.colorBy === 'segment') {
    for (let i = 0; i < 10; i++) rules.push({ selector: `node[segment = ${i}]`, style: { 'background-color': segmentColor(i) } });
  }
  if (opts.colorBy === 'degree') {
    degreeRamp.forEach((c, i) => rules.push({ selector: `node[degBin = ${i}]`, style: { 'background-color': c } }));
  }
  rules.push(
    opts.big ? bigEdgeRule() : edgeRule(d),
    // Big scenes: edge text only where an edge shows a label (a highlight); not on 20k plain edges.
    ...(opts.big ? [{ selector: 'edge[label], edge.highlight', style: { 'font-family': d.fontFamily, 'font-size': 9, color: '#475569', 'min-zoomed-font-size': 8, 'text-rotation': 'autorotate' } }] : []),
    { selector: 'edge[label]', style: { label: 'data(label)' } },
    // Statistics drawn as edges (demand links, co-occurrence) are dashed: they are not stored relations.
    { selector: 'edge.derived', style: { 'line-style': 'dashed', 'line-color': '#8b5cf6', 'target-arrow-shape': 'none', opacity: 0.9 } },
    // An unmet need's hub: its name and, on a second line, its figures; segments' names in full.
    { selector: 'node[type = "Opportunity"]', style: { 'text-wrap': 'wrap', 'text-max-width': '220px', 'font-weight': 700 } },
    { selector: 'node[type = "Segment"]', style: { 'text-wrap': 'wrap', 'text-max-width': '150px' } },
    // One person under several ids (issue 18): a double ring, and its "3 ids" on a second line.
    { selector: 'node.person', style: { 'text-wrap': 'wrap', 'border-width': 4, 'border-style': 'double', 'border-color': '#0f766e' } },
    // A product closest to an unmet need: a thin dotted line to the need's hub.
    { selector: 'edge.closest', style: { 'line-style': 'dotted', 'line-color': '#94a3b8', width: 1.5 } },
    // The "+M more" badge of a capped expansion.
    {
      selector: 'node.more',
      style: {
        shape: 'round-rectangle',
        'background-color': '#f8fafc',
        'border-color': '#94a3b8',
        'border-style': 'dashed',
        'border-width': 1.5,
        width: 'data(badgeWidth)',
        height: 20,
        label: 'data(label)',
        'text-valign': 'center',
        'text-margin-y': 0,
        color: '#334155',
        'font-size': 10,
        'text-outline-width': 0,
      },
    },
    { selector: 'edge.more', style: { 'line-style': 'dotted', 'target-arrow-shape': 'none', width: 1, 'line-color': '#94a3b8' } },
    // Big scenes: labels on the nodes in view (when zoomed in) and on selected or highlighted ones.
    ...(opts.big ? [{ selector: `node.${labelledClass}, node:selected, node.highlight, node.focus`, style: bigLabelStyle(d) }] : []),
    { selector: 'node:selected', style: { 'border-color': d.selected, 'border-width': 3, 'font-weight': 700 } },
    { selector: 'edge:selected', style: { 'line-color': d.selected, 'target-arrow-color': d.selected, opacity: 1 } },
    { selector: '.faded', style: { opacity: d.fadedOpacity, 'text-opacity': 0 } },
    // A faded badge (its node faded, or a path's hop off the lit route) is hidden, not an empty dashed box.
    { selector: '.more.faded', style: { visibility: 'hidden' } },
    { selector: 'node.highlight', style: { 'border-color': d.accent, 'border-width': 4, 'z-index': 10 } },
    {
      selector: 'edge.highlight',
      style: { 'line-color': d.accent, 'target-arrow-color': d.accent, opacity: 1, 'z-index': 10, label: 'data(relLabel)' },
    },
    { selector: 'edge.highlight[label]', style: { label: 'data(label)' } },
    // A highlight of many edges (graph-view.ts) keeps their lines, not their names.
    { selector: 'edge.highlight.quiet', style: { label: '' } },
    // Hidden by the filter panel: still in the scene (saved, exported, undoable), not drawn.
    { selector: '.filtered', style: { display: 'none' } },
    { selector: 'node.focus', style: { 'border-color': d.accent, 'border-width': 5, 'underlay-color': d.accent, 'underlay-opacity': 0.18, 'underlay-padding': 8 } },
  );
  return rules;
}
