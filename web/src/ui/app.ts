import type { Collection } from 'cytoscape';
import type { Capabilities } from '../api/capabilities.js';
import { GraphQLClient } from '../api/client.js';
import { ServerInfo } from '../api/server-info.js';
import { withServerEntityFields } from '../api/queries.js';
import { entityToNode } from '../graph/elements.js';
import { typeLooks } from '../graph/palette.js';
import { decodeScene, type ViewName } from '../graph/scene.js';
import type { ApiEntity, Lang, NodeData } from '../graph/types.js';
import { ApiStatusView } from './api-status.js';
import { bindCanvas } from './canvas-events.js';
import { ContextMenu } from './context-menu.js';
import { DetailsPanel } from './details.js';
import { h } from './dom.js';
import { Drawing } from './drawing.js';
import { EmptyState } from './empty-state.js';
import { Expansion } from './expansion.js';
import { GraphView } from './graph-view.js';
import { lang, setLang, t } from './i18n.js';
import { bindShortcuts, showShortcutHelp } from './keyboard.js';
import { Legend } from './legend.js';
import { SceneFiles } from './scene-files.js';
import { SceneUrl } from './scene-url.js';
import { searchBox } from './search.js';
import { SegmentColors } from './segment-colors.js';
import { Toast } from './toast.js';
import { Toolbar } from './toolbar.js';
import { TopBar } from './topbar.js';
import { ViewPanels } from './view-panels.js';
import { ConsumerLabels } from './consumer-labels.js';
import { ScenePanel } from './scene-panel.js';
import { SavedScenes, type SceneHome } from '../graph/saved-scenes.js';
import { authorizationHeaders, ServerScenes } from '../api/saved-scenes.js';
import { ApiKeyPrompt } from './api-key-prompt.js';
import { selectedNodes, SelectionTable } from './selection-table.js';
import { debounce } from './dom.js';

/** The explorer: wires the canvas, search, panels, views, URL state and shortcuts together. */
export class Explorer {
  readonly client: GraphQLClient;
  readonly graph: GraphView;
  readonly server: ServerInfo;
  view: ViewName = 'explore';
  exploration = 0.3;
  /** Resolves when start-up (capabilities, deep link) is done. */
  ready: Promise<void>;
  private toaster = new Toast();
  private status: ApiStatusView;
  private top: TopBar;
  private search;
  private details: DetailsPanel;
  private views: ViewPanels;
  private drawing: Drawing;
  private expansion: Expansion;
  private segments: SegmentColors;
  private consumerLabels: ConsumerLabels;
  private url: SceneUrl;
  private files: SceneFiles;
  private toolbar: Toolbar;
  private legend: Legend;
  private empty: EmptyState;
  private menu: ContextMenu;
  private panel: ScenePanel;
  private selection: SelectionTable;
  /** The details side shows the selection table (several nodes selected). */
  private showingSelection = false;
  readonly savedScenes: SavedScenes;
  /** Scenes the server keeps for the API key this tab sends (when it does). */
  readonly serverScenes: ServerScenes;
  /** The API key this tab sends and the page-level prompt for one. */
  readonly access: ApiKeyPrompt;

