import type { Capabilities } from '../api/capabilities.js';
import type { GraphQLClient } from '../api/client.js';
import { latest } from '../api/latest.js';
import { demandLinksQuery, opportunitiesQuery, pathsQuery } from '../api/queries.js';
import { fmt, isAnonymousType, nodeLabel, pValueText } from '../graph/elements.js';
import { opportunityCard, pageOf } from '../graph/opportunity-card.js';
import { groupPaths, stepLabel, stepNeedsChip, type PathGroup } from '../graph/path-groups.js';
import type { ApiDemandLink, ApiEntity, ApiOpportunity, ApiPath } from '../graph/types.js';
import { errorBox, skeletons } from './details.js';
import { h } from './dom.js';
import { lang, relationName, t, typeName } from './i18n.js';
import { searchBox, typeBadge } from './search.js';

export interface ViewDeps {
  client: GraphQLClient;
  caps: () => Capabilities | null;
  /** The entity selected on canvas, if any (used as default source). */
  selected: () => ApiEntity[];
}

const name = (e: ApiEntity) => nodeLabel(e, lang());

/** An entity picker: autocomplete, then a chip with a clear button. */
export function entityPicker(client: GraphQLClient, testid: string, onChange: (e: ApiEntity | null) => void) {
  let value: ApiEntity | null = null;
  const root = h('div', { class: 'picker', 'data-testid': testid });
  const box = searchBox({ client, onPick: (e) => set(e), placeholder: () => t('searchPlaceholder').replace(/\s+\(.*\)$/, ''), first: 8 });
  box.input.classList.add('input');
  box.input.style.paddingLeft = '10px';
  box.input.style.backgroundImage = 'none';
  const set = (e: ApiEntity | null) => {
    value = e;
    render();
    onChange(e);
  };
  const render = () => {
    box.refresh();
    root.replaceChildren(
      value
        ? h('div', { class: 'picked', 'data-key': value.key }, typeBadge(value.type), h('span', { class: 'name' }, name(value)), h('button', { title: t('clear'), onclick: () => set(null) }, '×'))
        : box.root,
    );
  };
  render();
  return { root, get: () => value, set, render };
}

/** What each demand-link figure means, in plain words (column tooltips). */
const demandTips: Record<'en' | 'zh', Record<string, string>> = {
  en: {
    support: 'Consumers linked to both',
    confidence: 'Of the consumers linked to the source, the share also linked to this one',
    lift: 'How many times more often the two go together than if they were unrelated: above 1 is an affinity',
    zScore: 'Evidence: how many standard deviations the overlap is above chance; above 2 is unlikely to be chance, and it grows with group size',
    pValue: 'Chance of an overlap this large if the two were unrelated (Fisher); small is strong evidence',
    pmi: 'Pointwise mutual information: log2 of lift',
    share: 'Share of all consumers',
  },
  zh: {
    support: '同时关联两者的消费者数',
    confidence: '关联来源的消费者中，也关联此项的比例',
    lift: '两者同时出现的频率是彼此无关时的多少倍：大于 1 表示有亲和',
    zScore: '证据：重合高出随机预期多少个标准差；大于 2 基本不是偶然，群体越大越可信',
    pValue: '若两者无关，出现这么大重合的概率（Fisher 检验）；越小证据越强',
    pmi: '点互信息：提升度的 log2',
    share: '占全部消费者的比例',
  },
};

/** Demand links of one entity: a sortable table; clicking a row shows the link on canvas. */
export class DemandView {
  readonly root = h('section', { 'data-testid': 'demand-links-view' });
  private source: ApiEntity | null = null;
  private target = 'Interest';
  private rows: ApiDemandLink[] = [];
  private sortBy = '';
  private desc = true;
  private state: 'idle' | 'loading' | 'error' = 'idle';
  private error: unknown = null;
  private active: string | null = null;
  private loads = latest();
  private picker;
  private body = h('div', {});

  constructor(private readonly d: ViewDeps, private readonly onRow: (source: ApiEntity, link: ApiDemandLink) => void) {
    this.picker = entityPicker(d.client, 'demand-source', (e) => { this.source = e; void this.load(); });
  }

  /** Uses the canvas selection as source when none is chosen. */
  activate(): void {
    const sel = this.d.selected()[0];
    if (sel && sel.key !== this.source?.key) this.picker.set(sel);
    else this.render();
  }

  private figures(): string[] {
    return ['support', 'confidence', 'lift', ...(this.d.caps()?.demandFigures ?? [])];
  }

