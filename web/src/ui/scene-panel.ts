import { filterRanges, noFilter, type SceneFilter } from '../graph/filters.js';
import { lookOf } from '../graph/palette.js';
import type { SavedScenes } from '../graph/saved-scenes.js';
import { h } from './dom.js';
import type { GraphView } from './graph-view.js';
import { lang, relationName, t, typeName } from './i18n.js';

export interface ScenePanelDeps {
  graph: GraphView;
  store: SavedScenes;
  /** Saves the scene on canvas (with filter and style) under a name. */
  save: (name: string) => void;
  /** Reopens a saved scene. */
  open: (name: string) => void;
  toast: (text: string) => void;
  /** The filter changed: keep it in the URL. */
  onSetting: () => void;
}

/** A day as people read it, in the page's language. */
function day(sec: number): string {
  return new Date(sec * 1000).toLocaleDateString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { year: 'numeric', month: 'short', day: 'numeric' });
}

/**
 * The "Filter & scenes" panel over the canvas: entity types and relations with their counts,
 * a weight range and a time window over the scene's relations, and the scenes saved in this
 * browser (save, open, delete). Rebuilt from the scene on every change.
 */
export class ScenePanel {
  readonly root = h('aside', { class: 'scene-panel', 'data-testid': 'scene-panel', hidden: true });
  readonly toggle = h('button', { class: 'panel-toggle', 'data-testid': 'filter-toggle', onclick: () => this.setOpen(this.root.hidden) });

  constructor(private readonly d: ScenePanelDeps) {}

  get isOpen(): boolean { return !this.root.hidden; }

  setOpen(open: boolean): void {
    this.root.hidden = !open;
    this.toggle.classList.toggle('on', open);
    if (open) this.render();
  }

  private set(part: Partial<SceneFilter>): void {
    this.d.graph.setFilter({ ...this.d.graph.filter, ...part });
    this.d.onSetting();
  }

