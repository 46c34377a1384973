// The layout of a star scene (an unmet need's hub and its spokes: interests, closest products,
// driving segments): the spokes on an ellipse around the hub, kind by kind, as far out as it
// takes for no label to touch another label or a node. fcose spreads nodes, not labels: in the
// 14-node star "88 consumers · lift 7.67" sat on a segment's share and "Home appliances…" on
// "Robot vacuums". Pure: tested in Node; the canvas measures the labels and applies the positions.

export const starLayoutDefaults = {
  /** Free space kept between any two boxes (model px). */
  margin: 6,
  /** First radius tried (vertical half-axis, model px). */
  minRadius: 110,
  /** Each try grows the radius by this factor. */
  grow: 1.08,
  /** Tries per shape before giving up on it. */
  tries: 40,
  /** Width-to-height ratios of the ellipse tried: labels are wide, so wide ellipses space them best. */
  aspects: [1, 1.4, 1.8, 2.3],
  /** Angle of the first spoke (radians): straight up, then clockwise. */
  start: -Math.PI / 2,
  /**
   * The ring is also tried turned by whole steps (at most this many): wide labels (segments)
   * side by side at the top or bottom need a far bigger ring than on its flanks.
   */
  turns: 16,
} as const;

/** A box relative to its node's centre: the label's (dx, dy: its centre's offset) or the node's body (dx = dy = 0). */
export interface RelBox {
  w: number;
  h: number;
  dx: number;
  dy: number;
}

export interface StarNode {
  id: string;
  /** The node's own body. */
  body: RelBox;
  /** Its label (absent: none drawn). */
  label?: RelBox;
}

export interface StarSpoke extends StarNode {
  /** The label on the spoke's edge (drawn at its middle, turned along it), when it has one. */
  edgeLabel?: { w: number; h: number };
}

interface Abs { x1: number; y1: number; x2: number; y2: number; owner: string }

const place = (b: RelBox, x: number, y: number, owner: string, m: number): Abs => ({
  x1: x + b.dx - b.w / 2 - m / 2, x2: x + b.dx + b.w / 2 + m / 2, y1: y + b.dy - b.h / 2 - m / 2, y2: y + b.dy + b.h / 2 + m / 2, owner,
});

const overlaps = (a: Abs, b: Abs) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** The boxes drawn for a candidate placement: bodies, labels and edge labels (an edge label turned along its spoke). */
function boxesOf(hub: StarNode, spokes: readonly StarSpoke[], pos: Map<string, { x: number; y: number }>, m: number): Abs[] {
  const out: Abs[] = [];
  const node = (n: StarNode) => {
    const p = pos.get(n.id)!;
    out.push(place(n.body, p.x, p.y, n.id, m));
    if (n.label) out.push(place(n.label, p.x, p.y, n.id, m));
  };
  node(hub);
  for (const s of spokes) {
    node(s);
    if (!s.edgeLabel) continue;
    const p = pos.get(s.id)!;
    const a = Math.atan2(p.y, p.x);
    const c = Math.abs(Math.cos(a)), sn = Math.abs(Math.sin(a));
    const { w, h } = s.edgeLabel;
    // The label's own owner: it may touch its edge's ends' boxes only if it touches nothing else either.
    out.push(place({ w: w * c + h * sn, h: w * sn + h * c, dx: 0, dy: 0 }, p.x / 2, p.y / 2, `${s.id}|edge`, m));
  }
  return out;
}

/** True when no two boxes of different owners overlap. */
function clear(boxes: readonly Abs[]): boolean {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (boxes[i]!.owner !== boxes[j]!.owner && overlaps(boxes[i]!, boxes[j]!)) return false;
    }
  }
  return true;
}

/**
 * Positions (hub at 0,0) that keep every label and node apart, for a viewport of `width` ×
 * `height`: of the ellipses that do, the one that fits the viewport at the largest zoom. Spokes
 * keep their order around the ring (callers group them by kind). When nothing tried is clear,
 * the widest try is returned.
 */
export function starLayout(hub: StarNode, spokes: readonly StarSpoke[], width: number, height: number, o = starLayoutDefaults): Map<string, { x: number; y: number }> {
  let best: { pos: Map<string, { x: number; y: number }>; zoom: number } | null = null;
  let widest: Map<string, { x: number; y: number }> | null = null;
  const n = spokes.length;
  const step = (2 * Math.PI) / Math.max(1, n);
  for (let turn = 0; turn < Math.min(o.turns, Math.max(1, n)); turn++) for (const aspect of o.aspects) {
    let r: number = o.minRadius;
    for (let t = 0; t < o.tries; t++, r *= o.grow) {
      const pos = new Map<string, { x: number; y: number }>([[hub.id, { x: 0, y: 0 }]]);
      spokes.forEach((s, i) => {
        const a = o.start + step * (i + turn);
        pos.set(s.id, { x: Math.round(r * aspect * Math.cos(a)), y: Math.round(r * Math.sin(a)) });
      });
      const boxes = boxesOf(hub, spokes, pos, o.margin);
      widest = pos;
      if (!clear(boxes)) continue;
      const w = Math.max(...boxes.map((b) => b.x2)) - Math.min(...boxes.map((b) => b.x1));
      const h = Math.max(...boxes.map((b) => b.y2)) - Math.min(...boxes.map((b) => b.y1));
      const zoom = Math.min(width / w, height / h);
      if (!best || zoom > best.zoom) best = { pos, zoom };
      break;
    }
  }
  return best?.pos ?? widest ?? new Map([[hub.id, { x: 0, y: 0 }]]);
}