  async load(): Promise<void> {
    // A newer load (another source or target type) wins over one still in flight.
    if (!this.source) { this.loads.drop(); this.rows = []; this.state = 'idle'; this.render(); return; }
    const source = this.source;
    this.state = 'loading';
    this.render();
    const r = await this.loads.run(() => this.d.client.request<{ demandLinks: ApiDemandLink[] }>(demandLinksQuery({ demandFigures: this.d.caps()?.demandFigures ?? [] }), {
      id: source.id, type: source.type, target: this.target, first: 25,
    }));
    if (!r) return;
    if (r.ok) {
      this.rows = r.value.demandLinks;
      this.state = 'idle';
    } else {
      this.state = 'error';
      this.error = r.error;
    }
    this.render();
  }

  render(): void {
    this.picker.render();
    // Demand links count consumers linked to both ends: consumers are the measure, never a target.
    const targets = (this.d.caps()?.entityTypes.length ? this.d.caps()!.entityTypes : ['Product', 'Interest']).filter((tp) => tp !== 'Consumer');
    this.root.replaceChildren(
      h('div', { class: 'panel' },
        h('h3', {}, t('demand')),
        h('p', { class: 'muted', style: 'margin:0 0 12px' }, t('demandHint')),
        h('div', { class: 'form-row' },
          h('label', {}, t('demandFrom'), this.picker.root),
          h('label', { class: 'narrow' }, t('targetType'),
            h('select', { class: 'input', 'data-testid': 'demand-target', onchange: (ev: Event) => { this.target = (ev.target as HTMLSelectElement).value; void this.load(); } },
              ...targets.map((tp) => h('option', { value: tp, selected: tp === this.target }, typeName(tp))))),
          h('button', { class: 'btn', 'data-testid': 'demand-csv', onclick: () => this.exportCsv() }, 'CSV'),
        ),
      ),
      this.body,
    );
    this.renderBody();
  }

  private exportCsv(): void {
    if (!this.source) return;
    const cols = this.figures();
    const rows: (string | number)[][] = [['source', 'entity', ...cols]];
    for (const r of this.rows) rows.push([name(this.source), name(r.entity), ...cols.map((c) => (typeof r[c] === 'number' ? +(r[c] as number).toPrecision(6) : ''))]);
    downloadCsv(`demand-links-${this.source.id}.csv`, rows);
  }

  private renderBody(): void {
    if (this.state === 'loading') { this.body.replaceChildren(h('div', { class: 'panel' }, ...skeletons(5))); return; }
    if (this.state === 'error') { this.body.replaceChildren(h('div', { class: 'panel' }, errorBox(this.error, 'demandLinks', () => void this.load()))); return; }
    if (!this.source) { this.body.replaceChildren(h('div', { class: 'empty-view' }, h('b', {}, t('demandEmpty')), t('demandEmptyBody'))); return; }
    if (!this.rows.length) { this.body.replaceChildren(h('div', { class: 'placeholder' }, t('noResults'))); return; }
    const cols = this.figures();
    // Significance first when the server computes it: a lift of 8 on 3 consumers should not lead.
    if (!this.sortBy) this.sortBy = cols.includes('zScore') ? 'zScore' : 'lift';
    const val = (r: ApiDemandLink, c: string) => (typeof r[c] === 'number' ? (r[c] as number) : Number.NaN);
    const sorted = [...this.rows].sort((a, b) => {
      const x = val(a, this.sortBy), y = val(b, this.sortBy);
      const cmp = (Number.isNaN(x) ? -Infinity : x) - (Number.isNaN(y) ? -Infinity : y);
      return this.desc ? -cmp : cmp;
    });
    const names: Record<string, string> = { support: t('support'), confidence: t('confidence'), lift: t('lift'), zScore: t('significance'), pValue: 'p', pmi: 'PMI', share: t('shareOf') };
    const label = (c: string) => names[c] ?? c;
    const tips = demandTips[lang()];
    const header = h('tr', {}, h('th', {}, t('entity')), ...cols.map((c) =>
      h('th', {
        class: c === this.sortBy ? 'sorted' : '', 'data-col': c, title: tips[c] ?? '',
        onclick: () => { if (this.sortBy === c) this.desc = !this.desc; else { this.sortBy = c; this.desc = true; } this.renderBody(); },
      }, label(c), c === this.sortBy ? (this.desc ? ' ↓' : ' ↑') : '')));
    const rows = sorted.map((r) =>
      h('tr', {
        class: this.active === r.entity.key ? 'on' : '', 'data-key': r.entity.key,
        onclick: () => { this.active = r.entity.key; this.renderBody(); if (this.source) this.onRow(this.source, r); },
      },
        h('td', {}, h('span', { class: 'name', title: name(r.entity) }, name(r.entity))),
        ...cols.map((c) => h('td', {}, c === 'confidence' || c === 'share' ? `${fmt(val(r, c) * 100, 1)}%` : c === 'pValue' ? pValueText(val(r, c)) : fmt(val(r, c)))),
      ));
    this.body.replaceChildren(h('div', { class: 'panel table-wrap', style: 'padding-top:4px' }, h('table', { class: 'data' }, h('thead', {}, header), h('tbody', {}, ...rows))));
  }
}

