import type { Core, NodeSingular } from 'cytoscape';
import { fmt, readableLabel } from '../graph/elements.js';
import { lookOf } from '../graph/palette.js';
import type { Lang, NodeData } from '../graph/types.js';
import { h } from './dom.js';
import type { GraphView } from './graph-view.js';
import { t, typeName } from './i18n.js';
import { downloadCsv } from './views.js';

// The selection table: several nodes selected on the canvas (shift/ctrl-click, box selection)
// listed with their type, readable name, relations on canvas and the numeric properties they
// all have. Rows, sorting and CSV are pure (test/web/selection-table.test.ts).

/** A selected node as the table reads it (node data plus its degree in the scene). */
export type SelectionNode = Pick<NodeData, 'key' | 'type' | 'entityId' | 'name' | 'nameEn' | 'properties'> & {
  /** A consumer's segment name in each language, when known (as its canvas label). */
  segName?: string | null;
  segNameEn?: string | null;
  /** Stored-relation edges on canvas. */
  degree: number;
};

export interface SelectionRow {
  key: string;
  type: string;
  /** The type's name in the page's language. */
  typeLabel: string;
  /** Readable: a consumer by segment and short hash, never its pseudonym. */
  label: string;
  degree: number;
  /** The shared numeric properties. */
  values: Record<string, number>;
}

export interface SelectionTableData {
  /** Numeric properties every selected node has, in name order. */
  columns: string[];
  rows: SelectionRow[];
}

/** 'type', 'name', 'degree', or a shared property as 'p:<name>'. */
export type SelectionSort = string;

function numericProps(properties: string | null): Record<string, number> {
  if (!properties) return {};
  try {
    const obj = JSON.parse(properties) as unknown;
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return {};
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    return out;
  } catch {
    return {};
  }
}

/** Rows of the selected nodes and the numeric properties they share (type names in the page's language). */
export function selectionTable(nodes: readonly SelectionNode[], lang: Lang): SelectionTableData {
  const props = nodes.map((n) => numericProps(n.properties));
  const columns = nodes.length ? Object.keys(props[0]!).filter((k) => props.every((p) => k in p)).sort() : [];
  const rows = nodes.map((n, i) => ({
    key: n.key,
    type: n.type,
    typeLabel: typeName(n.type),
    label: readableLabel({ name: n.name, nameEn: n.nameEn, id: n.entityId, type: n.type }, lang, (lang === 'en' ? n.segNameEn : n.segName) ?? null),
    degree: n.degree,
    values: Object.fromEntries(columns.map((c) => [c, props[i]![c]!])),
  }));
  return { columns, rows };
}

/** Rows sorted by a column: numbers largest first, words A–Z; `flip` reverses it. Ties in name order. */
export function sortSelection(rows: readonly SelectionRow[], by: SelectionSort, flip: boolean, lang: Lang): SelectionRow[] {
  const words = new Intl.Collator(lang === 'zh' ? 'zh-CN' : 'en');
  const byName = (a: SelectionRow, b: SelectionRow) => words.compare(a.label, b.label);
  const cmp = (a: SelectionRow, b: SelectionRow): number => {
    if (by === 'name') return byName(a, b);
    if (by === 'type') return words.compare(a.typeLabel, b.typeLabel);
    const x = by === 'degree' ? a.degree : a.values[by.slice(2)] ?? Number.NaN;
    const y = by === 'degree' ? b.degree : b.values[by.slice(2)] ?? Number.NaN;
    return (Number.isNaN(x) ? -Infinity : x) - (Number.isNaN(y) ? -Infinity : y);
  };
  const numeric = by !== 'name' && by !== 'type';
  return [...rows].sort((a, b) => {
    const c = cmp(a, b);
    const dir = numeric ? -c : c;
    return (flip ? -dir : dir) || byName(a, b);
  });
}

/** The table as CSV rows, header first: only what the table shows (no ids). */
export function selectionCsv(table: SelectionTableData, rows: readonly SelectionRow[], lang: Lang): (string | number)[][] {
  const head = lang === 'zh' ? ['类型', '名称', '画布上的关系'] : ['type', 'name', 'relations on canvas'];
  return [[...head, ...table.columns], ...rows.map((r) => [r.typeLabel, r.label, r.degree, ...table.columns.map((c) => r.values[c]!)])];
}

export interface SelectionTableDeps {
  graph: GraphView;
  lang: () => Lang;
}

/** The selected entity nodes ("+N more" badges left out). */
export function selectedNodes(cy: Core): NodeSingular[] {
  return cy.nodes(':selected').not('.more').toArray() as NodeSingular[];
}

