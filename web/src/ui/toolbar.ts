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

/** The toolbar over the canvas: layout, camera, history, colour and size, share and files. */
export class Toolbar {
  readonly root = h('div', { class: 'toolbar' });

  constructor(private readonly graph: GraphView, private readonly a: ToolbarActions) {}

  /** Redraws it (button states follow the scene and its history). */
  render(): void {
    const g = this.graph, a = this.a;
    const btn = (label: string, title: string, on: () => void, attrs: Record<string, string | boolean> = {}) =>
      h('button', { title, onclick: on, ...attrs }, label);
    const select = <T extends string>(label: string, value: T, options: [T, string][], on: (v: T) => void, testid: string) =>
      h('label', {}, label, h('select', { 'data-testid': testid, onchange: (ev: Event) => on((ev.target as HTMLSelectElement).value as T) },
        ...options.map(([v, l]) => h('option', { value: v, selected: v === value }, l))));
    const fileInput = h('input', { type: 'file', accept: '.json,application/json', style: 'display:none', 'data-testid': 'import-file' });
    fileInput.addEventListener('change', async () => {
      const f = fileInput.files?.[0];
      if (!f) return;
      try { a.importJson(JSON.parse(await f.text())); } catch (e) { a.toast(`${t('errorPrefix')}: ${(e as Error).message}`); }
      fileInput.value = '';
    });
    this.root.replaceChildren(h('div', { class: 'groups' },
      h('div', { class: 'group' },
        select(t('layout'), g.layoutName, layoutNames.map((n) => [n, n] as [LayoutName, string]), (v) => { g.layoutName = v; void g.runLayout(v); a.onSetting(); }, 'layout-select'),
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
      h('div', { class: 'group' },
        select(t('colorBy'), g.colorBy, [['type', t('byType')], ['segment', t('bySegment')], ['degree', t('byDegreeColor')]], a.setColorBy, 'color-select'),
        select(t('sizeBy'), g.sizeBy, [['degree', t('byDegree')], ['score', t('byScore')], ['weight', t('byWeight')]], (v: SizeBy) => { g.sizeBy = v; g.refreshSizes(); a.onSetting(); }, 'size-select'),
      ),
      h('div', { class: 'group' },
        btn(t('share'), t('share'), a.copyLink, { 'data-testid': 'share' }),
        btn(t('exportPng'), 'PNG', a.exportPng, { 'data-testid': 'export-png' }),
        btn(t('exportJson'), 'JSON', a.exportJson, { 'data-testid': 'export-json' }),
        btn(t('importJson'), t('importJson'), () => fileInput.click()),
        fileInput,
      ),
      a.extra?.length ? h('div', { class: 'group' }, ...a.extra) : null,
    ));
  }
}