  render(): void {
    this.toggle.textContent = t('filterStyle');
    this.toggle.title = t('filterTitle');
    this.toggle.classList.toggle('active', this.d.graph.hiddenCount > 0);
    if (this.root.hidden) return;
    const g = this.d.graph;
    const f = g.filter;
    const { nodes, edges } = g.filterInput();
    const r = filterRanges(nodes, edges);
    const hiddenNodes = g.cy.nodes('.filtered').not('.more').length;
    const hiddenEdges = g.cy.edges('.filtered').not('.more').length;
    const check = (label: HTMLElement | string, on: boolean, change: (on: boolean) => void, testid: string) => {
      const box = h('input', { type: 'checkbox', checked: on, 'data-testid': testid });
      box.addEventListener('change', () => change(box.checked));
      return h('label', { class: 'check' }, box, label);
    };
    const toggleIn = (list: string[], v: string, show: boolean) => (show ? list.filter((x) => x !== v) : [...new Set([...list, v])]);
    const numberInput = (value: number | null, placeholder: number, step: string, change: (v: number | null) => void, testid: string) => {
      const el = h('input', { type: 'number', step, value: value ?? '', placeholder: String(placeholder), 'data-testid': testid });
      el.addEventListener('change', () => change(el.value === '' || !Number.isFinite(Number(el.value)) ? null : Number(el.value)));
      return el;
    };
    const section = (title: string, ...body: (HTMLElement | null)[]) => h('section', {}, h('h4', {}, title), ...body);

    const timeSection = () => {
      if (!r.time) return h('p', { class: 'muted' }, t('filterNoTime'));
      const { min, max } = r.time;
      const slider = (value: number | null, fallback: number, change: (v: number | null) => void, testid: string) => {
        const el = h('input', { type: 'range', min, max, step: Math.max(1, Math.round((max - min) / 200)), value: value ?? fallback, 'data-testid': testid });
        el.addEventListener('change', () => { const v = Number(el.value); change(v === fallback ? null : v); });
        return el;
      };
      return h('div', { class: 'time' },
        h('div', { class: 'range-row' }, h('span', {}, t('filterFrom')), slider(f.since, min, (v) => this.set({ since: v }), 'filter-since'), h('span', { class: 'muted', 'data-testid': 'filter-since-day' }, day(f.since ?? min))),
        h('div', { class: 'range-row' }, h('span', {}, t('filterTo')), slider(f.until, max, (v) => this.set({ until: v }), 'filter-until'), h('span', { class: 'muted', 'data-testid': 'filter-until-day' }, day(f.until ?? max))),
      );
    };

    const saved = this.d.store.list();
    const name = h('input', { type: 'text', placeholder: t('sceneName'), maxlength: 80, 'data-testid': 'scene-name' });
    const save = () => {
      if (g.nodeCount === 0) { this.d.toast(t('sceneEmpty')); return; }
      if (!name.value.trim()) { name.focus(); return; }
      this.d.save(name.value);
      this.render();
    };
    name.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') save(); });

    this.root.replaceChildren(h('div', { class: 'panel-body' },
      h('header', {}, h('h3', {}, t('filterTitle')), h('button', { class: 'close', title: t('close'), onclick: () => this.setOpen(false) }, '×')),
      h('p', { class: 'muted', 'data-testid': 'filter-showing' }, t('filterShowing', {
        n: (nodes.length - hiddenNodes).toLocaleString(), N: nodes.length.toLocaleString(), m: (edges.length - hiddenEdges).toLocaleString(), M: edges.length.toLocaleString(),
      })),
      section(t('filterTypes'), ...r.types.map(([type, count]) => check(
        h('span', {}, h('span', { class: `swatch ${lookOf(type).shape}`, style: `background:${lookOf(type).color}` }), `${typeName(type)} `, h('span', { class: 'muted' }, count.toLocaleString())),
        !f.hiddenTypes.includes(type), (on) => this.set({ hiddenTypes: toggleIn(f.hiddenTypes, type, on) }), `filter-type-${type}`))),
      section(t('filterRelations'), ...r.relations.map(([rel, count]) => check(
        h('span', {}, `${relationName(rel)} `, h('span', { class: 'muted' }, count.toLocaleString())),
        !f.hiddenRelations.includes(rel), (on) => this.set({ hiddenRelations: toggleIn(f.hiddenRelations, rel, on) }), `filter-rel-${rel}`))),
      r.weight ? section(t('filterWeight'), h('div', { class: 'range-row' },
        numberInput(f.minWeight, r.weight.min, 'any', (v) => this.set({ minWeight: v }), 'filter-min-weight'),
        h('span', {}, '–'),
        numberInput(f.maxWeight, r.weight.max, 'any', (v) => this.set({ maxWeight: v }), 'filter-max-weight'))) : null,
      section(t('filterTime'), timeSection()),
      check(t('filterOrphans'), f.hideOrphans, (on) => this.set({ hideOrphans: on }), 'filter-orphans'),
      h('button', { class: 'link', 'data-testid': 'filter-reset', onclick: () => this.set({ ...noFilter }) }, t('filterReset')),
      h('section', { class: 'saved' }, h('h4', {}, t('savedScenes')),
        h('div', { class: 'save-row' }, name, h('button', { class: 'primary', 'data-testid': 'save-scene', onclick: save }, t('saveScene'))),
        saved.length ? h('ul', { 'data-testid': 'saved-scenes' }, ...saved.map((s) => h('li', { 'data-scene': s.name },
          h('div', {}, h('strong', {}, s.name), h('div', { class: 'muted' }, t('sceneCounts', { n: s.nodes.toLocaleString(), m: s.edges.toLocaleString(), date: new Date(s.savedAt).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB') }))),
          h('button', { 'data-testid': 'open-scene', onclick: () => this.d.open(s.name) }, t('openScene')),
          h('button', { class: 'danger', 'data-testid': 'delete-scene', onclick: () => { this.d.store.remove(s.name); this.d.toast(t('sceneDeleted', { name: s.name })); this.render(); } }, t('deleteScene')),
        ))) : h('p', { class: 'muted' }, t('noSavedScenes')),
      ),
    ));
  }
}
