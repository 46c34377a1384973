// A uniform grid over node discs and straight edge segments (model coordinates), to find what
// lies near a point without looking at every element. Cytoscape's canvas renderer tests all
// elements on every mouse move, press and release (three full passes per click, ~0.3 s each at
// 10k nodes and 20k edges); the grid hands it the few elements near the pointer. Pure: tested in Node.

export interface HitGridInput {
  /** Node centres and radii, one per node index. */
  nodes: readonly { x: number; y: number; r: number }[];
  /** Edges as node index pairs with their line width. */
  edges: readonly { a: number; b: number; w: number }[];
}

export class HitGrid {
  private readonly cell: number;
  private readonly nodeCells = new Map<number, number[]>();
  private readonly edgeCells = new Map<number, number[]>();
  private readonly maxR: number;
  private readonly maxW: number;

  constructor(private readonly input: HitGridInput, cell = 48) {
    this.cell = cell;
    let maxR = 0, maxW = 0;
    input.nodes.forEach((n, i) => {
      maxR = Math.max(maxR, n.r);
      push(this.nodeCells, this.key(this.ix(n.x), this.ix(n.y)), i);
    });
    input.edges.forEach((e, i) => {
      maxW = Math.max(maxW, e.w);
      const p = input.nodes[e.a], q = input.nodes[e.b];
      if (p && q) this.walk(p.x, p.y, q.x, q.y, (k) => push(this.edgeCells, k, i));
    });
    this.maxR = maxR;
    this.maxW = maxW;
  }

  /**
   * Node and edge indexes that may be within `nodeSlack` (of a disc) or `edgeSlack` (of a line)
   * of (x, y): every one that is, perhaps a few more (the caller does the exact test).
   */
  near(x: number, y: number, nodeSlack: number, edgeSlack: number): { nodes: number[]; edges: number[] } {
    const nodes: number[] = [];
    const rn = this.maxR + nodeSlack;
    this.cells(x, y, rn, this.nodeCells, (i) => {
      const n = this.input.nodes[i]!;
      if (Math.hypot(n.x - x, n.y - y) <= n.r + nodeSlack) nodes.push(i);
    });
    const edges = new Set<number>();
    const re = this.maxW / 2 + edgeSlack;
    this.cells(x, y, re, this.edgeCells, (i) => {
      if (edges.has(i)) return;
      const e = this.input.edges[i]!;
      const p = this.input.nodes[e.a]!, q = this.input.nodes[e.b]!;
      if (segmentDistance(x, y, p.x, p.y, q.x, q.y) <= e.w / 2 + edgeSlack) edges.add(i);
    });
    return { nodes, edges: [...edges] };
  }

  private ix(v: number): number {
    return Math.floor(v / this.cell);
  }

  /** Cells as one number: column and row packed (a scene spans far fewer than 2^20 cells a side). */
  private key(cx: number, cy: number): number {
    return (cx + 0x80000) * 0x100000 + (cy + 0x80000);
  }

  private cells(x: number, y: number, r: number, map: Map<number, number[]>, fn: (i: number) => void): void {
    const x1 = this.ix(x - r), x2 = this.ix(x + r), y1 = this.ix(y - r), y2 = this.ix(y + r);
    for (let cx = x1; cx <= x2; cx++) for (let cy = y1; cy <= y2; cy++) for (const i of map.get(this.key(cx, cy)) ?? []) fn(i);
  }

  /** Every cell the segment crosses (Amanatides–Woo grid traversal). */
  private walk(x0: number, y0: number, x1: number, y1: number, fn: (key: number) => void): void {
    let cx = this.ix(x0), cy = this.ix(y0);
    const ex = this.ix(x1), ey = this.ix(y1);
    const dx = x1 - x0, dy = y1 - y0;
    const sx = Math.sign(dx), sy = Math.sign(dy);
    const tdx = dx === 0 ? Infinity : Math.abs(this.cell / dx);
    const tdy = dy === 0 ? Infinity : Math.abs(this.cell / dy);
    let tx = dx === 0 ? Infinity : ((sx > 0 ? (cx + 1) * this.cell - x0 : x0 - cx * this.cell) / Math.abs(dx));
    let ty = dy === 0 ? Infinity : ((sy > 0 ? (cy + 1) * this.cell - y0 : y0 - cy * this.cell) / Math.abs(dy));
    fn(this.key(cx, cy));
    // At most one step per cell boundary crossed; the bound guards against rounding at the end cell.
    for (let steps = Math.abs(ex - cx) + Math.abs(ey - cy); steps > 0; steps--) {
      if (tx < ty) { cx += sx; tx += tdx; } else { cy += sy; ty += tdy; }
      fn(this.key(cx, cy));
    }
  }
}

function push(map: Map<number, number[]>, k: number, i: number): void {
  const list = map.get(k);
  if (list) list.push(i);
  else map.set(k, [i]);
}

/** Distance from (x, y) to the segment (x0, y0)–(x1, y1). */
export function segmentDistance(x: number, y: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0, dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2));
  return Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy));
}
