import type { Collection, EventObject, NodeSingular } from 'cytoscape';
import { capabilitiesFrom, introspectionQuery, type Capabilities, type IntrospectedType } from '../api/capabilities.js';
import { GraphQLClient, type ApiStatus } from '../api/client.js';
import { entitiesQuery, neighborhoodQuery, segmentIndex, segmentOfQuery, segmentsQuery, statsQuery } from '../api/queries.js';
import {
  demandLinkElements, edgeWidth, entityToNode, fmt, moreBadge, nodeLabel, neighbourElements, opportunityElements, parseKey, pathToElements,
  planExpansion, rankNeighbours, type RankedNeighbour,
} from '../graph/elements.js';
import { isLayoutName, layoutNames, type LayoutName } from '../graph/layouts.js';
import { lookOf, segmentColor, typeLooks } from '../graph/palette.js';
import {
  decodeScene, encodeScene, maxLinkNodes, parseSceneFile, sceneFileToElements, sceneGraph, type SceneFile, type SceneState, type ViewName,
} from '../graph/scene.js';
import type { ApiEntity, ApiOpportunity, ApiPath, ApiRecommendation, ApiSubgraph, GraphElement, Lang, NodeData } from '../graph/types.js';
import { relationsFor } from '../graph/vocabulary.js';
import { DetailsPanel, errorBox } from './details.js';
import { debounce, download, h } from './dom.js';
import { GraphView, type ColorBy, type SizeBy } from './graph-view.js';
import { lang, relationName, setLang, t, typeName, type MessageKey } from './i18n.js';
import { searchBox } from './search.js';
import { DemandView, OpportunitiesView, PathsView } from './views.js';

/** Neighbours added per expansion before the rest goes behind "+M more". */
export const expandCap = 25;
/** Neighbours fetched per expansion (ranked by weight on the server, or here). */
const expandFetch = 200;

interface Stats { nodeCount: number; relationshipCount: number; byType: { name: string; count: number }[] }

/** The explorer: wires the canvas, search, panels, views, URL state and shortcuts together. */
export class Explorer {
  readonly client: GraphQLClient;
  readonly graph: GraphView;
  caps: Capabilities | null = null;
  view: ViewName = 'explore';
  exploration = 0.3;
  private segments: { byKey: Map<string, number>; labels: string[] } | null = null;
  private heldBack = new Map<string, { items: RankedNeighbour[]; notLoaded: number }>();
  private restoring = false;
  private stats: Stats | null = null;
  /** Resolves when start-up (capabilities, deep link) is done. */
  ready: Promise<void>;

  // DOM
  private app: HTMLElement;
  private banner = h('div', { class: 'banner', hidden: true, 'data-testid': 'api-down', role: 'alert' });
  private busy = h('div', { class: 'busy-bar', hidden: true, 'data-testid': 'loading' });
  private statusEl = h('div', { class: 'status', title: 'API' }, h('span', { class: 'dot' }));
  private toastEl = h('div', { class: 'toast', role: 'status' });
  private empty = h('div', { class: 'empty' });
  private legend = h('div', { class: 'legend' });
  private sceneCount = h('div', { class: 'scene-count', 'data-testid': 'scene-count' });
  private toolbar = h('div', { class: 'toolbar' });
  private side = h('aside', { class: 'side', hidden: true });
  private tabs = h('nav', { class: 'tabs' });
  private langSwitch = h('div', { class: 'lang', 'data-testid': 'lang-switch' });
  private menu = h('div', { class: 'menu', hidden: true, 'data-testid': 'context-menu' });
  private brand = h('div', { class: 'brand' });
  private search;
  private details: DetailsPanel;
  private demand: DemandView;
  private paths: PathsView;
  private opportunities: OpportunitiesView;
  private healthTimer: ReturnType<typeof setInterval> | undefined;

  constructor(root: HTMLElement) {
    this.app = root;
    this.client = new GraphQLClient({ onStatus: (s) => this.showStatus(s) });
    const canvas = h('div', { id: 'cy', 'data-testid': 'graph-canvas' });
    this.search = searchBox({
      client: this.client,
      onPick: (e) => this.addEntity(e),
      inputTestId: 'search-input',
      resultsTestId: 'search-results',
      placeholder: () => t('searchPlaceholder'),
      types: Object.keys(typeLooks),
    });
    this.details = new DetailsPanel({
      client: this.client,
      caps: () => this.caps,
      exploration: () => this.exploration,
      setExploration: (x) => { this.exploration = x; this.syncUrl(); },
      canvasCounts: (key) => this.canvasCounts(key),
      onRecommendation: (r, src) => this.showRecommendation(r, src),
      onScores: (recs) => this.applyScores(recs),
    });
    const deps = { client: this.client, caps: () => this.caps, selected: () => this.selectedEntities() };
    this.demand = new DemandView(deps, (src, link) => this.showElements(demandLinkElements(src, link, lang()), 'demand link', [src.key, link.entity.key]));
    this.paths = new PathsView(deps, (ps, i) => this.showPaths(ps, i));
    this.opportunities = new OpportunitiesView(deps, (op) => this.showOpportunity(op));

    root.replaceChildren(
      h('header', { class: 'topbar' }, this.brand, this.search.root, this.tabs, h('div', { class: 'top-actions' }, this.langSwitch, this.statusEl)),
      h('div', { class: 'body' },
        this.side,
        h('main', { class: 'stage' }, canvas, this.busy, this.toolbar, this.sceneCount, this.legend, this.empty, this.banner, this.toastEl),
        this.details.root,
      ),
    );
    document.body.append(this.menu);
    // ?renderer=webgl turns on Cytoscape's WebGL renderer (README, "Big scenes": measured, opt-in).
    this.graph = new GraphView(canvas, { webgl: new URLSearchParams(location.search).get('renderer') === 'webgl' });
    (window as unknown as { cy: unknown }).cy = this.graph.cy;
    this.bindCanvas();
    this.bindKeys();
    this.graph.onChange(() => this.sceneChanged());
    window.addEventListener('hashchange', () => { if (!this.writingHash) void this.restore(location.hash); });
    this.renderChrome();
    this.ready = this.start();
  }

