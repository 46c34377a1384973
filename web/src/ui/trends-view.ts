import { latest } from '../api/latest.js';
import { nodeLabel } from '../graph/elements.js';
import { humanNumber, pageOf } from '../graph/opportunity-card.js';
import { barHeights, changeText, periodLabel, sortRising, type RisingColumn, type RisingRow } from '../graph/trends.js';
import type { ApiEntity } from '../graph/types.js';
import { errorBox, skeletons } from './details.js';
import { h } from './dom.js';
import { lang } from './i18n.js';
import { downloadCsv, entityPicker, type ViewDeps } from './views.js';

const ENTITY = 'key id type name nameEn properties';
const risingQuery = `query Rising($first: Int, $falling: Boolean) {
  risingInterests(first: $first, falling: $falling) {
    suppressed
    interests { entity { ${ENTITY} } before after growth zScore suppressed }
    before { from to } after { from to }
  }
}`;
const PERIOD = 'from to allConsumers sourceConsumers targetConsumers support confidence lift suppressed';
const trendQuery = `query Trend($id: ID!, $type: EntityType, $targetId: ID, $targetType: EntityType) {
  trend(id: $id, type: $type, targetId: $targetId, targetType: $targetType) {
    before { ${PERIOD} } after { ${PERIOD} } growth liftChange zScore
  }
}`;

interface Period { from: string; to: string; sourceConsumers: number | null; support: number | null; confidence: number | null; lift: number | null; suppressed: boolean }
interface TrendAnswer { before: Period; after: Period; growth: number | null; liftChange: number | null; zScore: number | null }
interface RisingAnswer { suppressed: number; interests: RisingRow[]; before: { from: string; to: string }; after: { from: string; to: string } }

const words = {
  en: {
    title: 'Trends', heading: 'What is rising', hint: 'Interests whose new consumers grew most from one half-year of the data to the next.',
    rising: 'Rising', falling: 'Falling', interest: 'Interest', before: 'Before', after: 'After', change: 'Change', evidence: 'Evidence (z)',
    beforeTip: 'Consumers who took up the interest in the earlier period', afterTip: 'Consumers who took it up in the later period',
    changeTip: 'After compared with before: +100% means twice as many', zTip: 'How far the later count is above what overall activity predicts, in standard deviations: above 2 is unlikely to be chance',
    linkHeading: 'Compare a link between the two periods', from: 'From', to: 'To (optional)', compare: 'Compare',
    withheld: 'withheld (fewer than 5 consumers)', consumersOf: 'consumers', both: 'consumers linked to both', liftWord: 'lift',
    pickSource: 'Choose an interest or product (and optionally a second one) to compare its two periods.',
    page: (p: number, n: number, all: number) => `Page ${p} of ${n} · ${all} in all`, prev: 'Previous', next: 'Next', none: 'No interest has enough new consumers in both periods.',
  },
  zh: {
    title: '趋势', heading: '正在上升的兴趣', hint: '数据中后半年与前半年相比，新增消费者增长最多的兴趣。',
    rising: '上升', falling: '下降', interest: '兴趣', before: '之前', after: '之后', change: '变化', evidence: '证据 (z)',
    beforeTip: '在较早时期新产生该兴趣的消费者数', afterTip: '在较晚时期新产生该兴趣的消费者数',
    changeTip: '之后与之前相比：+100% 表示翻倍', zTip: '较晚时期的数量高出整体活跃度预期多少个标准差：大于 2 基本不是偶然',
    linkHeading: '比较一个关联在两个时期的变化', from: '从', to: '到（可选）', compare: '比较',
    withheld: '已隐藏（少于 5 位消费者）', consumersOf: '位消费者', both: '位消费者同时关联', liftWord: '提升度',
    pickSource: '选择一个兴趣或产品（可再选一个）来比较两个时期。',
    page: (p: number, n: number, all: number) => `第 ${p} / ${n} 页 · 共 ${all} 个`, prev: '上一页', next: '下一页', none: '没有兴趣在两个时期都有足够的新增消费者。',
  },
};

const pageSize = 10;

/** Trends: rising (or falling) interests in a sortable, paged table, and a period-vs-period chart for one interest, product or link. */
export class TrendsView {
  readonly root = h('section', { 'data-testid': 'trends-view' });
  private answer: RisingAnswer | null = null;
  private state: 'idle' | 'loading' | 'error' | 'done' = 'idle';
  private error: unknown = null;
  private falling = false;
  private sortBy: RisingColumn = 'zScore';
  private desc = true;
  private page = 0;
  private loads = latest();
  private trendLoads = latest();
  private body = h('div', {});
  private chart = h('div', { class: 'panel', 'data-testid': 'trend-chart' });
  private source: ApiEntity | null = null;
  private target: ApiEntity | null = null;
  private trend: TrendAnswer | null = null;
  private trendState: 'idle' | 'loading' | 'error' | 'done' = 'idle';
  private fromPicker;
  private toPicker;