/** Rows drawn at most: a box around a 10k-node scene would otherwise build 10k table rows. */
export const maxSelectionRows = 300;

/** The selection table shown in the details panel when more than one node is selected. */
export class SelectionTable {
  readonly root = h('div', { 'data-testid': 'selection-table' });
  private by: SelectionSort = 'degree';
  private flip = false;
  private active: string | null = null;

  constructor(private readonly d: SelectionTableDeps) {}

  private data(): SelectionTableData {
    const nodes = selectedNodes(this.d.graph.cy).map((n): SelectionNode => {
      let degree = 0;
      for (const c of this.d.graph.relationCounts(n.id()).values()) degree += c;
      return {
        key: n.id(), type: n.data('type') as string, entityId: n.data('entityId') as string, name: n.data('name') as string,
        nameEn: (n.data('nameEn') as string | null) ?? null, properties: (n.data('properties') as string | null) ?? null,
        segName: n.data('segName') as string | undefined, segNameEn: n.data('segNameEn') as string | undefined, degree,
      };
    });
    return selectionTable(nodes, this.d.lang());
  }

  /** Centres a row's node and marks it (the rest faded until Esc or a click on the background); the selection stays. */
  private focus(key: string): void {
    const g = this.d.graph;
    const n = g.cy.getElementById(key);
    if (n.empty()) return;
    g.highlight(n);
    // On the node's centre: `center: { eles }` centres its box, label included, so the node sat above the middle.
    const p = n.position(), z = g.cy.zoom();
    g.cy.animate({ pan: { x: g.cy.width() / 2 - p.x * z, y: g.cy.height() / 2 - p.y * z }, duration: g.isBig ? 0 : 300 });
  }

  /** Redraws the table from the current selection; returns its root. */
  render(): HTMLElement {
    const l = this.d.lang();
    const table = this.data();
    if (this.by.startsWith('p:') && !table.columns.includes(this.by.slice(2))) { this.by = 'degree'; this.flip = false; }
    const rows = sortSelection(table.rows, this.by, this.flip, l);
    // Type and name read left-aligned, numbers right (table.data's rule for all but the first column).
    const col = (id: SelectionSort, label: string) => h('th', {
      class: id === this.by ? 'sorted' : '', 'data-col': id, style: id === 'name' ? 'text-align:left' : null,
      onclick: () => { if (this.by === id) this.flip = !this.flip; else { this.by = id; this.flip = false; } this.render(); },
    }, label, id === this.by ? (this.flip === (id === 'name' || id === 'type') ? ' ↓' : ' ↑') : '');
    const header = h('tr', {}, col('type', t('selectionType')), col('name', t('selectionName')), col('degree', t('selectionDegree')), ...table.columns.map((c) => col(`p:${c}`, c)));
    const body = rows.slice(0, maxSelectionRows).map((r) => {
      const look = lookOf(r.type);
      return h('tr', {
        class: this.active === r.key ? 'on' : '', 'data-key': r.key,
        onclick: () => { this.active = r.key; this.focus(r.key); this.render(); },
      },
        h('td', {}, h('span', { class: `swatch ${look.shape}`, style: `background:${look.color};margin-right:6px;vertical-align:-1px` }), r.typeLabel),
        h('td', { style: 'text-align:left' }, h('span', { class: 'name', title: r.label }, r.label)),
        h('td', {}, String(r.degree)),
        ...table.columns.map((c) => h('td', {}, fmt(r.values[c]!))),
      );
    });
    this.root.replaceChildren(
      h('div', { class: 'panel' },
        h('h3', {}, t('selectionTitle')),
        h('div', { style: 'display:flex;align-items:center;gap:8px;margin-bottom:6px' },
          h('h2', { 'data-testid': 'selection-count', style: 'margin:0;flex:1' }, t('selectionCount', { n: rows.length.toLocaleString('en-US') })),
          h('button', { class: 'btn', 'data-testid': 'selection-csv', title: t('selectionCsvTitle'), onclick: () => downloadCsv('selection.csv', selectionCsv(table, rows, l)) }, 'CSV')),
        h('p', { class: 'muted', style: 'font-size:12px;margin:0' }, t('selectionHint'))),
      h('div', { class: 'panel table-wrap', style: 'padding-top:4px' }, h('table', { class: 'data' }, h('thead', {}, header), h('tbody', {}, ...body)),
        rows.length > maxSelectionRows ? h('p', { class: 'muted', style: 'font-size:12px', 'data-testid': 'selection-capped' }, t('selectionCapped', { n: maxSelectionRows, N: rows.length.toLocaleString('en-US') })) : null),
    );
    return this.root;
  }
}