  constructor(root: HTMLElement) {
    const toast = (text: string) => this.toast(text);
    const syncUrl = () => this.syncUrl();
    this.status = new ApiStatusView({ toast, onBack: () => this.reloadAfterOutage() });
    this.client = new GraphQLClient({
      onStatus: (s) => this.status.show(s), headers: () => authorizationHeaders(window.sessionStorage), onRefused: (e) => this.access.refused(e),
      rewrite: (q) => withServerEntityFields(q, this.server?.caps ?? null),
    });
    this.access = new ApiKeyPrompt({ client: this.client, storage: window.sessionStorage, reload: () => location.reload() });
    this.server = new ServerInfo(this.client, () => this.empty.render());
    this.search = searchBox({
      client: this.client, onPick: (e) => this.addEntity(e), inputTestId: 'search-input', resultsTestId: 'search-results',
      placeholder: () => t('searchPlaceholder'), types: Object.keys(typeLooks),
    });
    this.details = new DetailsPanel({
      client: this.client,
      caps: () => this.caps,
      exploration: () => this.exploration,
      setExploration: (x) => { this.exploration = x; syncUrl(); },
      canvasCounts: (key) => this.graph.relationCounts(key),
      onRecommendation: (r, src) => this.drawing.recommendation(r, src),
      onScores: (recs) => this.drawing.scores(recs),
      role: () => (this.access.state.kind === 'open' || this.access.state.kind === 'signed-in' ? this.access.state.caller.role : null),
    });
    this.views = new ViewPanels({ client: this.client, caps: () => this.caps, selected: () => this.graph.selectedEntities() }, {
      demandLink: (src, link) => this.drawing.demandLink(src, link), paths: (groups, i) => this.drawing.paths(groups, i), opportunity: (op) => this.drawing.opportunity(op),
    });
    this.top = new TopBar({ view: (v) => this.setView(v), lang: (l) => this.setLanguage(l) });

    const canvas = h('div', { id: 'cy', 'data-testid': 'graph-canvas' });
    const stage = h('main', { class: 'stage' }, canvas);
    root.replaceChildren(
      h('header', { class: 'topbar' }, this.top.brand, this.search.root, this.top.tabs, h('div', { class: 'top-actions' }, this.access.control, this.top.langSwitch, this.status.dot)),
      h('div', { class: 'body' }, this.views.side, stage, this.details.root),
    );
    // ?renderer=webgl turns on Cytoscape's WebGL renderer (README, "Big scenes": measured, opt-in).
    // Created once the canvas is in the page, so Cytoscape sees its size.
    const graph = (this.graph = new GraphView(canvas, { webgl: new URLSearchParams(location.search).get('renderer') === 'webgl' }));
    (window as unknown as { cy: unknown }).cy = graph.cy;

    this.drawing = new Drawing(graph, () => this.caps, (hops) => this.expansion.showHops(hops));
    this.expansion = new Expansion({ client: this.client, graph, toast, caps: () => this.caps });
    this.consumerLabels = new ConsumerLabels({ client: this.client, graph, caps: () => this.caps });
    this.segments = new SegmentColors({ client: this.client, graph, caps: () => this.caps, toast, onLegend: () => this.legend.render(), onSetting: syncUrl });
    this.url = new SceneUrl({
      client: this.client, graph, toast,
      applySettings: (s) => { this.exploration = s.x; this.setView(s.view, false); this.renderChrome(); },
      settings: () => ({ view: this.view, x: this.exploration }),
      showDetails: (n) => this.details.show(n),
      expanded: () => this.expansion.expandedKeys(),
      reopen: (keys) => this.expansion.reopen(keys),
    });
    this.files = new SceneFiles({
      graph, toast, syncUrl, onReplace: () => { this.expansion.clear(); this.details.show(null); },
      setColorBy: (v) => void this.segments.setColorBy(v),
    });
    this.savedScenes = new SavedScenes(window.localStorage);
    this.serverScenes = new ServerScenes(this.client);
    this.panel = new ScenePanel({
      graph, store: this.savedScenes, toast, onSetting: syncUrl,
      save: (name, where) => this.saveScene(name, where),
      open: (name, where) => void this.openScene(name, where),
      remove: (name, where) => this.deleteScene(name, where),
      server: this.serverScenes,
      // One place to give a key: the page's prompt (it reloads with the key; the deep link keeps the scene).
      apiKey: { has: () => this.access.has(), set: (key) => this.access.set(key), prompt: () => this.access.prompt('change') },
    });
    this.toolbar = new Toolbar(graph, {
      undo: () => this.undo(), redo: () => this.redo(), clear: () => { graph.clear(); this.details.show(null); },
      setColorBy: (v) => void this.segments.setColorBy(v), onSetting: syncUrl,
      copyLink: () => void this.files.copyLink(), exportPng: () => this.files.exportPng(), exportJson: () => this.files.exportJson(),
      importJson: (json) => void this.importScene(json), toast, extra: [this.panel.toggle],
    });
    this.legend = new Legend(graph, () => this.segments.segments?.labels ?? null);
    this.empty = new EmptyState({
      graph, stats: () => this.server.stats,
      searchType: (type) => {
        (this.search.root.querySelector(`[data-type="${type}"]`) as HTMLButtonElement | null)?.click();
        this.search.input.focus();
      },
    });
    this.menu = new ContextMenu({
      select: (key) => this.select(key),
      expand: (key, rels) => void this.expand(key, rels ?? null),
      chooseNeighbours: (key) => void this.chooseNeighbours(key),
      collapse: (key) => this.collapse(key),
      remove: (key) => graph.remove(graph.cy.getElementById(key) as unknown as Collection, 'remove'),
      fit: () => graph.fit(), layout: () => void graph.runLayout(), undo: () => this.undo(), clear: () => graph.clear(),
    });
    stage.append(this.status.busy, this.toolbar.root, this.panel.root, this.empty.sceneCount, this.legend.root, this.empty.root, this.status.banner, this.toaster.root);
    document.body.append(this.menu.root);
    bindCanvas(graph.cy, {
      // After Cytoscape's own selection of the tapped node (it runs once the tap event is handled).
      node: (n) => { this.details.show(n.data() as NodeData); setTimeout(() => this.views.selectionChanged(this.view), 0); this.syncUrl(); },
      edge: (e) => this.details.showEdge({
        relation: e.data('relation') as string, weight: e.data('weight') as number, label: (e.data('label') as string | undefined) ?? null,
        source: e.source().data() as NodeData, target: e.target().data() as NodeData,
      }),
      more: (key) => void this.chooseNeighbours(key),
      anyTap: () => this.menu.hide(),
      background: () => { this.graph.clearHighlight(); this.details.show(null); this.syncUrl(); },
      expand: (key) => void this.expand(key),
      menu: (x, y, node) => this.menu.show(x, y, node),
      moved: () => this.syncUrl(),
    });
    const sel = () => graph.cy.nodes(':selected').not('.more');
    bindShortcuts({
      undo: () => this.undo(), redo: () => this.redo(), focusSearch: () => this.search.input.focus(),
      fit: () => graph.fit(sel().nonempty() ? sel().closedNeighborhood() : undefined), zoomIn: () => graph.zoomBy(1.25), zoomOut: () => graph.zoomBy(0.8),
      expand: () => sel().forEach((n) => void this.expand(n.id())), collapse: () => sel().forEach((n) => this.collapse(n.id())),
      layout: () => void graph.runLayout(),
      remove: () => { const s = sel(); if (s.nonempty()) { graph.remove(s, 'remove'); this.details.show(null); } },
      escape: () => { this.menu.hide(); graph.clearHighlight(); document.querySelector('.modal-back')?.remove(); },
      'view-explore': () => this.setView('explore'), 'view-demand': () => this.setView('demand'),
      'view-paths': () => this.setView('paths'), 'view-opportunities': () => this.setView('opportunities'), 'view-trends': () => this.setView('trends'),
      help: showShortcutHelp,
    });
    this.selection = new SelectionTable({ graph, lang });
    // After the tap handler's details: Cytoscape (un)selects once the tap is handled, box selection node by node.
    graph.cy.on('select unselect', 'node', debounce(() => this.selectionChanged(), 30));
    graph.onChange(() => this.sceneChanged());
    this.renderChrome();
    this.ready = this.start();
  }