/** "How are A and B connected?": the strongest paths between two entities. */
export class PathsView {
  readonly root = h('section', { 'data-testid': 'paths-view' });
  private from;
  private to;
  private max = 4;
  private paths: ApiPath[] = [];
  private groups: PathGroup[] = [];
  private state: 'idle' | 'loading' | 'error' | 'done' = 'idle';
  private error: unknown = null;
  private active = -1;
  private loads = latest();
  private body = h('div', {});

  constructor(private readonly d: ViewDeps, private readonly onPaths: (groups: PathGroup[], active: number) => void) {
    this.from = entityPicker(d.client, 'paths-from', () => this.render());
    this.to = entityPicker(d.client, 'paths-to', () => this.render());
  }

  activate(): void {
    const sel = this.d.selected();
    if (sel.length >= 2) { this.from.set(sel[0]!); this.to.set(sel[1]!); void this.load(); }
    else if (sel.length === 1 && !this.from.get()) this.from.set(sel[0]!);
    this.render();
  }

  async load(): Promise<void> {
    const a = this.from.get(), b = this.to.get();
    if (!a || !b) return;
    // A newer load (other ends or length) wins over one still in flight.
    this.state = 'loading';
    this.renderBody();
    const r = await this.loads.run(() =>
      // 30 candidates, grouped: routes that differ only in their consumer count once.
      this.d.client.request<{ paths: ApiPath[] }>(pathsQuery, { from: a.id, fromType: a.type, to: b.id, toType: b.type, max: this.max, first: 30 }));
    if (!r) return;
    if (r.ok) {
      this.groups = groupPaths(r.value.paths, 5);
      this.paths = this.groups.flatMap((g) => g.members);
      this.state = 'done';
      this.active = -1;
      if (this.paths.length) this.onPaths(this.groups, -1);
    } else {
      this.state = 'error';
      this.error = r.error;
    }
    this.renderBody();
  }

  render(): void {
    this.from.render();
    this.to.render();
    const ready = !!(this.from.get() && this.to.get());
    this.root.replaceChildren(
      h('div', { class: 'panel' },
        h('h3', {}, t('paths')),
        h('h2', { style: 'font-size:15px;margin-bottom:10px' }, t('pathsTitle')),
        h('div', { class: 'form-row' }, h('label', {}, t('from'), this.from.root)),
        h('div', { class: 'form-row' }, h('label', {}, t('to'), this.to.root)),
        h('div', { class: 'form-row' },
          h('label', { class: 'narrow' }, t('maxLength'),
            h('select', { class: 'input', onchange: (ev: Event) => { this.max = Number((ev.target as HTMLSelectElement).value); } },
              ...[2, 3, 4, 5, 6].map((n) => h('option', { value: n, selected: n === this.max }, String(n))))),
          h('button', { class: 'btn primary', disabled: !ready, 'data-testid': 'paths-find', onclick: () => void this.load() }, t('find')),
        ),
        ready ? null : h('p', { class: 'muted', style: 'margin:0' }, t('pathsHint')),
      ),
      this.body,
    );
    this.renderBody();
  }