  constructor(private readonly d: ViewDeps) {
    this.fromPicker = entityPicker(d.client, 'trend-source', (e) => { this.source = e; void this.loadTrend(); });
    this.toPicker = entityPicker(d.client, 'trend-target', (e) => { this.target = e; void this.loadTrend(); });
  }

  activate(): void {
    if (this.state === 'idle') void this.load();
    else this.render();
  }

  async load(): Promise<void> {
    this.state = 'loading';
    this.page = 0;
    this.render();
    const r = await this.loads.run(() => this.d.client.request<{ risingInterests: RisingAnswer }>(risingQuery, { first: 100, falling: this.falling }));
    if (!r) return;
    if (r.ok) { this.answer = r.value.risingInterests; this.state = 'done'; } else { this.state = 'error'; this.error = r.error; }
    this.render();
  }

  /** Compares the chosen interest or product (or the link to a second one) between the periods. */
  async loadTrend(): Promise<void> {
    if (!this.source) { this.trendLoads.drop(); this.trend = null; this.trendState = 'idle'; this.renderChart(); return; }
    this.trendState = 'loading';
    this.renderChart();
    const s = this.source, t = this.target;
    const r = await this.trendLoads.run(() => this.d.client.request<{ trend: TrendAnswer }>(trendQuery, { id: s.id, type: s.type, targetId: t?.id ?? null, targetType: t?.type ?? null }));
    if (!r) return;
    if (r.ok) { this.trend = r.value.trend; this.trendState = 'done'; } else { this.trendState = 'error'; this.error = r.error; }
    this.renderChart();
    this.chart.scrollIntoView({ block: 'nearest' });
  }

  render(): void {
    const w = words[lang()];
    const toggle = (falling: boolean, label: string) => h('button', {
      class: `btn${this.falling === falling ? ' primary' : ''}`, 'data-testid': falling ? 'trend-falling' : 'trend-rising',
      // Falling: the most negative evidence first, as the server ranks them.
      onclick: () => { if (this.falling !== falling) { this.falling = falling; this.sortBy = 'zScore'; this.desc = !falling; void this.load(); } },
    }, label);
    this.root.replaceChildren(
      h('div', { class: 'panel' },
        h('h3', {}, w.title),
        h('h2', { style: 'font-size:15px;margin-bottom:4px' }, w.heading),
        h('p', { class: 'muted', style: 'margin:0 0 10px' }, w.hint),
        h('div', { class: 'form-row' }, toggle(false, w.rising), toggle(true, w.falling), h('span', { class: 'grow' }),
          h('button', { class: 'btn', 'data-testid': 'trend-csv', onclick: () => this.exportCsv() }, 'CSV')),
      ),
      this.body,
      h('div', { class: 'panel' },
        h('h3', {}, w.linkHeading),
        h('div', { class: 'form-row' }, h('label', {}, w.from, this.fromPicker.root), h('label', {}, w.to, this.toPicker.root)),
      ),
      this.chart,
    );
    this.fromPicker.render();
    this.toPicker.render();
    this.renderBody();
    this.renderChart();
  }

  private rows(): RisingRow[] {
    return sortRising((this.answer?.interests ?? []).filter((r) => !r.suppressed), this.sortBy, this.desc, lang());
  }

  private exportCsv(): void {
    const l = lang();
    const a = this.answer;
    const rows: (string | number)[][] = [['interest', `before ${a ? periodLabel(a.before.from, a.before.to, 'en') : ''}`, `after ${a ? periodLabel(a.after.from, a.after.to, 'en') : ''}`, 'change', 'z']];
    for (const r of this.rows()) rows.push([nodeLabel(r.entity, l), r.before ?? '', r.after ?? '', changeText(r.growth, r.before, 'en'), +r.zScore.toFixed(2)]);
    downloadCsv(this.falling ? 'falling-interests.csv' : 'rising-interests.csv', rows);
  }

