import { apiEdgeToElement, edgeWidth, entityToNode } from './elements.js';
import { compactFilter, parseFilter, type SceneFilter } from './filters.js';
import { isLayoutName, type LayoutName } from './layouts.js';
import type { GraphElement, Lang, NodeElement } from './types.js';

// The scene as shareable state: a compact deep link in the URL hash, and a JSON export that
// round-trips through import. Pure; the UI reads and writes `location.hash` and files.

export type ViewName = 'explore' | 'demand' | 'paths' | 'opportunities' | 'trends';
const viewNames: readonly ViewName[] = ['explore', 'demand', 'paths', 'opportunities', 'trends'];

export interface SceneState {
  /** Entity keys on the canvas (badges and statistics are not shared). */
  nodes: string[];
  /** Stored relations between them: [source index, target index, relation, weight]. */
  edges: [number, number, string, number][];
  /** Rounded positions, one per node, when the scene is small enough to carry them. */
  pos?: [number, number][];
  sel?: string;
  lang: Lang;
  layout: LayoutName;
  view: ViewName;
  /** Exploration slider, 0..1. */
  x: number;
  color: ColorMode;
  /** The filter panel's settings (the parts that hide something). */
  filter?: SceneFilter;
  /** Keys of expanded nodes (their "+N more" badges come back on reload). */
  expanded?: string[];
}

/** What nodes are coloured by. */
export type ColorMode = 'type' | 'segment' | 'degree';
export const colorModes: readonly ColorMode[] = ['type', 'segment', 'degree'];
/** What nodes are sized by: stored relations, score, or the summed weight of their relations. */
export type SizeMode = 'degree' | 'score' | 'weight';
export const sizeModes: readonly SizeMode[] = ['degree', 'score', 'weight'];

export const sceneDefaults: Omit<SceneState, 'nodes' | 'edges'> = { lang: 'en', layout: 'fcose', view: 'explore', x: 0.3, color: 'type' };

/** Largest scene whose nodes travel in the URL; bigger ones are shared by JSON export. */
export const maxLinkNodes = 300;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** The URL hash (without '#') for a scene; the graph part is left out above `maxLinkNodes`. */
export function encodeScene(s: SceneState): string {
  const p = new URLSearchParams();
  if (s.lang !== sceneDefaults.lang) p.set('lang', s.lang);
  if (s.layout !== sceneDefaults.layout) p.set('layout', s.layout);
  if (s.view !== sceneDefaults.view) p.set('view', s.view);
  if (s.x !== sceneDefaults.x) p.set('x', String(Math.round(s.x * 100) / 100));
  if (s.color !== sceneDefaults.color) p.set('color', s.color);
  if (s.sel) p.set('sel', s.sel);
  const f = s.filter ? compactFilter(s.filter) : {};
  if (Object.keys(f).length) p.set('f', toBase64Url(JSON.stringify(f)));
  if (s.nodes.length && s.nodes.length <= maxLinkNodes) {
    const index = new Map(s.nodes.map((k, i) => [k, i]));
    const m = (s.expanded ?? []).map((k) => index.get(k)).filter((i): i is number => i !== undefined);
    p.set('g', toBase64Url(JSON.stringify({ n: s.nodes, e: s.edges, p: s.pos, ...(m.length ? { m } : {}) })));
  }
  return p.toString();
}

/**
 * Reads a scene from a URL hash. Unknown or malformed parts fall back to defaults, and the
 * problems are listed, so a mangled link still opens the explorer.
 */
export function decodeScene(hash: string): { scene: SceneState; problems: string[] } {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const problems: string[] = [];
  const scene: SceneState = { ...sceneDefaults, nodes: [], edges: [] };
  const lang = p.get('lang');
  if (lang === 'en' || lang === 'zh') scene.lang = lang;
  else if (lang !== null) problems.push(`lang: "${lang}" is not en or zh`);
  const layout = p.get('layout');
  if (isLayoutName(layout)) scene.layout = layout;
  else if (layout !== null) problems.push(`layout: "${layout}" is unknown`);
  const view = p.get('view');
  if (view !== null && (viewNames as readonly string[]).includes(view)) scene.view = view as ViewName;
  else if (view !== null) problems.push(`view: "${view}" is unknown`);
  const x = p.get('x');
  if (x !== null) {
    const v = Number(x);
    if (Number.isFinite(v) && v >= 0 && v <= 1) scene.x = v;
    else problems.push(`x: "${x}" is not between 0 and 1`);
  }
  const color = p.get('color');
  if (color !== null && (colorModes as readonly string[]).includes(color)) scene.color = color as ColorMode;
  else if (color !== null) problems.push(`color: "${color}" is not type, segment or degree`);
  const f = p.get('f');
  if (f) {
    try {
      scene.filter = parseFilter(JSON.parse(fromBase64Url(f)));
    } catch (e) {
      problems.push(`f: ${(e as Error).message}`);
    }
  }
  const sel = p.get('sel');
  if (sel) scene.sel = sel;
  const g = p.get('g');
  if (g) {
    try {
      const raw = JSON.parse(fromBase64Url(g)) as { n?: unknown; e?: unknown; p?: unknown; m?: unknown };
      if (!Array.isArray(raw.n) || !raw.n.every((k) => typeof k === 'string')) throw new Error('nodes are not a list of keys');
      scene.nodes = raw.n as string[];
      const count = scene.nodes.length;
      if (Array.isArray(raw.e)) {
        scene.edges = (raw.e as unknown[]).filter(
          (e): e is [number, number, string, number] =>
            Array.isArray(e) && Number.isInteger(e[0]) && Number.isInteger(e[1]) && e[0] >= 0 && e[1] >= 0 && e[0] < count && e[1] < count && typeof e[2] === 'string' && typeof e[3] === 'number',
        );
      }
      if (Array.isArray(raw.p) && raw.p.length === count && raw.p.every((q) => Array.isArray(q) && q.length === 2 && q.every(Number.isFinite))) {
        scene.pos = raw.p as [number, number][];
      }
      if (Array.isArray(raw.m)) {
        const expanded = (raw.m as unknown[]).filter((i): i is number => Number.isInteger(i) && (i as number) >= 0 && (i as number) < count);
        if (expanded.length) scene.expanded = [...new Set(expanded)].map((i) => scene.nodes[i]!);
      }
    } catch (e) {
      problems.push(`g: ${(e as Error).message}`);
    }
  }
  return { scene, problems };
}