  private renderBody(): void {
    if (this.state === 'loading') { this.body.replaceChildren(h('div', { class: 'panel' }, ...skeletons(3))); return; }
    if (this.state === 'error') { this.body.replaceChildren(h('div', { class: 'panel' }, errorBox(this.error, 'paths', () => void this.load()))); return; }
    if (this.state !== 'done') { this.body.replaceChildren(h('div', { class: 'empty-view' }, h('b', {}, t('pathsEmpty')), t('pathsEmptyBody'))); return; }
    if (!this.paths.length) { this.body.replaceChildren(h('div', { class: 'placeholder' }, t('noPaths'))); return; }
    const zh = lang() === 'zh';
    // A consumer step's words already say "consumer" ("7 consumers", "Consumer #3n_v3C"): no chip before them.
    const step = (n: ApiEntity, consumers: number) => {
      const label = stepLabel(n, consumers, lang());
      const chip = !isAnonymousType(n.type) || stepNeedsChip(label, typeName(n.type));
      return [chip ? typeBadge(n.type) : null, h('span', {}, label)];
    };
    this.body.replaceChildren(h('div', { class: 'panel' }, ...this.groups.map((g, i) =>
      h('div', {
        class: `path-card${i === this.active ? ' on' : ''}`, 'data-testid': 'path', 'data-members': String(g.members.length),
        onclick: () => { this.active = i; this.renderBody(); this.onPaths(this.groups, i); },
      },
        h('div', { class: 'figures' }, h('span', {}, `#${i + 1}`), h('span', { title: zh ? '路径强度：各边归一化权重之积，经过热门节点会降低；合并的路径相加' : 'Strength: product of the normalised edge weights, lowered by popular hubs on the way; merged routes add up' }, `${t('strength')} `, h('b', {}, fmt(g.strength, 3))),
          h('span', {}, zh ? `${g.path.relations.length} 步` : `${g.path.relations.length} hop${g.path.relations.length === 1 ? '' : 's'}`)),
        h('div', { class: 'path-steps' }, ...g.path.nodes.flatMap((n, j) => [
          j > 0 ? h('span', { class: 'rel' }, `— ${relationName(g.path.relations[j - 1] ?? '')} —`) : null,
          ...step(n, g.consumers[j] ?? 0),
        ])),
      ))));
  }
}

/** Opportunity cards a page. */
const oppPageSize = 8;

