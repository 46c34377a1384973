import { filterRanges, noFilter, type SceneFilter } from '../graph/filters.js';
import { lookOf } from '../graph/palette.js';
import { sceneList, type SavedScenes, type SceneHome } from '../graph/saved-scenes.js';
import type { ServerScenes } from '../api/saved-scenes.js';
import { h } from './dom.js';
import type { GraphView } from './graph-view.js';
import { lang, relationName, t, typeName, wordsOf } from './i18n.js';

export interface ScenePanelDeps {
  graph: GraphView;
  store: SavedScenes;
  /** Saves the scene on canvas (with filter and style) under a name, on the server or in this browser. */
  save: (name: string, where: SceneHome) => void | Promise<void>;
  /** Reopens a saved scene. */
  open: (name: string, where: SceneHome) => void;
  /** Deletes a saved scene. */
  remove: (name: string, where: SceneHome) => void | Promise<void>;
  /** The server's scenes for the API key sent (state and list), absent in tests without a server. */
  server?: ServerScenes;
  /** Whether the explorer sends an API key, and setting or forgetting it (the page reloads with it). */
  apiKey?: { has: () => boolean; set: (key: string | null) => void; prompt: () => void };
  toast: (text: string) => void;
  /** The filter changed: keep it in the URL. */
  onSetting: () => void;
}

// The saved-scene part's own words (the server's scenes and the API key), in both languages.
const words = {
  en: {
    onServer: 'Kept on the server for your API key (open them from any browser with it), or in this browser.',
    needsKey: 'Scenes on the server need an API key; without one they are kept in this browser only.',
    noKeys: 'This server runs without API keys (the local default), so scenes are kept in this browser; a server with keys keeps them for each key.',
    serverError: 'The server’s saved scenes could not be read ({message}); scenes are kept in this browser.',
    useKey: 'Sign in with an API key',
    forgetKey: 'Forget key',
    keyNote: 'Sent with every request from this tab; forgotten when the tab closes.',
    server: 'server',
    browser: 'this browser',
    saveTo: 'Save to',
  },
  zh: {
    onServer: '场景保存在服务器上，归属于您的 API 密钥（用该密钥可在任何浏览器中打开），也可以保存在此浏览器中。',
    needsKey: '在服务器上保存场景需要 API 密钥；没有密钥时，场景只保存在此浏览器中。',
    noKeys: '此服务器未配置 API 密钥（本地默认设置），场景保存在此浏览器中；配置了密钥的服务器会按密钥保存场景。',
    serverError: '无法读取服务器上保存的场景（{message}）；场景保存在此浏览器中。',
    useKey: '使用 API 密钥登录',
    forgetKey: '忘记密钥',
    keyNote: '此标签页的每个请求都会带上它；关闭标签页后即忘记。',
    server: '服务器',
    browser: '此浏览器',
    saveTo: '保存到',
  },
};
const say = wordsOf(words);

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

    const savedSection = this.savedScenesSection();
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
      savedSection,
    ));
  }

  /** Saved scenes: this key's on the server (when the server keeps them) and this browser's, with save, open and delete. */
  private savedScenesSection(): HTMLElement {
    const g = this.d.graph;
    const server = this.d.server;
    const on = server?.state === 'on';
    const where = h('select', { 'data-testid': 'scene-target', title: say('saveTo') },
      h('option', { value: 'server' }, say('server')), h('option', { value: 'browser' }, say('browser'))) as HTMLSelectElement;
    const name = h('input', { type: 'text', placeholder: t('sceneName'), maxlength: 80, 'data-testid': 'scene-name' }) as HTMLInputElement;
    const save = async () => {
      if (g.nodeCount === 0) { this.d.toast(t('sceneEmpty')); return; }
      if (!name.value.trim()) { name.focus(); return; }
      await this.d.save(name.value, on && where.value === 'server' ? 'server' : 'browser');
      this.render();
    };
    name.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') void save(); });

    const status = !server || server.state === 'unknown' || server.state === 'absent' ? null
      : h('p', { class: 'muted', 'data-testid': 'server-scenes-status', 'data-state': server.state },
        server.state === 'on' ? say('onServer') : server.state === 'needs-key' ? say('needsKey') : server.state === 'no-keys' ? say('noKeys') : say('serverError', { message: server.message }));
    const key = this.d.apiKey;
    let keyRow: HTMLElement | null = null;
    if (key && server && server.state !== 'absent' && server.state !== 'unknown') {
      if (key.has()) {
        keyRow = h('div', { class: 'save-row' }, h('button', { class: 'link', 'data-testid': 'forget-api-key', onclick: () => key.set(null) }, say('forgetKey')));
      } else if (server.state === 'needs-key') {
        // The page's key prompt (the one key field), not a second field of the panel's own.
        keyRow = h('div', { class: 'save-row' }, h('button', { 'data-testid': 'use-api-key', title: say('keyNote'), onclick: () => key.prompt() }, say('useKey')));
      }
    }
    const entries = sceneList(this.d.store.list(), on ? server!.scenes : []);
    const locale = lang() === 'zh' ? 'zh-CN' : 'en-GB';
    return h('section', { class: 'saved' }, h('h4', {}, t('savedScenes')),
      status, keyRow,
      h('div', { class: 'save-row' }, name, on ? where : null, h('button', { class: 'primary', 'data-testid': 'save-scene', onclick: () => void save() }, t('saveScene'))),
      entries.length ? h('ul', { 'data-testid': 'saved-scenes' }, ...entries.map((s) => h('li', { 'data-scene': s.name, 'data-where': s.where },
        h('div', {}, h('strong', {}, s.name), h('div', { class: 'muted' },
          `${on ? `${s.where === 'server' ? say('server') : say('browser')} · ` : ''}${t('sceneCounts', { n: s.nodes.toLocaleString(), m: s.edges.toLocaleString(), date: new Date(s.savedAt).toLocaleString(locale) })}`)),
        h('button', { 'data-testid': 'open-scene', onclick: () => this.d.open(s.name, s.where) }, t('openScene')),
        h('button', { class: 'danger', 'data-testid': 'delete-scene', onclick: async () => { await this.d.remove(s.name, s.where); this.render(); } }, t('deleteScene')),
      ))) : h('p', { class: 'muted' }, t('noSavedScenes')),
    );
  }
}