/** One node as the scene snapshot needs it. */
export interface SnapshotNode {
  key: string;
  id: string;
  type: string;
  name: string;
  nameEn: string | null;
  properties: string | null;
  x?: number;
  y?: number;
}

export interface SnapshotEdge {
  source: string;
  target: string;
  relation: string;
  weight: number;
  derived?: boolean;
  label?: string;
  /** First and last timestamp of the relation (Unix seconds), when the data has them. */
  firstTs?: number | null;
  lastTs?: number | null;
}

/** How a scene was looked at: filter and style (a saved scene reopens with them). */
export interface SceneSettings {
  filter?: Partial<SceneFilter>;
  colorBy?: ColorMode;
  sizeBy?: SizeMode;
  layout?: LayoutName;
}

/** The JSON export format. */
export interface SceneFile {
  format: 'kg-explorer-scene';
  version: 1;
  nodes: SnapshotNode[];
  edges: SnapshotEdge[];
  settings?: SceneSettings;
}

/** Settings from untrusted JSON: unknown values are dropped, not errors (an older explorer's file opens). */
export function parseSettings(x: unknown): Required<Pick<SceneSettings, 'filter'>> & SceneSettings {
  const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>;
  const out: Required<Pick<SceneSettings, 'filter'>> & SceneSettings = { filter: parseFilter(o.filter) };
  if ((colorModes as readonly unknown[]).includes(o.colorBy)) out.colorBy = o.colorBy as ColorMode;
  if ((sizeModes as readonly unknown[]).includes(o.sizeBy)) out.sizeBy = o.sizeBy as SizeMode;
  if (isLayoutName(o.layout)) out.layout = o.layout;
  return out;
}

/** The graph part of a scene state from snapshot nodes and edges (derived edges are not shared). */
export function sceneGraph(nodes: SnapshotNode[], edges: SnapshotEdge[], withPositions: boolean): Pick<SceneState, 'nodes' | 'edges' | 'pos'> {
  const index = new Map(nodes.map((n, i) => [n.key, i]));
  const out: Pick<SceneState, 'nodes' | 'edges' | 'pos'> = {
    nodes: nodes.map((n) => n.key),
    edges: edges
      .filter((e) => !e.derived && index.has(e.source) && index.has(e.target))
      .map((e) => [index.get(e.source)!, index.get(e.target)!, e.relation, e.weight]),
  };
  if (withPositions && nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y))) {
    out.pos = nodes.map((n) => [Math.round(n.x!), Math.round(n.y!)]);
  }
  return out;
}

/** Reads an exported scene file; throws with the reason when it is not one. */
export function parseSceneFile(json: unknown): SceneFile {
  const f = json as Partial<SceneFile> | null;
  if (!f || f.format !== 'kg-explorer-scene') throw new Error('not a scene file (format must be "kg-explorer-scene")');
  if (f.version !== 1) throw new Error(`unsupported scene version ${String(f.version)}`);
  if (!Array.isArray(f.nodes) || !Array.isArray(f.edges)) throw new Error('nodes and edges must be lists');
  f.nodes.forEach((n, i) => {
    if (!n || typeof n.key !== 'string' || typeof n.type !== 'string' || typeof n.id !== 'string') throw new Error(`node ${i}: key, id and type are required`);
  });
  f.edges.forEach((e, i) => {
    if (!e || typeof e.source !== 'string' || typeof e.target !== 'string' || typeof e.relation !== 'string') throw new Error(`edge ${i}: source, target and relation are required`);
  });
  return f as SceneFile;
}

/** Cytoscape elements of a scene file (positions kept when present). */
export function sceneFileToElements(file: SceneFile, lang: Lang): GraphElement[] {
  const keys = new Set<string>();
  const out: GraphElement[] = [];
  for (const n of file.nodes) {
    if (keys.has(n.key)) continue;
    keys.add(n.key);
    const el: NodeElement = entityToNode({ ...n, name: n.name ?? n.id }, lang);
    if (Number.isFinite(n.x) && Number.isFinite(n.y)) el.position = { x: n.x!, y: n.y! };
    out.push(el);
  }
  const edges = new Set<string>();
  for (const e of file.edges) {
    if (!keys.has(e.source) || !keys.has(e.target)) continue;
    const el = apiEdgeToElement({ ...e, weight: Number.isFinite(e.weight) ? e.weight : 1 });
    if (edges.has(el.data.id)) continue;
    edges.add(el.data.id);
    if (e.derived) {
      el.data.derived = true;
      el.classes = 'derived';
      el.data.width = edgeWidth(el.data.weight);
    }
    if (e.label) el.data.label = e.label;
    if (typeof e.firstTs === 'number') el.data.firstTs = e.firstTs;
    if (typeof e.lastTs === 'number') el.data.lastTs = e.lastTs;
    out.push(el);
  }
  return out;
}