  /** What the server offers: introspected, or the contract's fields where introspection is off. */
  get caps(): Capabilities | null { return this.server.caps; }

  private async start(): Promise<void> {
    this.url.applySettings(decodeScene(location.hash).scene);
    await Promise.all([this.server.load(), this.access.check()]);
    const scenes = this.serverScenes.refresh(this.caps, this.server.introspected).then(() => this.panel.render());
    await this.restore(location.hash);
    await scenes;
  }

  /** The API answers again: load what failed while it was down and refresh the details panel. */
  private async reloadAfterOutage(): Promise<void> {
    await this.server.loadMissing();
    if (this.serverScenes.state === 'error' || this.serverScenes.state === 'unknown') void this.serverScenes.refresh(this.caps, this.server.introspected).then(() => this.panel.render());
    const n = this.details.current;
    if (n) { this.details.show(null); this.details.show(n); }
  }

  /** Rebuilds the scene of a deep link: entities are fetched by key, edges and positions come from the link. */
  restore(hash: string): Promise<void> { return this.url.restore(hash); }

  /** Writes the scene to the URL (debounced; replaceState, so the back button is not flooded). */
  syncUrl(): void { this.url.sync(); }

  toast(text: string): void { this.toaster.show(text); }

  renderChrome(): void {
    this.top.render(this.view);
    this.search.refresh();
    this.toolbar.render();
    this.legend.render();
    this.empty.render();
    this.details.render();
    if (this.showingSelection) this.selectionChanged();
    this.views.render(this.view);
    this.panel.render();
    this.access.render();
  }

