import cytoscape, { type Collection, type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { bigSizing, canvasLabel, sizesBy, sizing } from '../graph/elements.js';
import { History } from '../graph/history.js';
import { bigSceneNodes, draftLayoutNodes, fitViewport, layoutOptions, type LayoutName } from '../graph/layouts.js';
import { typeLooks } from '../graph/palette.js';
import type { SnapshotEdge, SnapshotNode } from '../graph/scene.js';
import { buildStyle } from '../graph/style.js';
import type { GraphElement, Lang } from '../graph/types.js';

cytoscape.use(fcose);

/** Largest zoom a fit may leave behind (small scenes stay at a natural size). */
const maxFitZoom = 1.2;

export type SizeBy = 'degree' | 'score';
export type ColorBy = 'type' | 'segment';

export interface AddOptions {
  /** Undo label; no label means the change is not recorded (e.g. restoring a deep link). */
  label?: string;
  /** Place new nodes around this node before the layout runs. */
  near?: string;
  /** 'full' re-lays out everything, 'incremental' keeps placed nodes as the start, 'none' keeps positions. */
  layout?: 'full' | 'incremental' | 'none';
}

/** The Cytoscape canvas with undo, style-as-data, layouts and highlights. */
export class GraphView {
  readonly cy: Core;
  readonly history = new History<ElementDefinition>();
  lang: Lang = 'en';
  colorBy: ColorBy = 'type';
  sizeBy: SizeBy = 'degree';
  layoutName: LayoutName = 'fcose';
  private big = false;
  private styledTypes = new Set(Object.keys(typeLooks));
  private listeners: (() => void)[] = [];
  /** Resolves when the running layout stops. */
  layoutDone: Promise<void> = Promise.resolve();

  constructor(container: HTMLElement) {
    this.cy = cytoscape({
      container,
      style: buildStyle({ types: [...this.styledTypes], colorBy: 'type', big: false }) as unknown as cytoscape.StylesheetJson,
      minZoom: 0.03,
      maxZoom: 4,
      boxSelectionEnabled: true,
      // A tap selects one node; shift/ctrl-tap and box selection add to it (Paths uses two selected nodes).
      selectionType: 'single',
    });
  }

  /** Called after every change of the scene's elements. */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  get nodeCount(): number {
    return this.cy.nodes().not('.more').length;
  }

  /** Adds elements not already on canvas (in one batch), records undo, lays out. Returns the new ones. */
  add(elements: GraphElement[], opts: AddOptions = {}): Collection {
    const cy = this.cy;
    const fresh = elements.filter((el) => cy.getElementById(el.data.id).empty());
    // Nodes first so edges find their ends; edges to absent nodes are dropped.
    const nodeIds = new Set(cy.nodes().map((n) => n.id()));
    const nodes = fresh.filter((e) => e.group === 'nodes');
    for (const n of nodes) nodeIds.add(n.data.id);
    const edges = fresh.filter((e) => e.group === 'edges' && nodeIds.has(e.data.source) && nodeIds.has(e.data.target));
    const defs = [...nodes, ...edges] as ElementDefinition[];
    if (!defs.length) return cy.collection();
    const center = opts.near ? cy.getElementById(opts.near) : null;
    let added!: Collection;
    cy.batch(() => {
      added = cy.add(defs);
      if (center?.nonempty()) {
        const c = center.position();
        const ring = added.nodes().filter((n) => !n.data('position'));
        const r = 110 + ring.length * 3;
        ring.forEach((n, i) => {
          const a = (2 * Math.PI * i) / Math.max(1, ring.length);
          n.position({ x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) });
        });
      }
      this.ensureStyle(added);
      this.refreshSizes();
    });
    if (opts.label) this.history.push({ label: opts.label, added: defs, removed: [] });
    let mode = opts.layout ?? 'incremental';
    // In a big scene, re-laying out thousands of nodes for a few new ones is wasted: they stay on their ring.
    if (mode === 'incremental' && cy.nodes().length > draftLayoutNodes && center?.nonempty()) mode = 'none';
    if (mode !== 'none') this.runLayout(undefined, { incremental: mode === 'incremental' && cy.nodes().length > added.nodes().length });
    this.changed();
    return added;
  }

  /** Removes elements (with their edges), recording undo. */
  remove(eles: Collection, label = 'remove'): void {
    const all = eles.union(eles.nodes().connectedEdges());
    if (all.empty()) return;
    const defs = all.jsons() as unknown as ElementDefinition[];
    this.cy.batch(() => {
      all.remove();
      this.refreshSizes();
    });
    this.history.push({ label, added: [], removed: defs });
    this.changed();
  }

  /** Removes everything (undoable). */
  clear(): void {
    this.remove(this.cy.elements(), 'clear');
  }

  /** Reverts the last change. */
  undo(): boolean {
    const c = this.history.undo();
    if (!c) return false;
    this.apply(c.removed, c.added);
    return true;
  }

  redo(): boolean {
    const c = this.history.redo();
    if (!c) return false;
    this.apply(c.added, c.removed);
    return true;
  }

  private apply(toAdd: ElementDefinition[], toRemove: ElementDefinition[]): void {
    const cy = this.cy;
    cy.batch(() => {
      for (const d of toRemove) cy.getElementById(String(d.data.id)).remove();
      const nodes = toAdd.filter((d) => d.group === 'nodes' && cy.getElementById(String(d.data.id)).empty());
      const edges = toAdd.filter((d) => d.group === 'edges' && cy.getElementById(String(d.data.id)).empty());
      cy.add(nodes);
      cy.add(edges.filter((e) => cy.getElementById(String(e.data.source)).nonempty() && cy.getElementById(String(e.data.target)).nonempty()));
      this.refreshSizes();
    });
    this.changed();
  }

  /** Emits style rules for types not seen before and switches to the cheap style for big scenes. */
  private ensureStyle(added?: Collection): void {
    let dirty = false;
    added?.nodes().forEach((n) => {
      const t = n.data('type') as string;
      if (!t.startsWith('_') && !this.styledTypes.has(t)) {
        this.styledTypes.add(t);
        dirty = true;
      }
    });
    const big = this.cy.nodes().length > bigSceneNodes;
    if (big !== this.big) {
      this.big = big;
      dirty = true;
      // Cheaper viewport interaction for big scenes: edges hidden and a texture while panning.
      const r = (this.cy as unknown as { renderer(): Record<string, unknown> }).renderer();
      r.hideEdgesOnViewport = big;
      r.textureOnViewport = big;
    }
    if (dirty) this.applyStyle();
  }

  /** Rebuilds the stylesheet from the current options. */
  applyStyle(): void {
    this.cy.style(buildStyle({ types: [...this.styledTypes], colorBy: this.colorBy, big: this.big }) as unknown as cytoscape.StylesheetJson);
  }

  get isBig(): boolean {
    return this.big;
  }

  /** Recomputes node sizes from degree (stored relations only) or from score. */
  refreshSizes(): void {
    const values = new Map<string, number | undefined>();
    const nodes = this.cy.nodes().not('.more') as unknown as cytoscape.NodeCollection;
    nodes.forEach((n: NodeSingular) => {
      values.set(n.id(), this.sizeBy === 'degree' ? n.degree(false) : (n.data('score') as number | undefined));
    });
    const scale = this.cy.nodes().length > bigSceneNodes ? bigSizing : sizing;
    const sizes = sizesBy(values, scale);
    this.cy.batch(() => nodes.forEach((n: NodeSingular) => {
      const s = sizes.get(n.id()) ?? scale.initial;
      if (n.data('size') !== s) n.data('size', s);
    }));
  }

  /** Runs a layout; incremental fcose starts from current positions so the scene does not jump. */
  runLayout(name: LayoutName = this.layoutName, opts: { incremental?: boolean; roots?: string[] } = {}): Promise<void> {
    const cy = this.cy;
    const extra: Record<string, unknown> = {};
    if (name === 'fcose' && opts.incremental) Object.assign(extra, { randomize: false, quality: 'default' });
    if (name === 'breadthfirst') {
      const sel = cy.nodes(':selected');
      const roots = opts.roots ?? (sel.nonempty() ? sel.map((n) => n.id()) : []);
      if (roots.length) extra.roots = roots.map((r) => cy.getElementById(r));
    }
    const options = layoutOptions(name, cy.nodes().length, extra);
    const layout = cy.layout(options as unknown as cytoscape.LayoutOptions);
    this.layoutDone = new Promise((resolve) =>
      layout.one('layoutstop', () => {
        // A fitted scene of a few nodes would be blown up to the max zoom; keep it at a readable scale.
        if (options.fit !== false && cy.zoom() > maxFitZoom) this.fitNow();
        resolve();
      }),
    );
    layout.run();
    return this.layoutDone;
  }

  /** Relabels every node for a language. */
  relabel(lang: Lang): void {
    this.lang = lang;
    this.cy.batch(() =>
      this.cy.nodes().not('.more').forEach((n) => {
        n.data('label', canvasLabel({ name: n.data('name'), nameEn: n.data('nameEn'), id: n.data('entityId') }, lang));
      }),
    );
  }

  /** Highlights a set of elements and fades the rest; empty clears. */
  highlight(eles: Collection): void {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements().removeClass('faded highlight');
      if (eles.nonempty()) {
        cy.elements().not(eles).addClass('faded');
        eles.addClass('highlight');
      }
    });
  }

  clearHighlight(): void {
    this.highlight(this.cy.collection());
  }

  private viewportFor(eles?: Collection) {
    const target = eles && eles.nonempty() ? eles : this.cy.elements();
    return fitViewport(target.boundingBox({}), this.cy.width(), this.cy.height(), 50, maxFitZoom, this.cy.minZoom());
  }

  /** Fits at once (no animation), never beyond a readable zoom. */
  fitNow(eles?: Collection): void {
    this.cy.viewport(this.viewportFor(eles));
  }

  /** Fits the view on a collection (or everything), animated for small scenes. */
  fit(eles?: Collection): void {
    if (this.big) this.fitNow(eles);
    else this.cy.animate({ ...this.viewportFor(eles), duration: 300 });
  }

  zoomBy(factor: number): void {
    const cy = this.cy;
    const z = cy.zoom() * factor;
    cy.zoom({ level: z, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  /** Nodes and edges as plain data for export and deep links (badges left out). */
  snapshot(): { nodes: SnapshotNode[]; edges: SnapshotEdge[] } {
    const nodes: SnapshotNode[] = this.cy.nodes().not('.more').map((n: NodeSingular) => ({
      key: n.id(),
      id: n.data('entityId') as string,
      type: n.data('type') as string,
      name: n.data('name') as string,
      nameEn: (n.data('nameEn') as string | null) ?? null,
      properties: (n.data('properties') as string | null) ?? null,
      x: Math.round(n.position('x')),
      y: Math.round(n.position('y')),
    }));
    const edges: SnapshotEdge[] = this.cy.edges().not('.more').map((e) => {
      const out: SnapshotEdge = { source: e.data('source'), target: e.data('target'), relation: e.data('relation'), weight: e.data('weight') };
      if (e.data('derived')) out.derived = true;
      if (e.data('label')) out.label = e.data('label');
      return out;
    });
    return { nodes, edges };
  }
}
