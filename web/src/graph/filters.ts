// Filtering the scene, as data: which entity types and relations show, an edge weight range and a
// time window over the edges' timestamps. Filtered elements stay in the scene (saved, exported,
// undoable) and are only hidden. Pure: tested in Node (test/web/filters.test.ts).

export interface SceneFilter {
  hiddenTypes: string[];
  hiddenRelations: string[];
  /** Stored relations lighter than this are hidden (statistical links are not weights). */
  minWeight: number | null;
  maxWeight: number | null;
  /** Time window, Unix seconds: an edge shows when its first..last timestamps overlap it. */
  since: number | null;
  until: number | null;
  /** Hide nodes whose every edge the filter hid (nodes that never had one stay). */
  hideOrphans: boolean;
}

export const noFilter: SceneFilter = { hiddenTypes: [], hiddenRelations: [], minWeight: null, maxWeight: null, since: null, until: null, hideOrphans: true };

export interface FilterNode { id: string; type: string }
export interface FilterEdge {
  id: string;
  source: string;
  target: string;
  relation: string;
  weight: number;
  firstTs?: number | null;
  lastTs?: number | null;
  derived?: boolean;
}

/** True when the filter hides anything at all. */
export function filterActive(f: SceneFilter): boolean {
  return f.hiddenTypes.length > 0 || f.hiddenRelations.length > 0 || f.minWeight !== null || f.maxWeight !== null || f.since !== null || f.until !== null;
}

/** Whether one edge passes the relation, weight and time parts of the filter (its ends aside). */
export function edgePasses(e: FilterEdge, f: SceneFilter): boolean {
  if (f.hiddenRelations.includes(e.relation)) return false;
  if (!e.derived) {
    if (f.minWeight !== null && e.weight < f.minWeight) return false;
    if (f.maxWeight !== null && e.weight > f.maxWeight) return false;
  }
  const first = e.firstTs ?? e.lastTs ?? null, last = e.lastTs ?? e.firstTs ?? null;
  // An edge without timestamps is not dated: a time window does not hide it.
  if (first !== null && last !== null) {
    if (f.since !== null && last < f.since) return false;
    if (f.until !== null && first > f.until) return false;
  }
  return true;
}

/** The ids of the nodes and edges the filter hides. */
export function hiddenBy(nodes: readonly FilterNode[], edges: readonly FilterEdge[], f: SceneFilter): { nodes: Set<string>; edges: Set<string> } {
  const hiddenNodes = new Set<string>();
  const hiddenEdges = new Set<string>();
  if (!filterActive(f)) return { nodes: hiddenNodes, edges: hiddenEdges };
  for (const n of nodes) if (f.hiddenTypes.includes(n.type)) hiddenNodes.add(n.id);
  const shown = new Map<string, number>();
  const had = new Set<string>();
  for (const e of edges) {
    had.add(e.source);
    had.add(e.target);
    if (hiddenNodes.has(e.source) || hiddenNodes.has(e.target) || !edgePasses(e, f)) {
      hiddenEdges.add(e.id);
      continue;
    }
    shown.set(e.source, (shown.get(e.source) ?? 0) + 1);
    shown.set(e.target, (shown.get(e.target) ?? 0) + 1);
  }
  if (f.hideOrphans) for (const n of nodes) if (had.has(n.id) && !shown.has(n.id)) hiddenNodes.add(n.id);
  return { nodes: hiddenNodes, edges: hiddenEdges };
}

/** What the scene holds, for the filter panel: types and relations with counts, weight and time ranges. */
export function filterRanges(nodes: readonly FilterNode[], edges: readonly FilterEdge[]): {
  types: [string, number][];
  relations: [string, number][];
  weight: { min: number; max: number } | null;
  time: { min: number; max: number } | null;
} {
  const types = new Map<string, number>();
  for (const n of nodes) types.set(n.type, (types.get(n.type) ?? 0) + 1);
  const relations = new Map<string, number>();
  let wMin = Infinity, wMax = -Infinity, tMin = Infinity, tMax = -Infinity;
  for (const e of edges) {
    relations.set(e.relation, (relations.get(e.relation) ?? 0) + 1);
    if (!e.derived && Number.isFinite(e.weight)) { wMin = Math.min(wMin, e.weight); wMax = Math.max(wMax, e.weight); }
    for (const t of [e.firstTs, e.lastTs]) if (typeof t === 'number' && Number.isFinite(t)) { tMin = Math.min(tMin, t); tMax = Math.max(tMax, t); }
  }
  const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    types: byCount(types),
    relations: byCount(relations),
    weight: wMin <= wMax ? { min: wMin, max: wMax } : null,
    time: tMin <= tMax ? { min: tMin, max: tMax } : null,
  };
}

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const strings = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);

/** A filter from untrusted JSON (a saved scene, a link): anything malformed falls back to "no filter" for that part. */
export function parseFilter(x: unknown): SceneFilter {
  const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>;
  return {
    hiddenTypes: strings(o.hiddenTypes),
    hiddenRelations: strings(o.hiddenRelations),
    minWeight: num(o.minWeight),
    maxWeight: num(o.maxWeight),
    since: num(o.since),
    until: num(o.until),
    hideOrphans: typeof o.hideOrphans === 'boolean' ? o.hideOrphans : noFilter.hideOrphans,
  };
}

/** The filter's parts that differ from "no filter" (what a link or a saved scene carries). */
export function compactFilter(f: SceneFilter): Partial<SceneFilter> {
  const out: Partial<SceneFilter> = {};
  if (f.hiddenTypes.length) out.hiddenTypes = f.hiddenTypes;
  if (f.hiddenRelations.length) out.hiddenRelations = f.hiddenRelations;
  for (const k of ['minWeight', 'maxWeight', 'since', 'until'] as const) if (f[k] !== null) out[k] = f[k];
  if (f.hideOrphans !== noFilter.hideOrphans) out.hideOrphans = f.hideOrphans;
  return out;
}