/** A CSV file of rows (first row the header) offered as a download; fields quoted where needed. */
export function downloadCsv(filename: string, rows: (string | number)[][]): void {
  const cell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  // A byte-order mark so spreadsheet programs read Chinese names as UTF-8.
  const blob = new Blob(['\ufeff' + rows.map((r) => r.map(cell).join(',')).join('\n')], { type: 'text/csv;charset=utf-8' });
  const a = h('a', { href: URL.createObjectURL(blob), download: filename }) as HTMLAnchorElement;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** New-product opportunities: ranked cards in plain words, filtered and paged; selecting one draws it. */
export class OpportunitiesView {
  readonly root = h('section', { 'data-testid': 'opportunities-view' });
  private items: ApiOpportunity[] = [];
  private state: 'idle' | 'loading' | 'error' | 'done' = 'idle';
  private error: unknown = null;
  private active: ApiOpportunity | null = null;
  private minConsumers = '';
  private unservedOnly = false;
  private page = 0;
  private loads = latest();
  private body = h('div', {});

  constructor(private readonly d: ViewDeps, private readonly onPick: (op: ApiOpportunity) => void) {}

  activate(): void {
    if (this.state === 'idle') void this.load();
    else this.render();
  }

  async load(): Promise<void> {
    this.state = 'loading';
    this.page = 0;
    this.render();
    const caps = this.d.caps();
    const min = this.minConsumers.trim() ? Number(this.minConsumers) : null;
    // Load pressed again (another minimum) before the first answer came: the newer one wins.
    const r = await this.loads.run(() => this.d.client.request<{ productOpportunities: ApiOpportunity[] }>(
      opportunitiesQuery({ opportunityFigures: caps?.opportunityFigures ?? [], opportunityEntityLists: caps?.opportunityEntityLists ?? [], opportunitySegments: caps?.opportunitySegments ?? false }),
      { first: 100, min },
    ));
    if (!r) return;
    if (r.ok) {
      this.items = r.value.productOpportunities;
      this.state = 'done';
    } else {
      this.state = 'error';
      this.error = r.error;
    }
    this.render();
  }

  /** The loaded opportunities that pass the filters, in rank order, with their rank. */
  private shown(): { op: ApiOpportunity; rank: number }[] {
    return this.items
      .map((op, i) => ({ op, rank: i + 1 }))
      .filter(({ op }) => !this.unservedOnly || opportunityCard(op, lang()).unserved);
  }

  render(): void {
    const zh = lang() === 'zh';
    this.root.replaceChildren(
      h('div', { class: 'panel' },
        h('h3', {}, t('opportunities')),
        h('h2', { style: 'font-size:15px;margin-bottom:4px' }, t('opportunitiesTitle')),
        h('p', { class: 'muted', style: 'margin:0 0 12px' }, t('opportunitiesHint')),
        h('div', { class: 'form-row' },
          h('label', { class: 'narrow', style: 'flex-basis:120px', title: zh ? '只显示至少这么多消费者共有的组合（服务器端筛选）' : 'Only combinations at least this many consumers share (filtered on the server)' }, t('minConsumers'),
            h('input', { class: 'input', type: 'number', min: 1, value: this.minConsumers, 'data-testid': 'opp-min', oninput: (ev: Event) => { this.minConsumers = (ev.target as HTMLInputElement).value; }, onkeydown: (ev: Event) => { if ((ev as KeyboardEvent).key === 'Enter') void this.load(); } })),
          h('button', { class: 'btn', onclick: () => void this.load() }, t('load')),
          h('label', { class: 'check', title: zh ? '只显示没有任何产品被购买来满足的组合' : 'Only combinations no product people buy serves' },
            h('input', { type: 'checkbox', checked: this.unservedOnly, 'data-testid': 'opp-unserved', onchange: (ev: Event) => { this.unservedOnly = (ev.target as HTMLInputElement).checked; this.page = 0; this.renderBody(); } }),
            zh ? ' 仅无人满足' : ' Unserved only'),
          h('button', { class: 'btn', 'data-testid': 'opp-csv', title: 'CSV', onclick: () => this.exportCsv() }, 'CSV'),
        ),
      ),
      this.body,
    );
    this.renderBody();
  }

  private exportCsv(): void {
    const lg = lang();
    const rows: (string | number)[][] = [['rank', 'interests', 'consumers', 'lift', 'serving_products', 'bought_share', 'gap', 'gap_score', 'closest_products']];
    for (const { op, rank } of this.shown()) {
      rows.push([rank, op.interests.map((i) => nodeLabel(i, lg)).join(' + '), op.consumers, +op.lift.toFixed(3),
        typeof op.servingProducts === 'number' ? op.servingProducts : '', typeof op.coverage === 'number' ? +op.coverage.toFixed(3) : '',
        typeof op.gap === 'number' ? +op.gap.toFixed(3) : '', +op.gapScore.toFixed(2), op.closestProducts.map((p) => nodeLabel(p, lg)).join(' | ')]);
    }
    downloadCsv('opportunities.csv', rows);
  }

  private renderBody(): void {
    if (this.state === 'loading') { this.body.replaceChildren(h('div', { class: 'panel' }, ...skeletons(4))); return; }
    if (this.state === 'error') { this.body.replaceChildren(h('div', { class: 'panel' }, errorBox(this.error, 'productOpportunities', () => void this.load()))); return; }
    if (this.state !== 'done') { this.body.replaceChildren(); return; }
    const all = this.shown();
    if (!all.length) { this.body.replaceChildren(h('div', { class: 'empty-view' }, h('b', {}, t('noOpportunities')), t('noOpportunitiesBody'))); return; }
    const lg = lang();
    const zh = lg === 'zh';
    const pg = pageOf(all, this.page, oppPageSize);
    this.page = pg.page;
    const pager = h('div', { class: 'pager', 'data-testid': 'opp-pager' },
      h('button', { class: 'btn', disabled: pg.page === 0, onclick: () => { this.page--; this.renderBody(); } }, zh ? '上一页' : 'Previous'),
      h('span', { class: 'muted' }, zh ? `第 ${pg.page + 1} / ${pg.pages} 页 · 共 ${all.length} 个` : `Page ${pg.page + 1} of ${pg.pages} · ${all.length} in all`),
      h('button', { class: 'btn', disabled: pg.page >= pg.pages - 1, onclick: () => { this.page++; this.renderBody(); } }, zh ? '下一页' : 'Next'),
    );
    this.body.replaceChildren(h('div', { class: 'panel' }, ...pg.items.map(({ op, rank }) => {
      const card = opportunityCard(op, lg);
      return h('div', {
        class: `opp${op === this.active ? ' on' : ''}`, 'data-testid': 'opportunity', 'data-interests': op.interests.map((x) => x.key).join(','), title: card.explain,
        onclick: () => { this.active = op; this.renderBody(); this.onPick(op); },
      },
        h('div', { class: 'opp-head' }, h('span', { class: 'opp-rank' }, String(rank).padStart(2, '0')), h('span', { class: 'opp-title' }, card.title),
          card.unserved ? h('span', { class: 'opp-tag' }, zh ? '无人满足' : 'Unserved') : null),
        h('div', { class: 'opp-line' }, h('b', {}, card.who), ' · ', card.strength, ' · ', card.supply),
        card.segments ? h('div', { class: 'closest' }, `${zh ? '主要人群' : 'Driven by'}: ${card.segments}`) : null,
        card.closest ? h('div', { class: 'closest', title: card.closest }, `${t('closest')}: ${card.closest}`) : null,
      );
    }), pager));
  }
}