  setView(v: ViewName, sync = true): void {
    this.view = v;
    this.views.show(v);
    this.top.markView(v);
    this.graph.cy.resize();
    if (sync) this.syncUrl();
  }

  setLanguage(l: Lang): void {
    setLang(l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    this.graph.relabel(l);
    // Badges and path aggregates are worded by the expansion: "184 consumers" becomes "184 位消费者".
    this.expansion.syncBadges();
    this.renderChrome();
    this.syncUrl();
  }

  private sceneChanged(): void {
    this.panel.render();
    this.empty.render();
    this.legend.render();
    this.toolbar.render();
    this.details.refreshCanvasCounts();
    if (this.showingSelection) this.selectionChanged();
    if (this.segments.segments) this.segments.apply();
    this.consumerLabels.refresh();
    if (this.graph.colorBy === 'segment') void this.segments.refresh();
    this.syncUrl();
  }

  /** Several nodes selected: the details side lists them; back to one, its details (none: what the tap showed stays). */
  private selectionChanged(): void {
    const sel = selectedNodes(this.graph.cy);
    if (sel.length > 1) {
      this.details.showContent(this.selection.render());
      this.showingSelection = true;
    } else if (this.showingSelection) {
      this.showingSelection = false;
      if (sel[0]) this.details.show(sel[0].data() as NodeData);
    }
  }

  /** Puts an entity on the canvas (from search), selects and centres it. */
  addEntity(e: ApiEntity): void {
    const cy = this.graph.cy;
    if (cy.getElementById(e.key).empty()) {
      const el = entityToNode(e, lang());
      if (cy.nodes().nonempty()) {
        // Beside what is already there, not on top of it.
        const bb = cy.nodes().boundingBox({});
        el.position = { x: bb.x2 + 90, y: (bb.y1 + bb.y2) / 2 };
      }
      this.graph.add([el], { label: 'add', layout: cy.nodes().length ? 'none' : 'full' });
    }
    this.select(e.key, true);
    this.search.input.value = '';
  }

  select(key: string, center = false): void {
    const cy = this.graph.cy;
    const n = cy.getElementById(key);
    if (n.empty()) return;
    cy.nodes(':selected').unselect();
    n.select();
    this.details.show(n.data() as NodeData);
    this.views.selectionChanged(this.view);
    if (center) cy.animate({ center: { eles: n }, zoom: Math.max(cy.zoom(), 1), duration: 250 });
    this.syncUrl();
  }

  expand(key: string, relations: string[] | null = null): Promise<void> { return this.expansion.expand(key, relations); }
  chooseNeighbours(key: string, relations: string[] | null = null): Promise<void> { return this.expansion.chooseNeighbours(key, relations); }
  collapse(key: string): void { this.expansion.collapse(key); }
  undo(): void { if (this.graph.undo()) this.toast(t('undo')); }
  redo(): void { if (this.graph.redo()) this.toast(t('redo')); }
  /** Loads an exported scene (replacing the canvas); used by Import and by tests for big scenes. */
  importScene(json: unknown): Promise<void> { return this.files.importScene(json); }

  /** Saves the scene on canvas (nodes, positions, filter, style) under `name`: on the server for this key, or in this browser. */
  async saveScene(name: string, where: SceneHome = 'browser'): Promise<void> {
    try {
      const info = where === 'server' ? await this.serverScenes.save(name.trim(), this.files.sceneFile()) : this.savedScenes.save(name, this.files.sceneFile());
      this.toast(t('sceneSaved', { name: info.name }));
    } catch (e) {
      this.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
    }
  }

  /** Reopens a saved scene, replacing the canvas (undo brings nothing of the old one back: as an import). */
  async openScene(name: string, where: SceneHome = 'browser'): Promise<void> {
    let file: unknown;
    try {
      file = where === 'server' ? await this.serverScenes.load(name) : this.savedScenes.load(name);
    } catch (e) {
      this.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
      return;
    }
    if (!file) { this.toast(`${t('errorPrefix')}: ${name}`); return; }
    await this.importScene(file);
    this.renderChrome();
    this.syncUrl();
    this.toast(t('sceneOpened', { name }));
  }

  /** Deletes a saved scene from where it is kept. */
  async deleteScene(name: string, where: SceneHome): Promise<void> {
    try {
      if (where === 'server') await this.serverScenes.remove(name);
      else this.savedScenes.remove(name);
      this.toast(t('sceneDeleted', { name }));
    } catch (e) {
      this.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
    }
  }

}
