import cytoscape, { type Collection, type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { bigSizing, canvasLabel, sizesBy, sizing, withSubLabel } from '../graph/elements.js';
import { mergePersons } from '../graph/persons.js';
import { History } from '../graph/history.js';
import { clusterLayout } from '../graph/cluster-layout.js';
import { starLayout, type RelBox, type StarSpoke } from '../graph/star-layout.js';
import { columnLayout, type ColumnNode } from '../graph/column-layout.js';
import { prepareFreshScene } from '../graph/fresh-scene.js';
import { bigSceneNodes, clusterLayoutNodes, draftLayoutNodes, fitViewport, layoutOptions, layoutPadding, type Box, type LayoutName } from '../graph/layouts.js';
import { typeLooks } from '../graph/palette.js';
import type { ColorMode, SizeMode, SnapshotEdge, SnapshotNode } from '../graph/scene.js';
import { filterActive, hiddenBy, noFilter, type FilterEdge, type FilterNode, type SceneFilter } from '../graph/filters.js';
import { degreeBin } from '../graph/palette.js';
import { buildStyle, labelledClass, styleDefaults } from '../graph/style.js';
import { debounce } from './dom.js';
import { installFastHitTest } from './fast-hit-test.js';
import { relationName } from './i18n.js';
import type { ApiEntity, EdgeElement, GraphElement, Lang, NodeElement } from '../graph/types.js';

cytoscape.use(fcose);

/** Largest zoom a fit may leave behind (small scenes stay at a natural size). */
const maxFitZoom = 1.2;

/** Above this many highlighted edges, they are drawn without their relation names (the details panel names them). */
const quietHighlightEdges = 12;

/** Most labels a big scene draws at once (the nodes in view when zoomed in). */
const maxViewLabels = 400;

export interface GraphViewOptions {
  /** Cytoscape's WebGL renderer (3.31+ preview): draws big scenes faster, answers clicks slower (GPU picking). */
  webgl?: boolean;
}

export type SizeBy = SizeMode;
export type ColorBy = ColorMode;

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

  private labelled = new Set<string>();

  constructor(container: HTMLElement, opts: GraphViewOptions = {}) {
    this.cy = cytoscape({
      container,
      ...(opts.webgl ? ({ renderer: { name: 'canvas', webgl: true } } as unknown as Partial<cytoscape.CytoscapeOptions>) : {}),
      style: buildStyle({ types: [...this.styledTypes], colorBy: 'type', big: false }) as unknown as cytoscape.StylesheetJson,
      minZoom: 0.03,
      maxZoom: 4,
      boxSelectionEnabled: true,
      // A tap selects one node; shift/ctrl-tap and box selection add to it (Paths uses two selected nodes).
      selectionType: 'single',
    });
    // WebGL picks on the GPU; the canvas renderer's full pass over every element is replaced for big scenes.
    if (!opts.webgl) installFastHitTest(this.cy, () => this.big);
    // Big scenes label only what is in view, once zoomed in far enough to read it.
    this.cy.on('viewport', debounce(() => this.labelInView(), 120));
  }

  /** Puts the `labelled` class on the nodes in view of a big scene (at most maxViewLabels). */
  private labelInView(): void {
    const cy = this.cy;
    const want = new Set<string>();
    if (this.big && cy.zoom() * styleDefaults.fontSize >= styleDefaults.minZoomedFontSize) {
      const e = cy.extent();
      const nodes = cy.nodes();
      for (let i = 0; i < nodes.length && want.size < maxViewLabels; i++) {
        const n = nodes[i]!;
        const p = n.position();
        if (p.x >= e.x1 && p.x <= e.x2 && p.y >= e.y1 && p.y <= e.y2) want.add(n.id());
      }
    }
    const drop = [...this.labelled].filter((id) => !want.has(id));
    const add = [...want].filter((id) => !this.labelled.has(id));
    if (!drop.length && !add.length) return;
    cy.batch(() => {
      for (const id of drop) cy.getElementById(id).removeClass(labelledClass);
      for (const id of add) cy.getElementById(id).addClass(labelledClass);
    });
    this.labelled = want;
  }

  /** Called after every change of the scene's elements. */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    this.applyFilter();
    for (const fn of this.listeners) fn();
  }

  /** The filter panel's settings; setFilter applies them. */
  filter: SceneFilter = noFilter;
  /** How many elements the filter hides now. */
  hiddenCount = 0;

  /** Applies a filter; `notify` false for settings read from a link (the scene did not change by the user's hand). */
  setFilter(f: SceneFilter, notify = true): void {
    this.filter = f;
    this.applyFilter();
    if (notify) for (const fn of this.listeners) fn();
  }

  /** Nodes and edges as the filter reads them (badges left out: they follow their node). */
  filterInput(): { nodes: FilterNode[]; edges: FilterEdge[] } {
    const nodes: FilterNode[] = [];
    const edges: FilterEdge[] = [];
    this.cy.nodes().forEach((n) => { if (!n.hasClass('more')) nodes.push({ id: n.id(), type: n.data('type') as string }); });
    this.cy.edges().forEach((e) => {
      if (e.hasClass('more')) return;
      const d = e.data() as FilterEdge;
      edges.push({ id: d.id, source: d.source, target: d.target, relation: d.relation, weight: d.weight, firstTs: d.firstTs, lastTs: d.lastTs, derived: !!d.derived });
    });
    return { nodes, edges };
  }

  /** Hides what the filter hides (class `filtered`), shows the rest; a badge hides with its node. */
  private applyFilter(): void {
    const cy = this.cy;
    if (!filterActive(this.filter) && this.hiddenCount === 0) return;
    const { nodes, edges } = this.filterInput();
    const hidden = hiddenBy(nodes, edges, this.filter);
    let count = 0;
    cy.batch(() => cy.elements().forEach((el) => {
      const of = el.data('moreOf') as string | undefined;
      const isMore = el.hasClass('more');
      const hide = el.group() === 'nodes' ? hidden.nodes.has(of ?? el.id()) : isMore ? hidden.nodes.has(el.data('source') as string) : hidden.edges.has(el.id());
      if (hide) count++;
      if (hide !== el.hasClass('filtered')) el.toggleClass('filtered', hide);
    }));
    this.hiddenCount = count;
  }

  /** Entity nodes on canvas ("+N more" badges left out; counting them beats copying 10k nodes into a collection). */
  get nodeCount(): number {
    return this.cy.nodes().length - this.cy.nodes('.more').length;
  }

  /** Edges on canvas, badge edges left out. */
  get edgeCount(): number {
    return this.cy.edges().length - this.cy.edges('.more').length;
  }

  /** Consumer key → the node its stitched person is drawn as (another id of the person). */
  private readonly personAlias = new Map<string, string>();

  /** The node a key is drawn as: itself, or its person's node when another id of the person was drawn first. */
  nodeIdFor(key: string): string {
    return this.personAlias.get(key) ?? key;
  }

  /** One node a person: the consumers of a stitched person fold into the node drawn for it (graph/persons.ts). */
  private foldPersons(elements: GraphElement[]): GraphElement[] {
    const cy = this.cy;
    const drawnAs = (person: string) => {
      const n = cy.nodes(`[person = "${person.replace(/["\\]/g, '')}"]`).not('.more').first();
      return n.nonempty() ? n.id() : undefined;
    };
    const { elements: out, alias } = mergePersons(elements, drawnAs, this.personAlias);
    for (const [key, node] of alias) {
      this.personAlias.set(key, node);
      const n = cy.getElementById(node);
      const keys = (n.data('personKeys') as string[] | undefined) ?? [];
      if (n.nonempty() && !keys.includes(key)) n.data('personKeys', [...keys, key]);
    }
    return out;
  }

  /** Adds elements not already on canvas (in one batch), records undo, lays out. Returns the new ones. */
  add(elements: GraphElement[], opts: AddOptions = {}): Collection {
    const cy = this.cy;
    elements = this.foldPersons(elements);
    const emptyCanvas = cy.elements().empty();
    const newEls = emptyCanvas ? elements : elements.filter((el) => cy.getElementById(el.data.id).empty());
    // Nodes first so edges find their ends; edges to absent nodes are dropped.
    const nodeIds = new Set(cy.nodes().map((n) => n.id()));
    const nodes = newEls.filter((e): e is NodeElement => e.group === 'nodes');
    for (const n of nodes) nodeIds.add(n.data.id);
    const edges = newEls.filter((e): e is EdgeElement => e.group === 'edges' && nodeIds.has(e.data.source) && nodeIds.has(e.data.target));
    const defs = [...nodes, ...edges] as ElementDefinition[];
    if (!defs.length) return cy.collection();
    const center = opts.near ? cy.getElementById(opts.near) : null;
    let mode = opts.layout ?? 'incremental';
    // Switch to the big-scene style before adding: restyling 10k elements afterwards costs more.
    this.setBig(cy.nodes().length + nodes.length > bigSceneNodes);
    // Relation names in the page's language on the definitions: a highlighted edge shows them.
    for (const e of edges) e.data.relLabel = relationName(e.data.relation);
    const fresh = emptyCanvas;
    if (fresh) {
      // An empty canvas (import, deep link): sizes and the cluster layout on the plain definitions.
      const cluster = mode === 'full' && this.layoutName === 'fcose' && nodes.length > clusterLayoutNodes;
      prepareFreshScene([...nodes, ...edges], { sizeBy: this.sizeBy, big: this.big, layout: cluster });
      if (cluster) mode = 'none';
    }
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
      this.ensureStyle(nodes);
      if (!fresh) this.refreshSizes();
    });
    if (opts.label) this.history.push({ label: opts.label, added: defs.filter((d) => !isBadge(d)), removed: [] });
    // In a big scene, re-laying out thousands of nodes for a few new ones is wasted: they stay on their ring.
    if (mode === 'incremental' && cy.nodes().length > draftLayoutNodes && center?.nonempty()) mode = 'none';
    if (mode !== 'none') this.runLayout(undefined, { incremental: mode === 'incremental' && cy.nodes().length > added.nodes().length });
    else if (fresh) this.fitNow();
    this.changed();
    return added;
  }

  /**
   * Replaces the whole scene by `elements`, laid out afresh and fitted: one undo step brings the
   * old scene back. A view's drawing (an opportunity) starts clean instead of piling onto the last.
   */
  replace(elements: GraphElement[], label: string, columns?: string[][]): Collection {
    const old = (this.cy.elements().jsons() as unknown as ElementDefinition[]).filter((d) => !isBadge(d));
    this.cy.elements().remove();
    // A star (an opportunity) is placed by its labels, not by fcose; so are paths, in `columns`.
    const star = this.layoutName === 'fcose' && starHub(elements) !== null;
    this.pathColumns = columns ?? null;
    const added = this.add(elements, { layout: star || columns ? 'none' : 'full' });
    if (columns) this.placeInColumns(columns);
    else if (star) this.runLayout();
    this.history.push({ label, added: (added.jsons() as unknown as ElementDefinition[]).filter((d) => !isBadge(d)), removed: old });
    return added;
  }

  /** Removes elements (with their edges), recording undo. */
  remove(eles: Collection, label = 'remove'): void {
    const all = eles.union(eles.nodes().connectedEdges());
    if (all.empty()) return;
    // Badges are derived (the expansion redraws them after every change): undo never restores one.
    const defs = (all.jsons() as unknown as ElementDefinition[]).filter((d) => !isBadge(d));
    this.cy.batch(() => {
      all.remove();
      this.refreshSizes();
    });
    this.setBig(this.cy.nodes().length > bigSceneNodes);
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
    cy.edges().forEach((e) => { if (!e.data('relLabel')) e.data('relLabel', relationName(e.data('relation') as string)); });
    this.ensureStyle(toAdd.filter((d) => d.group === 'nodes'));
    this.changed();
  }

  /** Emits style rules for types not seen before and switches to the cheap style for big scenes. */
  private ensureStyle(nodes: readonly { data: object }[]): void {
    let dirty = false;
    for (const n of nodes) {
      const t = String((n.data as { type?: unknown }).type);
      if (!t.startsWith('_') && !this.styledTypes.has(t)) {
        this.styledTypes.add(t);
        dirty = true;
      }
    }
    if (!this.setBig(this.cy.nodes().length > bigSceneNodes) && dirty) this.applyStyle();
  }

  /** Switches between the normal and the big-scene style; true when it changed (and restyled). */
  private setBig(big: boolean): boolean {
    if (big === this.big) return false;
    this.big = big;
    // Cheaper viewport interaction for big scenes: edges hidden and a texture while panning.
    const r = (this.cy as unknown as { renderer(): Record<string, unknown> }).renderer();
    r.hideEdgesOnViewport = big;
    r.textureOnViewport = big;
    this.applyStyle();
    if (!big) this.labelled.clear();
    return true;
  }

  /** Rebuilds the stylesheet from the current options. */
  applyStyle(): void {
    this.cy.style(buildStyle({ types: [...this.styledTypes], colorBy: this.colorBy, big: this.big }) as unknown as cytoscape.StylesheetJson);
  }

  get isBig(): boolean {
    return this.big;
  }

  /** Recomputes node sizes from degree (stored relations only), score or summed weight, and the degree colour step. */
  refreshSizes(): void {
    const values = new Map<string, number | undefined>();
    const nodes = this.cy.nodes().filter((n) => !n.hasClass('more'));
    // Degrees in one pass over the edges: node.degree() per node walks its edges again, slow at 10k.
    const degree = new Map<string, number>();
    const strength = new Map<string, number>();
    this.cy.edges().forEach((e) => {
      if (e.hasClass('more') || e.data('derived')) return;
      const s = e.data('source') as string, t = e.data('target') as string;
      const w = Number(e.data('weight')) || 0;
      degree.set(s, (degree.get(s) ?? 0) + 1);
      degree.set(t, (degree.get(t) ?? 0) + 1);
      strength.set(s, (strength.get(s) ?? 0) + w);
      strength.set(t, (strength.get(t) ?? 0) + w);
    });
    nodes.forEach((n) => {
      const id = n.id();
      values.set(id, this.sizeBy === 'degree' ? (degree.get(id) ?? 0) : this.sizeBy === 'weight' ? (strength.get(id) ?? 0) : (n.data('score') as number | undefined));
    });
    const scale = this.cy.nodes().length > bigSceneNodes ? bigSizing : sizing;
    const sizes = sizesBy(values, scale);
    this.cy.batch(() => nodes.forEach((n) => {
      const s = sizes.get(n.id()) ?? scale.initial;
      if (n.data('size') !== s) n.data('size', s);
      const bin = degreeBin(degree.get(n.id()) ?? 0);
      if (n.data('degBin') !== bin) n.data('degBin', bin);
    }));
  }

  /** Runs a layout; incremental fcose starts from current positions so the scene does not jump. */
  runLayout(name: LayoutName = this.layoutName, opts: { incremental?: boolean; roots?: string[] } = {}): Promise<void> {
    const cy = this.cy;
    const hub = name === 'fcose' && cy.nodes().length <= 60 ? starHubOnCanvas(cy) : null;
    // A paths scene, as drawn (its aggregates may have gone): its columns again.
    const columns = this.pathColumns;
    if (name === 'fcose' && columns && cy.nodes().filter((n) => !columns.some((c) => c.includes(n.id()))).empty()) {
      this.placeInColumns(columns);
      return this.layoutDone;
    }
    if (hub) {
      this.starLayout(hub);
      this.layoutDone = Promise.resolve();
      return this.layoutDone;
    }
    if (name === 'fcose' && cy.nodes().length > clusterLayoutNodes) {
      this.clusterLayout();
      this.layoutDone = Promise.resolve();
      return this.layoutDone;
    }
    const extra: Record<string, unknown> = {};
    if (name === 'fcose' && opts.incremental) Object.assign(extra, { randomize: false, quality: 'default' });
    if (name === 'breadthfirst') {
      const sel = cy.nodes(':selected');
      const roots = opts.roots ?? (sel.nonempty() ? sel.map((n) => n.id()) : []);
      // Ids, not collections: Cytoscape looks an array's items up by id, and a collection found no
      // root, which put every node on one line (depth 0).
      if (roots.length) extra.roots = roots;
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

  /**
   * Places a star scene (one hub, every edge on it) with star-layout.ts: spokes grouped by kind
   * (the need's interests, closest products, driving segments, adjacent interests) on an
   * ellipse wide enough that no label touches another; then fits it.
   */
  private starLayout(hubId: string): void {
    const cy = this.cy;
    const hub = cy.getElementById(hubId);
    const rel = (n: NodeSingular): { body: RelBox; label?: RelBox } => {
      const p = n.position();
      const b = n.boundingBox({ includeNodes: false, includeLabels: true, includeOverlays: false, includeEdges: false } as cytoscape.BoundingBoxOptions);
      const body = { w: n.outerWidth(), h: n.outerHeight(), dx: 0, dy: 0 };
      return b.w > 0 ? { body, label: { w: b.w, h: b.h, dx: b.x1 + b.w / 2 - p.x, dy: b.y1 + b.h / 2 - p.y } } : { body };
    };
    const order = ['_NEED', '_CLOSEST', '_DRIVES', '_ADJACENT'];
    const font = `9px ${styleDefaults.fontFamily}`;
    const spokes: (StarSpoke & { rank: number })[] = [];
    hub.connectedEdges().forEach((e) => {
      const other = e.source().id() === hubId ? e.target() : e.source();
      const text = e.data('label') as string | undefined;
      // Edge labels are 9 px text with 2 px of background padding around it (style.ts).
      const edgeLabel = text ? { w: measureText(text, font) + 4, h: 9 * 1.25 + 4 } : undefined;
      const rank = order.indexOf(e.data('relation') as string);
      spokes.push({ id: other.id(), ...rel(other), edgeLabel, rank: rank < 0 ? order.length : rank });
    });
    spokes.sort((a, b) => a.rank - b.rank);
    const pos = starLayout({ id: hubId, ...rel(hub) }, spokes, cy.width() - 2 * layoutPadding, cy.height() - 2 * layoutPadding);
    cy.batch(() => { for (const [id, p] of pos) cy.getElementById(id).position(p); });
    this.fitNow();
  }

  /** The columns of the last paths scene drawn (replace), for a re-layout of the same scene. */
  private pathColumns: string[][] | null = null;

  /** Places nodes in columns (column-layout.ts) by their measured bodies and labels, then fits them. */
  private placeInColumns(columns: string[][]): void {
    const cy = this.cy;
    const measured = columns.map((col) => col.filter((id) => cy.getElementById(id).nonempty()).map((id): ColumnNode => {
      const n = cy.getElementById(id) as NodeSingular;
      const p = n.position();
      const b = n.boundingBox({ includeNodes: false, includeLabels: true, includeOverlays: false, includeEdges: false } as cytoscape.BoundingBoxOptions);
      const body = { w: n.outerWidth(), h: n.outerHeight(), dx: 0, dy: 0 };
      return b.w > 0 ? { id, body, label: { w: b.w, h: b.h, dx: b.x1 + b.w / 2 - p.x, dy: b.y1 + b.h / 2 - p.y } } : { id, body };
    }));
    const pos = columnLayout(measured);
    cy.batch(() => { for (const [id, p] of pos) cy.getElementById(id).position(p); });
    this.layoutDone = Promise.resolve();
    this.fitNow();
  }

  /** Places a big scene by communities (cluster-layout.ts) in one batch, then fits it. */
  private clusterLayout(): void {
    const cy = this.cy;
    const nodes = cy.nodes();
    const index = new Map<string, number>();
    nodes.forEach((n, i) => { index.set(n.id(), i); });
    const pairs: [number, number][] = [];
    cy.edges().forEach((e) => {
      const a = index.get(e.data('source') as string), b = index.get(e.data('target') as string);
      if (a !== undefined && b !== undefined) pairs.push([a, b]);
    });
    // Spacing for the node sizes in use: big scenes draw small dots, mid-sized ones labelled nodes.
    const pos = clusterLayout(nodes.length, pairs, { spacing: this.big ? 16 : 40, gap: this.big ? 40 : 80 });
    cy.batch(() => nodes.forEach((n, i) => { n.position({ x: pos[2 * i]!, y: pos[2 * i + 1]! }); }));
    this.fitNow();
  }

  /** Relabels every node for a language. */
  relabel(lang: Lang): void {
    this.lang = lang;
    this.cy.batch(() => this.cy.edges().forEach((e) => { e.data('relLabel', relationName(e.data('relation') as string)); }));
    this.cy.batch(() =>
      this.cy.nodes().not('.more').forEach((n) => {
        const segment = (lang === 'en' ? n.data('segNameEn') : n.data('segName')) as string | undefined;
        const label = canvasLabel({ name: n.data('name'), nameEn: n.data('nameEn'), id: n.data('entityId'), type: n.data('type'), person: n.data('person'), personIds: n.data('personIds') }, lang, segment);
        n.data('label', withSubLabel({ ...n.data(), label }, lang));
      }),
    );
  }

  /** Highlights a set of elements and fades the rest; empty clears. */
  highlight(eles: Collection): void {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements().removeClass('faded highlight quiet');
      if (eles.nonempty()) {
        cy.elements().not(eles).addClass('faded');
        eles.addClass('highlight');
        // Many highlighted edges (all paths at once) each naming their relation is a tangle of words.
        if (eles.edges().length > quietHighlightEdges) eles.edges().addClass('quiet');
        // An expansion's badge goes with its node: shown beside a lit node, hidden beside a faded one
        // (faded, it was an empty dashed box: its text fades out, its border stays).
        cy.nodes('.more').forEach((b) => {
          const of = cy.getElementById(b.data('moreOf') as string);
          if (of.empty() || of.same(b)) return;
          b.union(b.connectedEdges('.more')).toggleClass('faded', of.hasClass('faded'));
        });
      }
    });
  }

  clearHighlight(): void {
    this.highlight(this.cy.collection());
  }

  private viewportFor(eles?: Collection) {
    const target = eles && eles.nonempty() ? eles : this.cy.elements();
    // A big scene's box from node centres: boundingBox() would compute every element's style and label first.
    const box: Box = this.big ? centresBox(target.nodes()) : target.boundingBox({});
    return fitViewport(box, this.cy.width(), this.cy.height(), layoutPadding, maxFitZoom, this.cy.minZoom());
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

  /** Stored-relation edges of a node on canvas, per relation (statistical links left out). */
  relationCounts(key: string): Map<string, number> {
    const out = new Map<string, number>();
    this.cy.getElementById(key).connectedEdges().not('.more').not('.derived').not('.reason').forEach((e) => { const r = e.data('relation') as string; out.set(r, (out.get(r) ?? 0) + 1); });
    return out;
  }

  /** The selected nodes as API entities (badges left out). */
  selectedEntities(): ApiEntity[] {
    return this.cy.nodes(':selected').not('.more').map((n) => ({
      key: n.id(), id: n.data('entityId'), type: n.data('type'), name: n.data('name'), nameEn: n.data('nameEn'), properties: n.data('properties'),
    }));
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
      if (typeof e.data('firstTs') === 'number') out.firstTs = e.data('firstTs') as number;
      if (typeof e.data('lastTs') === 'number') out.lastTs = e.data('lastTs') as number;
      return out;
    });
    return { nodes, edges };
  }
}