  private renderBody(): void {
    const l = lang();
    const w = words[l];
    if (this.state === 'loading') { this.body.replaceChildren(h('div', { class: 'panel' }, ...skeletons(5))); return; }
    if (this.state === 'error') { this.body.replaceChildren(h('div', { class: 'panel' }, errorBox(this.error, 'risingInterests', () => void this.load()))); return; }
    if (this.state !== 'done' || !this.answer) { this.body.replaceChildren(); return; }
    const all = this.rows();
    if (!all.length) { this.body.replaceChildren(h('div', { class: 'empty-view' }, w.none)); return; }
    const pg = pageOf(all, this.page, pageSize);
    this.page = pg.page;
    const a = this.answer;
    const cols: [RisingColumn, string, string][] = [
      ['name', w.interest, ''],
      ['before', w.before, `${w.beforeTip}: ${periodLabel(a.before.from, a.before.to, l)}`],
      ['after', w.after, `${w.afterTip}: ${periodLabel(a.after.from, a.after.to, l)}`],
      ['growth', w.change, w.changeTip],
      ['zScore', w.evidence, w.zTip],
    ];
    const header = h('tr', {}, ...cols.map(([c, label, tip]) => h('th', {
      class: c === this.sortBy ? 'sorted' : '', 'data-col': c, title: tip,
      onclick: () => { if (this.sortBy === c) this.desc = !this.desc; else { this.sortBy = c; this.desc = c !== 'name'; } this.page = 0; this.renderBody(); },
    }, label, c === this.sortBy ? (this.desc ? ' ↓' : ' ↑') : '')));
    const body = pg.items.map((r) => h('tr', {
      'data-key': r.entity.key, class: this.source?.key === r.entity.key && !this.target ? 'on' : '',
      onclick: () => { this.toPicker.set(null); this.fromPicker.set(r.entity as ApiEntity); },
    },
      h('td', {}, h('span', { class: 'name', title: nodeLabel(r.entity, l) }, nodeLabel(r.entity, l))),
      h('td', {}, r.before === null ? '–' : humanNumber(r.before, l)),
      h('td', {}, r.after === null ? '–' : humanNumber(r.after, l)),
      h('td', { class: (r.growth ?? 0) >= 0 ? 'up' : 'down' }, changeText(r.growth, r.before, l)),
      h('td', {}, humanNumber(r.zScore, l)),
    ));
    const pager = h('div', { class: 'pager', 'data-testid': 'trend-pager' },
      h('button', { class: 'btn', disabled: pg.page === 0, onclick: () => { this.page--; this.renderBody(); } }, w.prev),
      h('span', { class: 'muted' }, w.page(pg.page + 1, pg.pages, all.length)),
      h('button', { class: 'btn', disabled: pg.page >= pg.pages - 1, onclick: () => { this.page++; this.renderBody(); } }, w.next));
    this.body.replaceChildren(h('div', { class: 'panel table-wrap', style: 'padding-top:4px' },
      h('p', { class: 'muted', style: 'margin:0 0 6px;font-size:12px' }, `${w.before}: ${periodLabel(a.before.from, a.before.to, l)} · ${w.after}: ${periodLabel(a.after.from, a.after.to, l)}`),
      h('table', { class: 'data', 'data-testid': 'rising-table' }, h('thead', {}, header), h('tbody', {}, ...body)), pager));
  }

  /** Two bars, before and after: consumers of the interest, or consumers linked to both ends of the link. */
  private renderChart(): void {
    const l = lang();
    const w = words[l];
    if (this.trendState === 'idle' || !this.source) { this.chart.replaceChildren(h('p', { class: 'muted', style: 'margin:0' }, w.pickSource)); return; }
    if (this.trendState === 'loading') { this.chart.replaceChildren(...skeletons(2)); return; }
    if (this.trendState === 'error' || !this.trend) { this.chart.replaceChildren(errorBox(this.error, 'trend', () => void this.loadTrend())); return; }
    const tr = this.trend;
    const link = this.target !== null;
    const value = (p: Period) => (link ? p.support : p.sourceConsumers);
    const [hb, ha] = barHeights(value(tr.before), value(tr.after));
    const title = link ? `${nodeLabel(this.source, l)} → ${nodeLabel(this.target!, l)}` : nodeLabel(this.source, l);
    const bar = (p: Period, height: number, testid: string) => {
      const v = value(p);
      const text = v === null ? w.withheld : `${humanNumber(v, l)} ${link ? w.both : w.consumersOf}${link && p.lift !== null ? ` · ${w.liftWord} ${humanNumber(p.lift, l)}` : ''}`;
      return h('div', { class: 'trend-bar', 'data-testid': testid, 'data-value': v === null ? '' : String(v), title: text },
        h('div', { class: 'trend-fill', style: `height:${Math.round(8 + height * 112)}px;${v === null ? 'opacity:.25' : ''}` }),
        h('b', {}, v === null ? '–' : humanNumber(v, l)),
        h('span', { class: 'muted' }, periodLabel(p.from, p.to, l)),
        h('span', { class: 'muted', style: 'font-size:11px' }, text));
    };
    const growth = link
      ? (tr.before.support !== null && tr.after.support !== null && tr.before.support > 0 ? tr.after.support / tr.before.support - 1 : null)
      : tr.growth;
    this.chart.replaceChildren(
      h('h3', {}, title),
      h('div', { class: 'trend-bars' }, bar(tr.before, hb, 'trend-before'), bar(tr.after, ha, 'trend-after')),
      h('p', { style: 'margin:8px 0 0' }, `${w.change}: `, h('b', { 'data-testid': 'trend-change' }, changeText(growth, value(tr.before), l))),
    );
  }
}