  // ---------- start-up, capabilities, deep links

  private async start(): Promise<void> {
    const { scene } = decodeScene(location.hash);
    this.applySceneSettings(scene);
    this.renderChrome();
    await Promise.all([this.loadCapabilities(), this.loadStats()]);
    await this.restore(location.hash);
  }

  private async loadCapabilities(): Promise<void> {
    try {
      const data = await this.client.request<{ __schema: { queryType: { name: string }; types: IntrospectedType[] } }>(introspectionQuery);
      this.caps = capabilitiesFrom(data.__schema);
    } catch {
      this.caps = null;
    }
  }

  private async loadStats(): Promise<void> {
    try {
      this.stats = (await this.client.request<{ stats: Stats }>(statsQuery)).stats;
    } catch {
      this.stats = null;
    }
    this.renderEmpty();
  }

  private applySceneSettings(s: SceneState): void {
    setLang(s.lang);
    document.documentElement.lang = s.lang === 'zh' ? 'zh-CN' : 'en';
    this.graph.lang = s.lang;
    this.graph.layoutName = s.layout;
    this.exploration = s.x;
    if (this.graph.colorBy !== s.color) {
      this.graph.colorBy = s.color;
      this.graph.applyStyle();
    }
    this.setView(s.view, false);
  }

  /** Rebuilds the scene of a deep link: entities are fetched by key, edges and positions come from the link. */
  async restore(hash: string): Promise<void> {
    const { scene, problems } = decodeScene(hash);
    if (problems.length) this.toast(problems.join('; '));
    this.applySceneSettings(scene);
    this.renderChrome();
    if (!scene.nodes.length) return;
    const current = this.graph.cy.nodes().not('.more').map((n) => n.id()).sort().join('\n');
    if (current === [...scene.nodes].sort().join('\n')) return;
    this.restoring = true;
    try {
      const entities: ApiEntity[] = [];
      // The API allows 10 aliases a request (graphql-armor maxAliases).
      const chunk = 10;
      const chunks: string[][] = [];
      for (let i = 0; i < scene.nodes.length; i += chunk) chunks.push(scene.nodes.slice(i, i + chunk));
      const fetchChunk = async (keys: string[]) => {
        const vars: Record<string, string> = {};
        keys.forEach((k, j) => { const p = parseKey(k); vars[`id${j}`] = p?.id ?? k; vars[`t${j}`] = p?.type ?? 'Product'; });
        const data = await this.client.request<Record<string, ApiEntity | null>>(entitiesQuery(keys.length), vars, { partial: true });
        return keys.map((_, j) => data[`e${j}`]).filter((e): e is ApiEntity => !!e);
      };
      // Four requests at a time: quick for links of a few hundred nodes without flooding the API.
      for (let i = 0; i < chunks.length; i += 4) {
        for (const list of await Promise.all(chunks.slice(i, i + 4).map(fetchChunk))) entities.push(...list);
      }
      const els: GraphElement[] = entities.map((e) => {
        const el = entityToNode(e, lang());
        const idx = scene.nodes.indexOf(e.key);
        const p = scene.pos?.[idx];
        if (p) el.position = { x: p[0], y: p[1] };
        return el;
      });
      for (const [a, b, relation, weight] of scene.edges) {
        const source = scene.nodes[a]!, target = scene.nodes[b]!;
        els.push({ group: 'edges', data: { id: `${source}|${relation}|${target}`, source, target, relation, weight, width: 1 } });
      }
      this.graph.cy.elements().remove();
      this.graph.history.clear();
      const fixed = els.filter((e) => e.group === 'edges').map((e) => ({ ...e, data: { ...e.data, width: edgeWidth(e.data.weight as number) } }));
      this.graph.add([...els.filter((e) => e.group === 'nodes'), ...fixed], { layout: scene.pos ? 'none' : 'full' });
      if (scene.pos) this.graph.fitNow();
      if (scene.sel) {
        const n = this.graph.cy.getElementById(scene.sel);
        if (n.nonempty()) { n.select(); this.details.show(n.data() as NodeData); }
      }
    } catch (e) {
      this.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
    } finally {
      this.restoring = false;
      this.syncUrl();
    }
  }

  private writingHash = false;
  /** Writes the scene to the URL (replaceState, so the back button is not flooded). */
  readonly syncUrl = debounce(() => {
    if (this.restoring) return;
    const snap = this.graph.snapshot();
    const sel = this.graph.cy.nodes(':selected').not('.more').first();
    const state: SceneState = {
      ...sceneGraph(snap.nodes, snap.edges, true),
      sel: sel.nonempty() ? sel.id() : undefined,
      lang: lang(), layout: this.graph.layoutName, view: this.view, x: this.exploration, color: this.graph.colorBy,
    };
    const hash = encodeScene(state);
    this.writingHash = true;
    history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
    this.writingHash = false;
  }, 250);

