import type { ApiError, GraphQLClient } from '../api/client.js';
import type { Capabilities } from '../api/capabilities.js';
import { latest } from '../api/latest.js';
import { lookalikesQuery, recommendQuery, relatedQuery, relationCountsQuery } from '../api/queries.js';
import { canvasLabel, fmt, isAnonymousType, nodeLabel, propertyPairs, readableLabel } from '../graph/elements.js';
import type { ApiRecommendation, NodeData } from '../graph/types.js';
import { relationsFor } from '../graph/vocabulary.js';
import { debounce, h } from './dom.js';
import { lang, relationName, t, typeName } from './i18n.js';
import { typeBadge } from './search.js';
import { AudiencePanel } from './audience-panel.js';
import { idsText, isStitched } from '../graph/person-label.js';

export interface DetailsDeps {
  client: GraphQLClient;
  caps: () => Capabilities | null;
  /** Current exploration value and its setter (kept in the URL by the app). */
  exploration: () => number;
  setExploration: (x: number) => void;
  /** Stored-relation edges of a node on canvas, per relation. */
  canvasCounts: (key: string) => Map<string, number>;
  onRecommendation: (rec: ApiRecommendation, source: NodeData) => void;
  onScores: (recs: ApiRecommendation[]) => void;
  /** The caller's role ("reader", "service", "admin"; null when unknown): what the audience builder shows. */
  role?: () => string | null;
}

/** An inline error with a retry button; unsupported fields say so instead. */
export function errorBox(err: unknown, field: string, retry: () => void): HTMLElement {
  const e = err as ApiError;
  if (e?.kind === 'unsupported') return h('div', { class: 'notice', 'data-state': 'unsupported' }, t('unsupported', { field }));
  return h('div', { class: 'error', 'data-state': 'error' }, h('span', {}, `${t('errorPrefix')}: ${e?.message ?? String(err)}`), h('button', { onclick: retry }, t('retryNow')));
}

export function skeletons(n: number): HTMLElement[] {
  return Array.from({ length: n }, () => h('div', { class: 'skeleton', 'data-state': 'loading' }));
}

/** The details panel: header, properties, connection counts and recommendations with the slider. */
export class DetailsPanel {
  readonly root = h('aside', { class: 'details', 'data-testid': 'details-panel' });
  private node: NodeData | null = null;
  private recs: ApiRecommendation[] = [];
  private activeRec: string | null = null;
  private targetType = 'Product';
  /** For a consumer: next products, or the consumers most like them. */
  private mode: 'products' | 'lookalikes' = 'products';
  private countsLoad = latest();
  private recLoad = latest();
  private countsBox = h('div', { class: 'counts' });
  private recList = h('div', { class: 'rec-list' });

  private readonly audience: AudiencePanel;

  constructor(private readonly d: DetailsDeps) {
    this.audience = new AudiencePanel({ client: d.client, caps: d.caps, role: () => d.role?.() ?? null });
    this.render();
  }

  get current(): NodeData | null {
    return this.node;
  }

  /** Shows an entity (or the empty state for null). */
  show(node: NodeData | null): void {
    const same = node?.key === this.node?.key;
    this.node = node;
    if (!same) {
      this.recs = [];
      this.activeRec = null;
      this.targetType = node?.type === 'Interest' ? 'Product' : node?.type === 'Product' ? 'Product' : 'Product';
    }
    this.render();
    if (node && !same && this.isEntity(node)) {
      void this.loadCounts();
      void this.loadRecs();
    }
  }

