import { degreeBinLabel, degreeRamp, lookOf, segmentColor, typeLooks } from '../graph/palette.js';
import { h } from './dom.js';
import type { GraphView } from './graph-view.js';
import { lang, t, typeName } from './i18n.js';

/** The legend of what is drawn: its entity types (or segments, or degree steps) and, when one is drawn, the statistical-link line. */
export class Legend {
  readonly root = h('div', { class: 'legend' });

  constructor(private readonly graph: GraphView, private readonly segmentLabels: () => string[] | null) {}

  render(): void {
    // It explains what is drawn: nothing on canvas, no legend (the empty state has the floor).
    const cy = this.graph.cy;
    this.root.hidden = cy.nodes().empty();
    if (this.root.hidden) return;
    const rows: HTMLElement[] = [];
    if (this.graph.colorBy === 'degree') {
      rows.push(h('div', { class: 'muted' }, t('degreeLegend')));
      degreeRamp.forEach((c, i) => rows.push(h('div', { class: 'legend-row' }, h('span', { class: 'swatch ellipse', style: `background:${c}` }), degreeBinLabel(i))));
    } else if (this.graph.colorBy === 'segment') {
      const labels = this.segmentLabels();
      if (!labels) rows.push(h('div', { class: 'muted' }, t('noSegments')));
      else labels.slice(0, 10).forEach((l, i) => rows.push(h('div', { class: 'legend-row' }, h('span', { class: 'swatch ellipse', style: `background:${segmentColor(i)}` }), l)));
    } else {
      // The types on canvas, core ones first (a scene of interests lists no consumer).
      const present = new Set<string>();
      cy.nodes().forEach((n) => { if (!n.hasClass('more')) present.add(n.data('type') as string); });
      for (const tp of new Set([...Object.keys(typeLooks).filter((x) => present.has(x)), ...present])) {
        const look = lookOf(tp);
        rows.push(h('div', { class: 'legend-row' }, h('span', { class: `swatch ${look.shape}`, style: `background:${look.color}` }), typeName(tp)));
      }
    }
    if (cy.edges('.derived').nonempty()) rows.push(h('div', { class: 'legend-row' }, h('span', { class: 'swatch line' }), lang() === 'zh' ? '统计关联（提升度）' : 'statistical link (lift)'));
    this.root.replaceChildren(h('h4', {}, t('legend')), ...rows);
  }
}