  // ---------- status, banner, toast

  private showStatus(s: ApiStatus): void {
    this.busy.hidden = s.pending === 0;
    this.statusEl.className = `status${s.down ? ' down' : s.pending ? ' busy' : ''}`;
    this.statusEl.dataset.state = s.down ? 'down' : s.pending ? 'loading' : 'ok';
    if (s.down) {
      this.banner.hidden = false;
      this.banner.replaceChildren(
        h('strong', {}, t('apiDown')),
        h('span', {}, s.retryIn ? t('retryingIn', { s: s.retryIn }) : t('retrying')),
        h('button', { onclick: () => void this.checkHealth(true) }, t('retryNow')),
      );
      if (!this.healthTimer) this.healthTimer = setInterval(() => void this.checkHealth(false), 4000);
    } else if (!this.banner.hidden && !this.healthTimer) {
      this.banner.hidden = true;
    }
  }

  /** Polls /health while the API is down; when it is back, reloads what failed. */
  private async checkHealth(manual: boolean): Promise<void> {
    let up = false;
    try {
      const r = await fetch('/health', { cache: 'no-store' });
      up = r.ok;
    } catch {
      up = false;
    }
    if (up) {
      clearInterval(this.healthTimer);
      this.healthTimer = undefined;
      this.banner.hidden = true;
      this.statusEl.className = 'status';
      this.statusEl.dataset.state = 'ok';
      if (!this.caps) await this.loadCapabilities();
      if (!this.stats) await this.loadStats();
      const n = this.details.current;
      if (n) { this.details.show(null); this.details.show(n); }
    } else if (manual) {
      this.toast(t('apiDown'));
    }
  }

  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  toast(text: string): void {
    this.toastEl.textContent = text;
    this.toastEl.classList.add('show');
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => this.toastEl.classList.remove('show'), 2600);
  }

  // ---------- chrome: brand, tabs, toolbar, legend, empty state

  renderChrome(): void {
    this.brand.replaceChildren(
      h('span', { class: 'brand-mark' }),
      h('div', {}, h('b', {}, t('brand')), h('small', {}, t('tagline'))),
    );
    this.brand.firstElementChild!.innerHTML =
      '<svg viewBox="0 0 32 32" width="28" height="28"><circle cx="8" cy="9" r="5" fill="#4f46e5"/><rect x="19" y="4" width="10" height="10" rx="3" fill="#c2410c"/><path d="M16 20l6 6-6 6-6-6z" transform="translate(0 -4)" fill="#0f766e"/><path d="M8 9L24 9M8 9L16 22M24 9L16 22" stroke="#94a3b8" stroke-width="1.6"/></svg>';
    const views: [ViewName, MessageKey][] = [['explore', 'explore'], ['demand', 'demand'], ['paths', 'paths'], ['opportunities', 'opportunities']];
    this.tabs.replaceChildren(...views.map(([v, k], i) => h('button', { class: this.view === v ? 'on' : '', 'data-view': v, title: `${t(k)} (${i + 1})`, onclick: () => this.setView(v) }, t(k))));
    this.langSwitch.replaceChildren(
      ...(['en', 'zh'] as Lang[]).map((l) => h('button', { class: lang() === l ? 'on' : '', 'data-lang': l, onclick: () => this.setLanguage(l) }, l === 'en' ? 'EN' : '中文')),
    );
    this.search.refresh();
    this.renderToolbar();
    this.renderLegend();
    this.renderEmpty();
    this.details.render();
    if (this.view === 'demand') this.demand.render();
    if (this.view === 'paths') this.paths.render();
    if (this.view === 'opportunities') this.opportunities.render();
  }

  private renderToolbar(): void {
    const g = this.graph;
    const btn = (label: string, title: string, on: () => void, attrs: Record<string, string | boolean> = {}) =>
      h('button', { title, onclick: on, ...attrs }, label);
    const select = <T extends string>(label: string, value: T, options: [T, string][], on: (v: T) => void, testid: string) =>
      h('label', {}, label, h('select', { 'data-testid': testid, onchange: (ev: Event) => on((ev.target as HTMLSelectElement).value as T) },
        ...options.map(([v, l]) => h('option', { value: v, selected: v === value }, l))));
    const fileInput = h('input', { type: 'file', accept: '.json,application/json', style: 'display:none', 'data-testid': 'import-file' });
    fileInput.addEventListener('change', async () => {
      const f = fileInput.files?.[0];
      if (!f) return;
      try { this.importScene(JSON.parse(await f.text())); } catch (e) { this.toast(`${t('errorPrefix')}: ${(e as Error).message}`); }
      fileInput.value = '';
    });
    this.toolbar.replaceChildren(
      h('div', { class: 'group' },
        select(t('layout'), g.layoutName, layoutNames.map((n) => [n, n] as [LayoutName, string]), (v) => { g.layoutName = v; void g.runLayout(v); this.syncUrl(); }, 'layout-select'),
        btn('⟳', t('layout') + ' (L)', () => void g.runLayout()),
      ),
      h('div', { class: 'group' },
        btn('⤢', `${t('fit')} (F)`, () => g.fit(), { 'data-testid': 'fit' }),
        btn('+', `${t('zoomIn')} (+)`, () => g.zoomBy(1.25)),
        btn('−', `${t('zoomOut')} (−)`, () => g.zoomBy(0.8)),
      ),
      h('div', { class: 'group' },
        btn('↶', `${t('undo')} (Ctrl+Z)`, () => this.undo(), { disabled: !g.history.canUndo, 'data-testid': 'undo' }),
        btn('↷', `${t('redo')} (Ctrl+Shift+Z)`, () => this.redo(), { disabled: !g.history.canRedo }),
        btn(t('clear'), t('clear'), () => { g.clear(); this.details.show(null); }, { disabled: g.cy.elements().empty() }),
      ),
      h('div', { class: 'group' },
        select(t('colorBy'), g.colorBy, [['type', t('byType')], ['segment', t('bySegment')]], (v: ColorBy) => void this.setColorBy(v), 'color-select'),
        select(t('sizeBy'), g.sizeBy, [['degree', t('byDegree')], ['score', t('byScore')]], (v: SizeBy) => { g.sizeBy = v; g.refreshSizes(); }, 'size-select'),
      ),
      h('div', { class: 'group' },
        btn(t('share'), t('share'), () => void this.copyLink(), { 'data-testid': 'share' }),
        btn(t('exportPng'), 'PNG', () => this.exportPng(), { 'data-testid': 'export-png' }),
        btn(t('exportJson'), 'JSON', () => this.exportJson(), { 'data-testid': 'export-json' }),
        btn(t('importJson'), t('importJson'), () => fileInput.click()),
        fileInput,
      ),
    );
  }

  private renderLegend(): void {
    const present = new Set<string>();
    this.graph.cy.nodes().not('.more').forEach((n) => { present.add(n.data('type') as string); });
    const types = [...new Set([...Object.keys(typeLooks), ...present])];
    const rows: HTMLElement[] = [];
    if (this.graph.colorBy === 'segment') {
      if (!this.segments) rows.push(h('div', { class: 'muted' }, t('noSegments')));
      else this.segments.labels.slice(0, 10).forEach((l, i) => rows.push(h('div', { class: 'legend-row' }, h('span', { class: 'swatch ellipse', style: `background:${segmentColor(i)}` }), l)));
    } else {
      for (const tp of types) {
        const look = lookOf(tp);
        rows.push(h('div', { class: 'legend-row' }, h('span', { class: `swatch ${look.shape}`, style: `background:${look.color}` }), typeName(tp)));
      }
    }
    rows.push(h('div', { class: 'legend-row' }, h('span', { class: 'swatch line' }), lang() === 'zh' ? '统计关联（提升度）' : 'statistical link (lift)'));
    this.legend.replaceChildren(h('h4', {}, t('legend')), ...rows);
  }

  private renderEmpty(): void {
    const n = this.graph.cy.nodes().length;
    this.empty.hidden = n > 0;
    this.sceneCount.textContent = n ? t('scenes', { n: this.graph.nodeCount.toLocaleString(), m: this.graph.cy.edges().not('.more').length.toLocaleString() }) : '';
    this.sceneCount.hidden = n === 0;
    if (n) return;
    const s = this.stats;
    this.empty.replaceChildren(h('div', { class: 'empty-card', 'data-testid': 'empty-state' },
      h('span', { class: 'empty-art' }),
      h('h2', {}, t('emptyTitle')),
      h('p', {}, t('emptyBody')),
      s ? h('p', { class: 'muted', style: 'font-size:12px' }, t('stats', { n: s.nodeCount.toLocaleString(), m: s.relationshipCount.toLocaleString() })) : null,
      h('div', { class: 'chips' }, ...(s?.byType ?? Object.keys(typeLooks).map((name) => ({ name, count: -1 }))).map((bt) =>
        h('button', {
          class: 'chip', onclick: () => {
            (this.search.root.querySelector(`[data-type="${bt.name}"]`) as HTMLButtonElement | null)?.click();
            this.search.input.focus();
          },
        }, h('span', { class: 'swatch ellipse', style: `background:${lookOf(bt.name).color}` }), typeName(bt.name), bt.count >= 0 ? h('span', { class: 'muted' }, bt.count.toLocaleString()) : null))),
    ));
    this.empty.querySelector('.empty-art')!.innerHTML =
      '<svg viewBox="0 0 64 40" width="72" height="45"><path d="M14 20L32 10M14 20L32 30M32 10L50 20M32 30L50 20" stroke="#cbd5e1" stroke-width="2"/><circle cx="14" cy="20" r="6" fill="#4f46e5"/><rect x="26" y="4" width="12" height="12" rx="3" fill="#c2410c"/><rect x="26" y="24" width="12" height="12" rx="3" fill="#c2410c" opacity=".6"/><path d="M50 13l7 7-7 7-7-7z" fill="#0f766e"/></svg>';
  }

  // ---------- views and settings

  setView(v: ViewName, sync = true): void {
    this.view = v;
    const panel = v === 'demand' ? this.demand : v === 'paths' ? this.paths : v === 'opportunities' ? this.opportunities : null;
    this.side.hidden = !panel;
    if (panel) {
      this.side.replaceChildren(panel.root);
      panel.activate();
    }
    this.tabs.querySelectorAll('button').forEach((b) => b.classList.toggle('on', b.dataset.view === v));
    this.graph.cy.resize();
    if (sync) this.syncUrl();
  }

  setLanguage(l: Lang): void {
    setLang(l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    this.graph.relabel(l);
    this.renderChrome();
    this.syncUrl();
  }

  private async setColorBy(v: ColorBy): Promise<void> {
    this.graph.colorBy = v;
    if (v === 'segment') await this.loadSegments();
    if (v === 'segment' && !this.segments) this.toast(t('noSegments'));
    this.applySegments();
    this.graph.applyStyle();
    this.renderLegend();
    this.syncUrl();
  }

  /**
   * Segment ids for the nodes on canvas: insights' `segmentOf(keys)` when the server has it
   * (asked only for keys not yet known), else a `segments` field listing members.
   */
  private async loadSegments(): Promise<void> {
    const caps = this.caps;
    if (!caps) return;
    try {
      if (caps.segmentOf) {
        const seg = this.segments ?? { byKey: new Map<string, number>(), labels: [] };
        const unknown = this.graph.cy.nodes().not('.more').map((n) => n.id()).filter((k) => !this.segmentAsked.has(k));
        for (let i = 0; i < unknown.length; i += 500) {
          const keys = unknown.slice(i, i + 500);
          const data = await this.client.request<{ segmentOf: { key: string; segment: string | null }[]; segments: { id: string; name: string }[] }>(segmentOfQuery, { keys });
          for (const s of data.segments) if (!this.segmentIndexOf.has(s.id)) { this.segmentIndexOf.set(s.id, this.segmentIndexOf.size); seg.labels.push(s.name); }
          for (const r of data.segmentOf) {
            this.segmentAsked.add(r.key);
            if (r.segment === null) continue;
            if (!this.segmentIndexOf.has(r.segment)) { this.segmentIndexOf.set(r.segment, this.segmentIndexOf.size); seg.labels.push(r.segment); }
            seg.byKey.set(r.key, this.segmentIndexOf.get(r.segment)!);
          }
        }
        this.segments = seg;
      } else if (!this.segments) {
        const q = segmentsQuery(caps);
        if (q) this.segments = segmentIndex(caps, await this.client.request<Record<string, unknown>>(q));
      }
    } catch (e) {
      this.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
    }
  }

  private segmentAsked = new Set<string>();
  private segmentIndexOf = new Map<string, number>();

  private applySegments(): void {
    const seg = this.segments;
    if (!seg) return;
    this.graph.cy.batch(() => this.graph.cy.nodes().not('.more').forEach((n) => {
      const s = seg.byKey.get(n.id());
      if (s !== undefined) n.data('segment', s % 10);
    }));
  }

  private readonly refreshSegments = debounce(async () => {
    if (this.graph.colorBy !== 'segment') return;
    await this.loadSegments();
    this.applySegments();
    this.renderLegend();
  }, 300);

  // ---------- scene operations

  private sceneChanged(): void {
    this.renderEmpty();
    this.renderLegend();
    this.renderToolbar();
    this.details.refreshCanvasCounts();
    if (this.segments) this.applySegments();
    if (this.graph.colorBy === 'segment') void this.refreshSegments();
    this.syncUrl();
  }

  private canvasCounts(key: string): Map<string, number> {
    const out = new Map<string, number>();
    const n = this.graph.cy.getElementById(key);
    n.connectedEdges().not('.more').not('.derived').forEach((e) => { const r = e.data('relation') as string; out.set(r, (out.get(r) ?? 0) + 1); });
    return out;
  }

  private selectedEntities(): ApiEntity[] {
    return this.graph.cy.nodes(':selected').not('.more').map((n) => ({
      key: n.id(), id: n.data('entityId'), type: n.data('type'), name: n.data('name'), nameEn: n.data('nameEn'), properties: n.data('properties'),
    }));
  }

  /** Puts an entity on the canvas (from search), selects and centres it. */
  addEntity(e: ApiEntity): void {
    const cy = this.graph.cy;
    const existing = cy.getElementById(e.key);
    if (existing.empty()) {
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
    if (center) cy.animate({ center: { eles: n }, zoom: Math.max(cy.zoom(), 1), duration: 250 });
    this.syncUrl();
  }

  /**
   * Expands a node by all relations (or some): the strongest `expandCap` new neighbours are
   * added, the rest wait behind a "+M more" badge.
   */
  async expand(key: string, relations: string[] | null = null): Promise<void> {
    const cy = this.graph.cy;
    const node = cy.getElementById(key);
    if (node.empty() || node.hasClass('more')) return;
    node.addClass('focus');
    try {
      const sub = await this.neighbourhood(node, relations);
      const ranked = rankNeighbours(sub, key);
      const plan = planExpansion(ranked, expandCap, (k) => cy.getElementById(k).nonempty(), sub.truncated);
      const els = neighbourElements([...plan.add, ...plan.alreadyShown], lang());
      cy.getElementById(`more:${key}`).remove();
      this.heldBack.set(key, { items: plan.heldBack, notLoaded: plan.notLoaded });
      const more = plan.heldBack.length + plan.notLoaded;
      if (more > 0) els.push(...moreBadge(key, more, t('moreNeighbours', { n: more.toLocaleString() })));
      if (!els.length) this.toast(lang() === 'zh' ? '没有新的邻居' : 'No new neighbours');
      this.graph.add(els, { label: 'expand', near: key });
    } catch (e) {
      this.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
    } finally {
      node.removeClass('focus');
    }
  }

  private async neighbourhood(node: NodeSingular, relations: string[] | null): Promise<ApiSubgraph> {
    const data = await this.client.request<{ neighborhood: ApiSubgraph }>(neighborhoodQuery, {
      id: node.data('entityId'), type: node.data('type'), relations, limit: expandFetch,
    });
    return data.neighborhood;
  }

  /** Opens the chooser of neighbours for a node: held-back ones, or freshly fetched. */
  async chooseNeighbours(key: string, relations: string[] | null = null): Promise<void> {
    const cy = this.graph.cy;
    const node = cy.getElementById(key);
    if (node.empty()) return;
    let held = relations ? undefined : this.heldBack.get(key);
    if (!held) {
      try {
        const sub = await this.neighbourhood(node, relations);
        const plan = planExpansion(rankNeighbours(sub, key), 0, (k) => cy.getElementById(k).nonempty(), sub.truncated);
        held = { items: plan.heldBack, notLoaded: plan.notLoaded };
      } catch (e) {
        this.toast(`${t('errorPrefix')}: ${(e as Error).message}`);
        return;
      }
    }
    this.openChooser(key, held.items, held.notLoaded);
  }

  private openChooser(key: string, items: RankedNeighbour[], notLoaded: number): void {
    const chosen = new Set<string>(items.slice(0, 10).map((i) => i.entity.key));
    const list = h('div', { class: 'list', 'data-testid': 'chooser-list' });
    let filter = '';
    const close = () => back.remove();
    const count = h('span', { class: 'grow' });
    const renderList = () => {
      const f = filter.toLowerCase();
      const shown = items.filter((i) => !f || i.entity.name.toLowerCase().includes(f) || (i.entity.nameEn ?? '').toLowerCase().includes(f));
      list.replaceChildren(...shown.map((i) => {
        const cb = h('input', { type: 'checkbox', checked: chosen.has(i.entity.key) });
        cb.addEventListener('change', () => { if (cb.checked) chosen.add(i.entity.key); else chosen.delete(i.entity.key); count.textContent = `${chosen.size} / ${items.length}`; });
        return h('label', { class: 'pick', 'data-key': i.entity.key }, cb, h('span', { class: 'badge', style: `background:${lookOf(i.entity.type).tint};color:${lookOf(i.entity.type).color}` }, typeName(i.entity.type)),
          h('span', { class: 'name' }, nodeLabel(i.entity, lang())), h('span', { class: 'w' }, `${i.relations.map(relationName).join(', ')} · ${fmt(i.weight)}`));
      }));
      count.textContent = `${chosen.size} / ${items.length}`;
    };
    const node = this.graph.cy.getElementById(key);
    const back = h('div', { class: 'modal-back', onclick: (ev: Event) => { if (ev.target === back) close(); } },
      h('div', { class: 'modal', 'data-testid': 'neighbour-chooser', role: 'dialog' },
        h('header', {},
          h('h3', {}, `${t('neighbours')} ${node.data('label') ?? key}`),
          h('div', { style: 'display:flex;gap:6px' },
            h('input', { class: 'input', placeholder: t('filter'), oninput: (ev: Event) => { filter = (ev.target as HTMLInputElement).value; renderList(); } }),
            h('button', { class: 'btn', onclick: () => { items.forEach((i) => chosen.add(i.entity.key)); renderList(); } }, t('selectAll')),
            h('button', { class: 'btn', onclick: () => { chosen.clear(); renderList(); } }, t('selectNone')),
          ),
          notLoaded ? h('p', { class: 'muted', style: 'margin:8px 0 0;font-size:12px' }, t('notLoaded', { n: notLoaded.toLocaleString() })) : null,
        ),
        list,
        h('footer', {}, count,
          h('button', { class: 'btn', onclick: close }, t('cancel')),
          h('button', {
            class: 'btn primary', 'data-testid': 'chooser-add',
            onclick: () => {
              const pick = items.filter((i) => chosen.has(i.entity.key));
              const rest = items.filter((i) => !chosen.has(i.entity.key));
              const els = neighbourElements(pick, lang());
              this.graph.cy.getElementById(`more:${key}`).remove();
              this.heldBack.set(key, { items: rest, notLoaded });
              const more = rest.length + notLoaded;
              if (more) els.push(...moreBadge(key, more, t('moreNeighbours', { n: more.toLocaleString() })));
              this.graph.add(els, { label: 'add neighbours', near: key });
              close();
            },
          }, t('addSelected')),
        ),
      ));
    renderList();
    document.body.append(back);
  }

  /** Removes the node's neighbours that hang only on it (and its badge). */
  collapse(key: string): void {
    const cy = this.graph.cy;
    const node = cy.getElementById(key);
    const leaves = node.neighborhood('node').filter((n) => n.hasClass('more') || ((n as NodeSingular).connectedEdges().not('.more').length <= 1 && !n.selected()));
    this.heldBack.delete(key);
    this.graph.remove(leaves as unknown as Collection, 'collapse');
  }

  undo(): void {
    if (this.graph.undo()) this.toast(t('undo'));
  }

  redo(): void {
    if (this.graph.redo()) this.toast(t('redo'));
  }

  private showElements(els: GraphElement[], label: string, focus: string[]): Collection {
    this.graph.add(els, { label, near: focus[0] });
    const cy = this.graph.cy;
    let eles = cy.collection();
    for (const el of els) eles = eles.union(cy.getElementById(el.data.id));
    this.graph.highlight(eles);
    void this.graph.layoutDone.then(() => this.graph.fit(eles));
    return eles;
  }

  /** Draws a recommendation: the entity and its explanation paths, highlighted. */
  private showRecommendation(r: ApiRecommendation, source: NodeData): void {
    const cy = this.graph.cy;
    const exists = (id: string) => cy.getElementById(id).nonempty();
    const els: GraphElement[] = [entityToNode(r.entity, lang())];
    for (const reason of r.reasons) els.push(...pathToElements(reason.path, lang(), exists));
    const added = this.showElements(els, 'recommendation', [source.key]);
    const n = cy.getElementById(r.entity.key);
    n.data('score', r.score);
    this.graph.highlight(added.union(cy.getElementById(source.key)));
  }

  private applyScores(recs: ApiRecommendation[]): void {
    const cy = this.graph.cy;
    cy.batch(() => { for (const r of recs) { const n = cy.getElementById(r.entity.key); if (n.nonempty()) n.data('score', r.score); } });
    if (this.graph.sizeBy === 'score') this.graph.refreshSizes();
  }

  private showPaths(paths: ApiPath[], active: number): void {
    const cy = this.graph.cy;
    const exists = (id: string) => cy.getElementById(id).nonempty();
    const all = paths.flatMap((p) => pathToElements(p, lang(), exists));
    this.graph.add(all, { label: 'paths', near: paths[0]?.nodes[0]?.key });
    const pick = active >= 0 ? pathToElements(paths[active]!, lang(), exists) : all;
    let eles = cy.collection();
    for (const el of pick) eles = eles.union(cy.getElementById(el.data.id));
    this.graph.highlight(eles);
    void this.graph.layoutDone.then(() => this.graph.fit(eles));
  }

  private showOpportunity(op: ApiOpportunity): void {
    const els = opportunityElements(op, lang());
    // Segments or adjacent interests the server lists join the picture as plain nodes.
    for (const f of this.caps?.opportunityEntityLists ?? []) {
      const list = (op[f] as ApiEntity[] | null) ?? [];
      for (const e of list) els.push(entityToNode(e, lang()));
    }
    // The consumer segments that drive it, as nodes joined to the interests by their share.
    const shares = (op.segments as { segmentId: string; share: number; consumers: number; segment: { name: string } | null }[] | undefined) ?? [];
    for (const s of shares.slice(0, 3)) {
      const key = `Segment:${s.segmentId}`;
      const name = s.segment?.name ?? s.segmentId;
      els.push(entityToNode({ key, id: s.segmentId, type: 'Segment', name, nameEn: null, properties: JSON.stringify({ consumers: s.consumers, share: s.share }) }, lang()));
      for (const i of op.interests) {
        els.push({ group: 'edges', classes: 'derived', data: { id: `${key}|_DRIVES|${i.key}`, source: key, target: i.key, relation: '_DRIVES', weight: s.share, width: 1 + 4 * s.share, label: `${Math.round(s.share * 100)}%`, derived: true } });
      }
    }
    this.showElements(els, 'opportunity', op.interests.map((i) => i.key));
  }

  /** Loads an exported scene (replacing the canvas); used by Import and by tests for big scenes. */
  importScene(json: unknown): Promise<void> {
    const file = parseSceneFile(json);
    const els = sceneFileToElements(file, lang());
    const positioned = file.nodes.length > 0 && file.nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y));
    const cy = this.graph.cy;
    cy.batch(() => cy.elements().remove());
    this.graph.history.clear();
    this.heldBack.clear();
    this.details.show(null);
    this.graph.add(els, { label: 'import', layout: positioned ? 'none' : 'full' });
    if (positioned) { this.graph.fitNow(); return Promise.resolve(); }
    return this.graph.layoutDone;
  }

  private exportJson(): void {
    const snap = this.graph.snapshot();
    const file: SceneFile = { format: 'kg-explorer-scene', version: 1, ...snap };
    download('scene.json', new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' }));
  }

  private exportPng(): void {
    const blob = this.graph.cy.png({ output: 'blob', full: true, scale: this.graph.isBig ? 1 : 2, bg: '#ffffff', maxWidth: 8000, maxHeight: 8000 });
    download('scene.png', blob);
  }

  private async copyLink(): Promise<void> {
    this.syncUrl();
    await new Promise((r) => setTimeout(r, 300));
    if (this.graph.nodeCount > maxLinkNodes) this.toast(t('tooBigForLink'));
    try {
      await navigator.clipboard.writeText(location.href);
      this.toast(t('linkCopied'));
    } catch {
      this.toast(location.href);
    }
  }

  // ---------- canvas events, context menu, keys

  private bindCanvas(): void {
    const cy = this.graph.cy;
    cy.on('tap', 'node', (ev: EventObject) => {
      const n = ev.target as NodeSingular;
      if (n.hasClass('more')) { void this.chooseNeighbours(n.data('moreOf') as string); return; }
      this.details.show(n.data() as NodeData);
      this.syncUrl();
    });
    cy.on('tap', (ev: EventObject) => {
      this.hideMenu();
      if (ev.target === cy) { this.graph.clearHighlight(); this.details.show(null); this.syncUrl(); }
    });
    cy.on('dbltap', 'node', (ev: EventObject) => {
      const n = ev.target as NodeSingular;
      if (!n.hasClass('more')) void this.expand(n.id());
    });
    cy.on('cxttap', (ev: EventObject) => {
      const oe = ev.originalEvent as MouseEvent;
      if (ev.target === cy) this.showMenu(oe.clientX, oe.clientY, null);
      else if ((ev.target as NodeSingular).isNode?.()) this.showMenu(oe.clientX, oe.clientY, ev.target as NodeSingular);
    });
    cy.on('dragfree', 'node', () => this.syncUrl());
    document.addEventListener('click', (ev) => { if (!this.menu.contains(ev.target as Node)) this.hideMenu(); });
    window.addEventListener('resize', () => cy.resize());
  }

  private showMenu(x: number, y: number, node: NodeSingular | null): void {
    const item = (label: string, on: () => void, hint = '', testid?: string) =>
      h('button', { 'data-testid': testid ?? null, onclick: () => { this.hideMenu(); on(); } }, h('span', {}, label), hint ? h('span', { class: 'hint' }, hint) : null);
    const items: (HTMLElement | null)[] = [];
    if (node && !node.hasClass('more')) {
      const key = node.id();
      if (!node.selected()) this.select(key);
      items.push(item(t('expandAll'), () => void this.expand(key), 'dbl-click', 'menu-expand'));
      for (const r of relationsFor(node.data('type') as string)) items.push(item(`${t('expand')}: ${relationName(r)}`, () => void this.expand(key, [r]), '', `menu-expand-${r}`));
      items.push(item(t('chooseNeighbours'), () => void this.chooseNeighbours(key), '', 'menu-choose'));
      items.push(h('hr'));
      items.push(item(t('collapse'), () => this.collapse(key), 'C'));
      items.push(item(t('remove'), () => this.graph.remove(this.graph.cy.getElementById(key) as unknown as Collection, 'remove'), 'Del', 'menu-remove'));
    } else if (node?.hasClass('more')) {
      items.push(item(t('chooseNeighbours'), () => void this.chooseNeighbours(node.data('moreOf') as string)));
    } else {
      items.push(item(t('fit'), () => this.graph.fit(), 'F'));
      items.push(item(t('layout'), () => void this.graph.runLayout(), 'L'));
      items.push(item(t('undo'), () => this.undo(), 'Ctrl+Z'));
      items.push(item(t('clear'), () => this.graph.clear()));
    }
    this.menu.replaceChildren(...items.filter((x): x is HTMLElement => !!x));
    this.menu.hidden = false;
    const r = this.menu.getBoundingClientRect();
    this.menu.style.left = `${Math.min(x, innerWidth - r.width - 8)}px`;
    this.menu.style.top = `${Math.min(y, innerHeight - r.height - 8)}px`;
  }

  private hideMenu(): void {
    this.menu.hidden = true;
  }

  private bindKeys(): void {
    document.addEventListener('keydown', (ev) => {
      const target = ev.target as HTMLElement;
      const typing = target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA';
      const mod = ev.ctrlKey || ev.metaKey;
      if (mod && ev.key.toLowerCase() === 'z' && !typing) { ev.preventDefault(); if (ev.shiftKey) this.redo(); else this.undo(); return; }
      if (mod && ev.key.toLowerCase() === 'y' && !typing) { ev.preventDefault(); this.redo(); return; }
      if (typing || mod || ev.altKey) return;
      const sel = this.graph.cy.nodes(':selected').not('.more');
      switch (ev.key) {
        case '/': ev.preventDefault(); this.search.input.focus(); break;
        case 'f': this.graph.fit(sel.nonempty() ? sel.closedNeighborhood() : undefined); break;
        case '+': case '=': this.graph.zoomBy(1.25); break;
        case '-': this.graph.zoomBy(0.8); break;
        case 'e': sel.forEach((n) => void this.expand(n.id())); break;
        case 'c': sel.forEach((n) => this.collapse(n.id())); break;
        case 'l': void this.graph.runLayout(); break;
        case 'Delete': case 'Backspace': if (sel.nonempty()) { this.graph.remove(sel, 'remove'); this.details.show(null); } break;
        case 'Escape': this.hideMenu(); this.graph.clearHighlight(); document.querySelector('.modal-back')?.remove(); break;
        case '1': this.setView('explore'); break;
        case '2': this.setView('demand'); break;
        case '3': this.setView('paths'); break;
        case '4': this.setView('opportunities'); break;
        case '?': this.showHelp(); break;
        default: return;
      }
    });
  }

  private showHelp(): void {
    const rows: [string, string][] = [
      ['/', t('searchPlaceholder').replace(/\s+\(.*\)$/, '')], ['E', t('expandAll')], ['C', t('collapse')], ['Del', t('remove')],
      ['F', t('fit')], ['+ / −', `${t('zoomIn')} / ${t('zoomOut')}`], ['L', t('layout')], ['Ctrl+Z / Ctrl+Shift+Z', `${t('undo')} / ${t('redo')}`],
      ['1–4', `${t('explore')} · ${t('demand')} · ${t('paths')} · ${t('opportunities')}`], ['Esc', t('close')],
    ];
    const back = h('div', { class: 'modal-back', onclick: (ev: Event) => { if (ev.target === back) back.remove(); } },
      h('div', { class: 'modal', style: 'width:420px' }, h('header', {}, h('h3', {}, t('shortcuts'))),
        h('div', { class: 'help-grid' }, ...rows.flatMap(([k, v]) => [h('span', {}, h('span', { class: 'kbd' }, k)), h('span', {}, v)])),
        h('footer', {}, h('button', { class: 'btn', onclick: () => back.remove() }, t('close')))));
    document.body.append(back);
  }
}

export { errorBox, isLayoutName };
