import { layoutNames, type LayoutName } from '../graph/layouts.js';
import { h } from './dom.js';
import type { ColorBy, GraphView, SizeBy } from './graph-view.js';
import { t } from './i18n.js';

/** What the toolbar's buttons do beyond the canvas itself; the explorer supplies them. */
export interface ToolbarActions {
  undo: () => void;
  redo: () => void;
  clear: () => void;
  setColorBy: (v: ColorBy) => void;
  /** A setting kept in the URL changed (the layout). */
  onSetting: () => void;
  copyLink: () => void;
  exportPng: () => void;
  exportJson: () => void;
  /** A chosen scene file's parsed JSON. */
  importJson: (json: unknown) => void;
  toast: (text: string) => void;
  /** Further buttons, in a group of their own at the end (the filter panel's toggle). */
  extra?: HTMLElement[];
}

/** A layout's name for people ("fcose" means nothing to a strategist). */
const layoutLabel = { fcose: 'layoutFcose', concentric: 'layoutConcentric', breadthfirst: 'layoutBreadthfirst', grid: 'layoutGrid' } as const;

/**
 * The toolbar over the canvas, one row wide enough for the canvas between both side panels at
 * 1440 px: layout, camera, history, then Style (colour, size) and Share (link, PNG, JSON, import)
 * as drop-downs, and the filter panel's toggle.
 */
export class Toolbar {
  readonly root = h('div', { class: 'toolbar' });
  /** The open drop-down, kept across re-renders (each scene change redraws the toolbar). */
  private open: 'style' | 'share' | null = null;

  constructor(private readonly graph: GraphView, private readonly a: ToolbarActions) {
    document.addEventListener('pointerdown', (ev) => {
      if (this.open && !this.root.contains(ev.target as Node)) { this.open = null; this.render(); }
    });
  }

  /** Redraws it (button states follow the scene and its history). */
  render(): void {
    const g = this.graph, a = this.a;
    const btn = (label: string, title: string, on: () => void, attrs: Record<string, string | boolean> = {}) =>
      h('button', { title, onclick: on, ...attrs }, label);
    const select = <T extends string>(label: string | null, value: T, options: [T, string][], on: (v: T) => void, testid: string) =>
      h('label', { title: label ?? '' }, label ?? '', h('select', { 'data-testid': testid, 'aria-label': label ?? testid, onchange: (ev: Event) => on((ev.target as HTMLSelectElement).value as T) },
        ...options.map(([v, l]) => h('option', { value: v, selected: v === value }, l))));
    // A drop-down's item closes it; a select inside it keeps it open for the next choice.
    const menu = (name: 'style' | 'share', label: string, title: string, testid: string, items: HTMLElement[]) => {
      const toggle = btn(`${label} ▾`, title, () => { this.open = this.open === name ? null : name; this.render(); }, { 'data-testid': testid, class: this.open === name ? 'on' : '' });
      return h('div', { class: 'group drop' }, toggle, this.open === name ? h('div', { class: 'drop-menu', 'data-testid': `${testid}-menu` }, ...items) : null);
    };
    const item = (label: string, on: () => void, testid: string) => btn(label, label, () => { this.open = null; this.render(); on(); }, { 'data-testid': testid });
    const fileInput = h('input', { type: 'file', accept: '.json,application/json', style: 'display:none', 'data-testid': 'import-file' });
    fileInput.addEventListener('change', async () => {
      const f = fileInput.files?.[0];
      if (!f) return;
      try { a.importJson(JSON.parse(await f.text())); } catch (e) { a.toast(`${t('errorPrefix')}: ${(e as Error).message}`); }
      fileInput.value = '';
    });
    this.root.replaceChildren(h('div', { class: 'groups' },
      h('div', { class: 'group' },
        select(null, g.layoutName, layoutNames.map((n) => [n, t(layoutLabel[n])] as [LayoutName, string]), (v) => { g.layoutName = v; void g.runLayout(v); a.onSetting(); }, 'layout-select'),
        btn('⟳', t('layout') + ' (L)', () => void g.runLayout()),
      ),
      h('div', { class: 'group' },
        btn('⤢', `${t('fit')} (F)`, () => g.fit(), { 'data-testid': 'fit' }),
        btn('+', `${t('zoomIn')} (+)`, () => g.zoomBy(1.25)),
        btn('−', `${t('zoomOut')} (−)`, () => g.zoomBy(0.8)),
      ),
      h('div', { class: 'group' },
        btn('↶', `${t('undo')} (Ctrl+Z)`, a.undo, { disabled: !g.history.canUndo, 'data-testid': 'undo' }),
        btn('↷', `${t('redo')} (Ctrl+Shift+Z)`, a.redo, { disabled: !g.history.canRedo, 'data-testid': 'redo' }),
        btn(t('clear'), t('clear'), a.clear, { disabled: g.cy.elements().empty() }),
      ),
      menu('style', t('style'), t('styleTitle'), 'style-menu', [
        select(t('colorBy'), g.colorBy, [['type', t('byType')], ['segment', t('bySegment')], ['degree', t('byDegreeColor')]], a.setColorBy, 'color-select'),
        select(t('sizeBy'), g.sizeBy, [['degree', t('byDegree')], ['score', t('byScore')], ['weight', t('byWeight')]], (v: SizeBy) => { g.sizeBy = v; g.refreshSizes(); a.onSetting(); }, 'size-select'),
      ]),
      menu('share', t('shareMenu'), t('shareTitle'), 'share-menu', [
        item(t('share'), a.copyLink, 'share'),
        item(t('exportPng'), a.exportPng, 'export-png'),
        item(t('exportJson'), a.exportJson, 'export-json'),
        item(t('importJson'), () => fileInput.click(), 'import-json'),
      ]),
      fileInput,
      a.extra?.length ? h('div', { class: 'group' }, ...a.extra) : null,
    ));
  }
}