  /**
   * The edge inspector: what a clicked edge is, between what, and how strong (its weight as
   * loaded: quantity, spend, plays or rating; a statistical link shows its lift and support).
   */
  showEdge(e: { relation: string; weight: number; label: string | null; source: NodeData; target: NodeData }): void {
    this.node = null;
    const l = lang();
    const end = (n: NodeData) => canvasLabel({ name: n.name, nameEn: n.nameEn, id: n.entityId, type: n.type }, l);
    const derived = e.relation.startsWith('_');
    const rows: [string, string][] = [
      [l === 'zh' ? '关系' : 'Relation', derived ? (l === 'zh' ? '统计关联' : 'statistical link') : relationName(e.relation)],
      [l === 'zh' ? '从' : 'From', end(e.source)],
      [l === 'zh' ? '到' : 'To', end(e.target)],
      derived && e.label ? [l === 'zh' ? '数值' : 'Figures', e.label] : [l === 'zh' ? '权重' : 'Weight', fmt(e.weight)],
    ];
    this.root.replaceChildren(h('div', { class: 'panel', 'data-testid': 'edge-inspector' },
      h('h3', {}, l === 'zh' ? '边' : 'Edge'),
      h('dl', { class: 'kv' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-field': k }, v)])),
      derived ? null : h('p', { class: 'muted', style: 'font-size:12px;margin:8px 0 0' }, l === 'zh' ? '权重即导入时的数值：数量、金额、播放次数或评分。' : 'The weight is the value loaded with the link: quantity, spend, plays or rating.'),
    ));
  }

  /** Shows other content in the panel (the selection table): no entity is current. */
  showContent(content: HTMLElement): void {
    this.node = null;
    this.root.replaceChildren(content);
  }

  /** Segments drawn on canvas are not graph entities: they have no neighbours or recommendations to ask for. */
  private isEntity(n: NodeData): boolean {
    const types = this.d.caps()?.entityTypes ?? [];
    return types.length === 0 || types.includes(n.type);
  }

  /** Re-renders for a language switch. */
  render(): void {
    const n = this.node;
    if (!n) {
      this.root.replaceChildren(h('div', { class: 'panel' }, h('h3', {}, t('details'))), h('div', { class: 'placeholder' }, t('nothingSelected')));
      return;
    }
    // A consumer's title is its readable label (segment and short hash, as on canvas): its name is the raw pseudonym.
    const anonymous = isAnonymousType(n.type);
    const label = anonymous ? (n.label.split('\n')[0] || readableLabel({ name: n.name, nameEn: n.nameEn, id: n.entityId, type: n.type }, lang())) : nodeLabel({ name: n.name, nameEn: n.nameEn, id: n.entityId }, lang());
    const alt = anonymous ? null : label !== n.name ? n.name : n.nameEn && n.nameEn !== label ? n.nameEn : null;
    const props = propertyPairs(n.properties);
    const parts: (HTMLElement | null)[] = [
      h('div', { class: 'panel' },
        h('div', { style: 'margin-bottom:8px' }, typeBadge(n.type)),
        h('h2', { 'data-testid': 'details-title' }, label),
        alt ? h('div', { class: 'sub' }, alt) : null,
        h('div', { class: 'sub', 'data-testid': 'details-id' }, n.entityId),
        // One person under several ids: its person id and how many ids it has (never the other ids).
        isStitched(n) ? h('div', { class: 'sub', 'data-testid': 'details-person' }, `${n.person} · ${idsText(n.personIds, lang())}`) : null,
      ),
      props.length > 0
        ? h('div', { class: 'panel' }, h('h3', {}, t('properties')), h('dl', { class: 'kv' }, ...props.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])))
        : null,
      this.isEntity(n) ? h('div', { class: 'panel' }, h('h3', {}, t('connections'), h('span', { class: 'muted', style: 'text-transform:none;letter-spacing:0;font-weight:400' }, `${t('inGraph')} · ${t('onCanvas')}`)), this.countsBox) : null,
      this.isEntity(n) ? this.recsPanel(n) : null,
      this.isEntity(n) ? this.audience.panel(n) : null,
    ];
    this.root.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
    this.renderCounts(null);
    this.renderRecs();
  }

  private lastCounts: Map<string, number> | null = null;
  private countsError: unknown = null;

  private renderCounts(counts: Map<string, number> | null): void {
    if (counts) this.lastCounts = counts;
    const n = this.node;
    if (!n) return;
    const onCanvas = this.d.canvasCounts(n.key);
    const rels = relationsFor(n.type);
    for (const r of onCanvas.keys()) if (!rels.includes(r)) rels.push(r);
    if (this.countsError) {
      this.countsBox.replaceChildren(errorBox(this.countsError, 'neighborhood', () => void this.loadCounts()));
      return;
    }
    this.countsBox.replaceChildren(
      ...rels.map((r) =>
        h('div', { class: 'count-row', 'data-relation': r },
          h('span', {}, relationName(r)),
          h('span', { class: 'n' }, this.lastCounts ? (this.lastCounts.get(r) ?? 0).toLocaleString() : '…'),
          h('span', { class: 'c' }, String(onCanvas.get(r) ?? 0)),
        ),
      ),
    );
  }

  /** Refreshes the on-canvas counts after the scene changed. */
  refreshCanvasCounts(): void {
    this.renderCounts(null);
  }

  private async loadCounts(): Promise<void> {
    const n = this.node;
    if (!n) return;
    const rels = relationsFor(n.type);
    this.lastCounts = null;
    this.countsError = null;
    this.renderCounts(null);
    if (!rels.length) { this.countsLoad.drop(); return; }
    const r = await this.countsLoad.run(() =>
      this.d.client.request<Record<string, { truncated: number; nodes: { key: string }[] }>>(relationCountsQuery(rels), { id: n.entityId, type: n.type }));
    if (!r) return;
    if (!r.ok) {
      this.countsError = r.error;
      this.renderCounts(null);
      return;
    }
    const counts = new Map<string, number>();
    rels.forEach((rel, i) => {
      const sub = r.value[`r${i}`];
      if (sub) counts.set(rel, sub.nodes.filter((x) => x.key !== n.key).length + sub.truncated);
    });
    this.renderCounts(counts);
  }

