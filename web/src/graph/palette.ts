// Colour and shape per entity type, as data. Colours are chosen to stay apart for the common
// forms of colour blindness and to keep white labels legible (contrast ≥ 4.5 on the fill).

export interface TypeLook {
  /** Node fill. */
  color: string;
  /** Cytoscape node shape. */
  shape: string;
  /** Lighter tint for legend chips and table badges. */
  tint: string;
}

/** The core types. */
export const typeLooks: Record<string, TypeLook> = {
  Consumer: { color: '#4f46e5', shape: 'ellipse', tint: '#e0e7ff' }, // indigo: people
  Product: { color: '#c2410c', shape: 'round-rectangle', tint: '#ffedd5' }, // burnt orange: what we sell
  Interest: { color: '#0f766e', shape: 'round-diamond', tint: '#ccfbf1' }, // teal: demand
};

/** Looks handed out, in order, to a schema file's extra types (Brand, Category, Channel…). */
export const extraLooks: readonly TypeLook[] = [
  { color: '#7e22ce', shape: 'round-hexagon', tint: '#f3e8ff' },
  { color: '#be185d', shape: 'round-triangle', tint: '#fce7f3' },
  { color: '#0369a1', shape: 'round-pentagon', tint: '#e0f2fe' },
  { color: '#4d7c0f', shape: 'round-octagon', tint: '#ecfccb' },
  { color: '#475569', shape: 'round-tag', tint: '#f1f5f9' },
];

/** Categorical colours for segments (Tableau 10, reordered so neighbours differ most). */
export const segmentColors: readonly string[] = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1',
  '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#bab0ac',
];

/** Colour for nodes whose segment is unknown while colouring by segment. */
export const noSegmentColor = '#cbd5e1';

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return h;
}

/** The look of an entity type; extra types get a stable look from their name. */
export function lookOf(type: string): TypeLook {
  return typeLooks[type] ?? extraLooks[hash(type) % extraLooks.length]!;
}

/** The colour of segment `index` (cycles after the palette runs out). */
export function segmentColor(index: number | undefined): string {
  if (index === undefined || index < 0) return noSegmentColor;
  return segmentColors[index % segmentColors.length]!;
}

/** Colour by degree: a sequential indigo ramp, one step per doubling (0, 1, 2–3, 4–7, 8–15, 16+). */
export const degreeRamp: readonly string[] = ['#cbd5e1', '#c7d2fe', '#a5b4fc', '#818cf8', '#4f46e5', '#312e81'];

/** The ramp step of a degree: log2 bins, so a hub does not push every other node into one colour. */
export function degreeBin(degree: number): number {
  if (!(degree > 0)) return 0;
  return Math.min(degreeRamp.length - 1, 1 + Math.floor(Math.log2(degree)));
}

/** The degrees a ramp step stands for, for the legend: "0", "1", "2–3", …, "16+". */
export function degreeBinLabel(bin: number): string {
  if (bin <= 0) return '0';
  if (bin >= degreeRamp.length - 1) return `${2 ** (bin - 1)}+`;
  const lo = 2 ** (bin - 1), hi = 2 ** bin - 1;
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}
