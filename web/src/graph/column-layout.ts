import type { RelBox } from './star-layout.js';

// The layout of a paths scene: one column per place along the paths (the start on the left,
// the end on the right), each column's nodes stacked by their whole box (body and label), so no
// label touches another label or node; fcose spread nodes, not labels, and "Pour-over coffee"
// sat on its neighbours' names. Pure: tested in Node; the canvas measures and applies.

export interface ColumnNode {
  id: string;
  /** The node's body and its label (absent: none drawn), relative to the node's centre. */
  body: RelBox;
  label?: RelBox;
}

export const columnLayoutDefaults = {
  /** Space between columns (model px): an edge's name fits between them. */
  gapX: 110,
  /** Space between two boxes in a column (model px). */
  gapY: 22,
} as const;

/** The box around a node's body and label, relative to its centre. */
function whole(n: ColumnNode): { x1: number; x2: number; y1: number; y2: number } {
  const parts = n.label ? [n.body, n.label] : [n.body];
  return {
    x1: Math.min(...parts.map((b) => b.dx - b.w / 2)), x2: Math.max(...parts.map((b) => b.dx + b.w / 2)),
    y1: Math.min(...parts.map((b) => b.dy - b.h / 2)), y2: Math.max(...parts.map((b) => b.dy + b.h / 2)),
  };
}

/** Node centres: columns left to right, each centred on y = 0, its boxes `gapY` apart; columns `gapX` apart. */
export function columnLayout(columns: readonly (readonly ColumnNode[])[], o = columnLayoutDefaults): Map<string, { x: number; y: number }> {
  const pos = new Map<string, { x: number; y: number }>();
  let left = 0;
  for (const col of columns) {
    const boxes = col.map(whole);
    const width = Math.max(0, ...boxes.map((b) => b.x2 - b.x1));
    const height = boxes.reduce((s, b) => s + b.y2 - b.y1, 0) + o.gapY * Math.max(0, col.length - 1);
    let top = -height / 2;
    col.forEach((n, i) => {
      const b = boxes[i]!;
      // The box centred in its column, its top at `top`.
      pos.set(n.id, { x: Math.round(left + width / 2 - (b.x1 + b.x2) / 2), y: Math.round(top - b.y1) });
      top += b.y2 - b.y1 + o.gapY;
    });
    left += width + o.gapX;
  }
  return pos;
}