/** The hub of a star scene's definitions: an Opportunity node that every edge touches, or null. */
function starHub(elements: readonly GraphElement[]): string | null {
  const hubs = elements.filter((e) => e.group === 'nodes' && e.data.type === 'Opportunity');
  if (hubs.length !== 1) return null;
  const id = hubs[0]!.data.id;
  const edges = elements.filter((e): e is EdgeElement => e.group === 'edges');
  return edges.length > 0 && edges.every((e) => e.data.source === id || e.data.target === id) ? id : null;
}

/** The hub of the star on canvas, or null when the scene is no star. */
function starHubOnCanvas(cy: Core): string | null {
  const hubs = cy.nodes('[type = "Opportunity"]');
  if (hubs.length !== 1) return null;
  const id = hubs.first().id();
  const edges = cy.edges();
  const offHub = edges.filter((e) => e.data('source') !== id && e.data('target') !== id).length;
  const loose = cy.nodes().filter((n) => n.id() !== id && n.degree(false) === 0).length;
  return edges.nonempty() && offHub === 0 && loose === 0 ? id : null;
}

let measureCtx: CanvasRenderingContext2D | null = null;
/** Width of `text` in `font` (the canvas's own measure, as Cytoscape draws it). */
function measureText(text: string, font: string): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 5.5;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

/** A "+N more" badge or its edge: derived state, kept out of the undo history. */
function isBadge(d: ElementDefinition): boolean {
  return d.data.type === '_more' || d.data.relation === '_more' || ` ${String(d.classes ?? '')} `.includes(' more ');
}

/** The box around node centres, padded by the largest big-scene node. */
function centresBox(nodes: cytoscape.NodeCollection): Box {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  nodes.forEach((n) => {
    const p = n.position();
    if (p.x < x1) x1 = p.x;
    if (p.x > x2) x2 = p.x;
    if (p.y < y1) y1 = p.y;
    if (p.y > y2) y2 = p.y;
  });
  if (x1 > x2) return { x1: 0, y1: 0, w: 0, h: 0 };
  const pad = bigSizing.max;
  return { x1: x1 - pad, y1: y1 - pad, w: x2 - x1 + 2 * pad, h: y2 - y1 + 2 * pad };
}