  private recsPanel(n: NodeData): HTMLElement {
    const slider = h('input', {
      type: 'range', min: 0, max: 1, step: 0.05, value: this.d.exploration(),
      'data-testid': 'exploration-slider', 'aria-label': t('exploration'),
    });
    const value = h('span', { class: 'slider-value' }, this.d.exploration().toFixed(2));
    const reload = debounce(() => void this.loadRecs(), 250);
    slider.addEventListener('input', () => {
      value.textContent = Number(slider.value).toFixed(2);
      this.d.setExploration(Number(slider.value));
      reload();
    });
    const consumer = n.type === 'Consumer';
    // Lookalikes do not explore: no slider there, a line saying what the list is instead.
    const explores = !(consumer && this.mode === 'lookalikes');
    const modeSwitch = consumer
      ? h('div', { class: 'type-filter', 'data-testid': 'recommendation-mode' }, ...(['products', 'lookalikes'] as const).map((m) =>
          h('button', { class: this.mode === m ? 'on' : '', 'data-mode': m, onclick: () => { this.mode = m; this.render(); void this.loadRecs(); } }, m === 'products' ? t('recommendations') : t('lookalikes'))))
      : null;
    const targetSelect = consumer
      ? modeSwitch
      : h('select', {
          class: 'input', style: 'width:auto;height:26px;font-size:12px',
          'data-testid': 'related-target',
          onchange: (ev: Event) => { this.targetType = (ev.target as HTMLSelectElement).value; void this.loadRecs(); },
        }, ...(this.d.caps()?.entityTypes.length ? this.d.caps()!.entityTypes : ['Consumer', 'Product', 'Interest']).map((tp) => h('option', { value: tp, selected: tp === this.targetType }, typeName(tp))));
    return h('div', { class: 'panel', 'data-testid': 'recommendations-panel' },
      h('h3', {}, consumer ? '' : t('relatedTo'), targetSelect),
      explores ? h('div', { class: 'slider' }, h('span', {}, t('safe')), slider, h('span', {}, t('novel'))) : null,
      explores ? h('div', { class: 'muted', style: 'font-size:11px;margin:-6px 0 10px' }, `${t('exploration')}: `, value)
        : h('div', { class: 'muted', style: 'font-size:11px;margin:0 0 10px', 'data-testid': 'lookalike-note' }, t('lookalikeNote')),
      this.recList,
    );
  }

  private recError: unknown = null;
  private recLoading = false;

  private renderRecs(): void {
    if (this.recLoading) {
      this.recList.replaceChildren(...skeletons(4));
      return;
    }
    if (this.recError) {
      const field = this.node?.type === 'Consumer' ? (this.mode === 'lookalikes' ? 'lookalikes' : 'recommendProducts') : 'related';
      this.recList.replaceChildren(errorBox(this.recError, field, () => void this.loadRecs()));
      return;
    }
    if (!this.recs.length) {
      this.recList.replaceChildren(h('div', { class: 'muted' }, t('noRecommendations')));
      return;
    }
    const top = Math.max(...this.recs.map((r) => r.score), 1e-9);
    this.recList.replaceChildren(
      ...this.recs.map((r) => {
        const on = this.activeRec === r.entity.key;
        return h('div', {
          class: `rec${on ? ' on' : ''}`, 'data-key': r.entity.key, 'data-testid': 'recommendation',
          onclick: () => {
            this.activeRec = r.entity.key;
            this.renderRecs();
            if (this.node) this.d.onRecommendation(r, this.node);
          },
        },
          h('div', { class: 'rec-head' }, typeBadge(r.entity.type), h('span', { class: 'name' }, readableLabel(r.entity, lang())), h('span', { class: 'score' }, fmt(r.score, 3))),
          h('div', { class: 'bar' }, h('span', { style: `width:${Math.max(3, (100 * r.score) / top).toFixed(1)}%` })),
          on && r.reasons.length
            ? h('ul', { class: 'reasons' }, ...r.reasons.map((x) => h('li', {}, h('span', { class: 'share' }, `${Math.round(x.share * 100)}%`), h('span', {}, lang() === 'zh' && x.textZh ? x.textZh : x.text))))
            : null,
        );
      }),
    );
  }

  /** Loads recommendations for the current node at the current exploration. */
  async loadRecs(): Promise<void> {
    const n = this.node;
    if (!n) return;
    this.recLoading = true;
    this.recError = null;
    this.renderRecs();
    const x = this.d.exploration();
    const r = await this.recLoad.run(async () =>
      n.type === 'Consumer' && this.mode === 'lookalikes'
        ? (await this.d.client.request<{ lookalikes: ApiRecommendation[] }>(lookalikesQuery, { id: n.entityId, first: 10 })).lookalikes
        : n.type === 'Consumer'
        ? (await this.d.client.request<{ recommendProducts: ApiRecommendation[] }>(recommendQuery, { id: n.entityId, first: 10, x })).recommendProducts
        : (await this.d.client.request<{ related: ApiRecommendation[] }>(relatedQuery, { id: n.entityId, type: n.type, target: this.targetType, first: 10, x })).related);
    if (!r) return;
    if (r.ok) {
      // Strongest first, as the scores read (exploration's re-ranking put a 0.172 above a 0.177).
      this.recs = [...r.value].sort((a, b) => b.score - a.score);
      this.d.onScores(r.value);
    } else {
      this.recs = [];
      this.recError = r.error;
    }
    this.recLoading = false;
    this.renderRecs();
  }
}
