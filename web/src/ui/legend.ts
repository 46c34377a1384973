import { degreeBinLabel, degreeRamp, lookOf, segmentColor, typeLooks } from '../graph/palette.js';
import { h } from './dom.js';
import type { GraphView } from './graph-view.js';
import { lang, t, typeName } from './i18n.js';

/** The legend: entity types (or segments, when colouring by segment) and the statistical-link line. */
export class Legend {
  readonly root = h('div', { class: 'legend' });

  constructor(private readonly graph: GraphView, private readonly segmentLabels: () => string[] | null) {}

  render(): void {
    const rows: HTMLElement[] = [];
    if (this.graph.colorBy === 'degree') {
      rows.push(h('div', { class: 'muted' }, t('degreeLegend')));
      degreeRamp.forEach((c, i) => rows.push(h('div', { class: 'legend-row' }, h('span', { class: 'swatch ellipse', style: `background:${c}` }), degreeBinLabel(i))));
    } else if (this.graph.colorBy === 'segment') {
      const labels = this.segmentLabels();
      if (!labels) rows.push(h('div', { class: 'muted' }, t('noSegments')));
      else labels.slice(0, 10).forEach((l, i) => rows.push(h('div', { class: 'legend-row' }, h('span', { class: 'swatch ellipse', style: `background:${segmentColor(i)}` }), l)));
    } else {
      // The core types always, then any other type on canvas (a schema file's Brand, segments).
      const present = new Set<string>();
      this.graph.cy.nodes().forEach((n) => { if (!n.hasClass('more')) present.add(n.data('type') as string); });
      for (const tp of new Set([...Object.keys(typeLooks), ...present])) {
        const look = lookOf(tp);
        rows.push(h('div', { class: 'legend-row' }, h('span', { class: `swatch ${look.shape}`, style: `background:${look.color}` }), typeName(tp)));
      }
    }
    rows.push(h('div', { class: 'legend-row' }, h('span', { class: 'swatch line' }), lang() === 'zh' ? '统计关联（提升度）' : 'statistical link (lift)'));
    this.root.replaceChildren(h('h4', {}, t('legend')), ...rows);
  }
}
