import { describe, expect, it } from 'vitest';
import { starLayout, type RelBox, type StarSpoke } from '../../web/src/graph/star-layout.js';

// Node bodies of 30 px with labels under them (as style.ts draws them): one line 12 px, two 26 px.
const body: RelBox = { w: 30, h: 30, dx: 0, dy: 0 };
const under = (w: number, lines = 1): RelBox => ({ w, h: lines * 13, dx: 0, dy: 15 + 4 + (lines * 13) / 2 });

type Box = { x1: number; y1: number; x2: number; y2: number; who: string };
const abs = (b: RelBox, p: { x: number; y: number }, who: string): Box => ({ x1: p.x + b.dx - b.w / 2, x2: p.x + b.dx + b.w / 2, y1: p.y + b.dy - b.h / 2, y2: p.y + b.dy + b.h / 2, who });

/** Every pair of drawn boxes of different nodes that overlap. */
function clashes(hub: StarSpoke, spokes: StarSpoke[], pos: Map<string, { x: number; y: number }>): string[] {
  const boxes: Box[] = [];
  for (const n of [hub, ...spokes]) {
    const p = pos.get(n.id)!;
    boxes.push(abs(n.body, p, n.id));
    if (n.label) boxes.push(abs(n.label, p, n.id));
    if (n.edgeLabel) {
      // Turned along its spoke: the box around the turned label.
      const a = Math.atan2(p.y, p.x), c = Math.abs(Math.cos(a)), s = Math.abs(Math.sin(a)), { w, h } = n.edgeLabel;
      boxes.push(abs({ w: w * c + h * s, h: w * s + h * c, dx: 0, dy: 0 }, { x: p.x / 2, y: p.y / 2 }, `${n.id}|edge`));
    }
  }
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i]!, b = boxes[j]!;
    if (a.who !== b.who && a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) out.push(`${a.who}/${b.who}`);
  }
  return out;
}

/** The demo's 14-node star: a bold two-line hub, 2 interests, 5 products, 3 two-line segments with shares, 3 adjacent interests. */
function demoStar(): { hub: StarSpoke; spokes: StarSpoke[] } {
  const hub = { id: 'hub', body: { w: 40, h: 40, dx: 0, dy: 0 }, label: { w: 170, h: 28, dx: 0, dy: 20 + 4 + 14 } };
  const spokes: StarSpoke[] = [
    ...['Cats', 'Robot vacuums'].map((x) => ({ id: x, body, label: under(x.length * 7) })),
    ...['Cat scratcher', 'Complete cat food', 'Robot vacuum and mop', 'Air purifier', 'Cat litter'].map((x) => ({ id: x, body, label: under(Math.min(110, x.length * 6.5)) })),
    ...['Home appliances · Mother and baby · Pets', 'Travel · Coffee · Pour-over coffee', 'Snacks · Books and education · Games'].map((x, i) => ({ id: x, body, label: under(150, 2), edgeLabel: { w: 20 + 4 * i, h: 15 } })),
    ...['Kitchen appliances', 'Cat food', 'Café hopping'].map((x) => ({ id: x, body, label: under(x.length * 6.5) })),
  ];
  return { hub, spokes };
}

describe('the star layout of an opportunity', () => {
  it('keeps every label of the demo star clear of every other label, node and share', () => {
    const { hub, spokes } = demoStar();
    const pos = starLayout(hub, spokes, 500, 700);
    expect(pos.size).toBe(spokes.length + 1);
    expect(pos.get('hub')).toEqual({ x: 0, y: 0 });
    expect(clashes(hub, spokes, pos)).toEqual([]);
  });

  it('fits the viewport better than a circle would: a narrow, tall canvas gets a compact shape', () => {
    const { hub, spokes } = demoStar();
    const pos = starLayout(hub, spokes, 500, 700);
    const xs = [...pos.values()].map((p) => p.x), ys = [...pos.values()].map((p) => p.y);
    // Wide labels on a 500 px canvas: at most ~1.1 px of model a screen px (readable, zoom ≥ 0.64).
    expect(Math.max(...xs) - Math.min(...xs) + 150).toBeLessThan(500 / 0.64);
    expect(Math.max(...ys) - Math.min(...ys) + 60).toBeLessThan(700 / 0.64);
  });

  it('keeps the spokes in the order given, clockwise (kinds stay together)', () => {
    const { hub, spokes } = demoStar();
    const pos = starLayout(hub, spokes, 500, 700);
    const first = pos.get(spokes[0]!.id)!;
    const from = Math.atan2(first.y, first.x) - 1e-9;
    const angle = (id: string) => { const p = pos.get(id)!; return (Math.atan2(p.y, p.x) - from + 4 * Math.PI) % (2 * Math.PI); };
    const angles = spokes.map((s) => angle(s.id));
    expect(angles).toEqual([...angles].sort((a, b) => a - b));
  });

  it('places a hub without spokes alone, and one spoke clear of it', () => {
    expect(starLayout({ id: 'h', body }, [], 400, 400)).toEqual(new Map([['h', { x: 0, y: 0 }]]));
    const one = [{ id: 'a', body, label: under(100) }];
    const pos = starLayout({ id: 'h', body, label: under(200, 2) }, one, 400, 400);
    expect(clashes({ id: 'h', body, label: under(200, 2) }, one, pos)).toEqual([]);
  });
});
