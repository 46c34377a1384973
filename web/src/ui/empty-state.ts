import type { GraphStats } from '../api/server-info.js';
import { lookOf, typeLooks } from '../graph/palette.js';
import { h } from './dom.js';
import type { GraphView } from './graph-view.js';
import { t, typeName } from './i18n.js';

export interface EmptyStateDeps {
  graph: GraphView;
  stats: () => GraphStats | null;
  /** A type chip was clicked: filter search by that type and focus it. */
  searchType: (type: string) => void;
}

/** The empty canvas's invitation (graph size, one chip per type) and the scene's node and edge count. */
export class EmptyState {
  readonly root = h('div', { class: 'empty' });
  readonly sceneCount = h('div', { class: 'scene-count', 'data-testid': 'scene-count' });

  constructor(private readonly d: EmptyStateDeps) {}

  render(): void {
    const g = this.d.graph;
    const n = g.cy.nodes().length;
    this.root.hidden = n > 0;
    const edges = g.edgeCount;
    // "1 node", not "1 nodes".
    const key = g.nodeCount === 1 ? (edges === 1 ? 'scenesOneBoth' : 'scenesOne') : edges === 1 ? 'scenesOneEdge' : 'scenes';
    this.sceneCount.textContent = n ? t(key, { n: g.nodeCount.toLocaleString(), m: edges.toLocaleString() }) : '';
    this.sceneCount.hidden = n === 0;
    if (n) return;
    const s = this.d.stats();
    this.root.replaceChildren(h('div', { class: 'empty-card', 'data-testid': 'empty-state' },
      h('span', { class: 'empty-art' }),
      h('h2', {}, t('emptyTitle')),
      h('p', {}, t('emptyBody')),
      s ? h('p', { class: 'muted', style: 'font-size:12px' }, t('stats', { n: s.nodeCount.toLocaleString(), m: s.relationshipCount.toLocaleString() })) : null,
      h('div', { class: 'chips' }, ...(s?.byType ?? Object.keys(typeLooks).map((name) => ({ name, count: -1 }))).map((bt) =>
        h('button', { class: 'chip', onclick: () => this.d.searchType(bt.name) },
          h('span', { class: 'swatch ellipse', style: `background:${lookOf(bt.name).color}` }), typeName(bt.name), bt.count >= 0 ? h('span', { class: 'muted' }, bt.count.toLocaleString()) : null))),
    ));
    this.root.querySelector('.empty-art')!.innerHTML =
      '<svg viewBox="0 0 64 40" width="72" height="45"><path d="M14 20L32 10M14 20L32 30M32 10L50 20M32 30L50 20" stroke="#cbd5e1" stroke-width="2"/><circle cx="14" cy="20" r="6" fill="#4f46e5"/><rect x="26" y="4" width="12" height="12" rx="3" fill="#c2410c"/><rect x="26" y="24" width="12" height="12" rx="3" fill="#c2410c" opacity=".6"/><path d="M50 13l7 7-7 7-7-7z" fill="#0f766e"/></svg>';
  }
}
