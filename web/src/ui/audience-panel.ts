import type { Capabilities } from '../api/capabilities.js';
import { ApiError, type GraphQLClient } from '../api/client.js';
import { latest } from '../api/latest.js';
import { audienceQuery, audienceReportQuery } from '../api/queries.js';
import {
  audienceAccess, audienceCsv, audienceDefaults, audienceFileName, audienceSize, reportRows, reportSummary,
  type ApiAudience, type ApiAudienceReport,
} from '../graph/audience.js';
import { fmt, nodeLabel } from '../graph/elements.js';
import { personHash } from '../graph/person-label.js';
import type { NodeData } from '../graph/types.js';
import { download, h } from './dom.js';
import { errorBox, skeletons } from './details.js';
import { lang, wordsOf } from './i18n.js';

const words = {
  en: {
    title: 'Audience',
    size: 'Persons',
    under: 'Anything under it',
    build: 'Build audience',
    intro: 'The persons most likely to engage with it next, and how much better they convert than everyone.',
    members: 'Top of the audience',
    csv: 'Export CSV',
    readerOnly: 'Your key sees the figures only; a service key also gets the pseudonymous list.',
  },
  zh: {
    title: '目标人群',
    size: '人数',
    under: '包含其下所有兴趣',
    build: '生成人群',
    intro: '接下来最可能与之互动的人，以及他们的转化率比整体高多少。',
    members: '人群前列',
    csv: '导出 CSV',
    readerOnly: '您的密钥只能查看统计数字；服务（service）密钥还能得到匿名名单。',
  },
};
const say = wordsOf(words);

export interface AudienceDeps {
  client: GraphQLClient;
  caps: () => Capabilities | null;
  /** The role of this tab's caller ("reader", "service", "admin"), null when the server does not say. */
  role: () => string | null;
}

/**
 * The audience builder of a product or an interest: a size (and, for an interest, "anything
 * under it"), then `audienceReport`'s size, expected conversion, base rate and lift; service
 * callers also get `audience`'s pseudonymous persons and their CSV. Absent on servers without
 * `audienceReport`.
 */
export class AudiencePanel {
  private node: NodeData | null = null;
  private size = audienceDefaults.size;
  private under = false;
  private report: ApiAudienceReport | null = null;
  private audience: ApiAudience | null = null;
  private error: unknown = null;
  /** The list was refused (FORBIDDEN): this caller sees the report only. */
  private listRefused = false;
  private loading = false;
  private load = latest();
  private readonly result = h('div', { 'data-testid': 'audience-result' });

  constructor(private readonly d: AudienceDeps) {}

  /** The panel for `n`, or null when the server or the entity has no audience. */
  panel(n: NodeData): HTMLElement | null {
    if (n.key !== this.node?.key) {
      this.node = n;
      this.report = null;
      this.audience = null;
      this.error = null;
      this.under = false;
      this.load.drop();
      this.loading = false;
    }
    const access = this.access(n);
    if (access === 'none') return null;
    const size = h('input', { class: 'input', type: 'number', min: 1, max: audienceDefaults.maxSize, value: this.size, 'data-testid': 'audience-size', style: 'width:90px;height:26px', 'aria-label': say('size') });
    const underBox = n.type === 'Interest' && this.d.caps()?.args.get('audienceReport')?.has('under')
      ? h('label', { class: 'muted', style: 'font-size:12px;display:flex;gap:4px;align-items:center' },
          h('input', { type: 'checkbox', checked: this.under, 'data-testid': 'audience-under', onchange: (ev: Event) => { this.under = (ev.target as HTMLInputElement).checked; } }), say('under'))
      : null;
    const build = h('button', {
      class: 'btn', 'data-testid': 'audience-build',
      onclick: () => { this.size = audienceSize(size.value); size.value = String(this.size); void this.build(); },
    }, say('build'));
    this.renderResult();
    return h('div', { class: 'panel', 'data-testid': 'audience-panel' },
      h('h3', {}, say('title'), h('span', { class: 'muted', 'data-testid': 'audience-target', style: 'text-transform:none;letter-spacing:0;font-weight:400' }, nodeLabel({ name: n.name, nameEn: n.nameEn, id: n.entityId }, lang()))),
      h('div', { class: 'muted', style: 'font-size:12px;margin:0 0 8px' }, say('intro')),
      h('div', { class: 'form-row', style: 'display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-bottom:8px' },
        h('span', { style: 'font-size:12px' }, say('size')), size, underBox, build),
      this.result,
    );
  }

  private access(n: NodeData): 'none' | 'report' | 'list' {
    const a = audienceAccess(this.d.caps(), this.d.role(), n.type);
    return a === 'list' && this.listRefused ? 'report' : a;
  }

  private async build(): Promise<void> {
    const n = this.node;
    const caps = this.d.caps();
    if (!n || !caps) return;
    const access = this.access(n);
    this.loading = true;
    this.error = null;
    this.renderResult();
    const vars: Record<string, unknown> = { id: n.entityId, type: n.type, size: this.size };
    if (n.type === 'Interest' && caps.args.get('audienceReport')?.has('under')) vars.under = this.under;
    const r = await this.load.run(async () => {
      const report = (await this.d.client.request<{ audienceReport: ApiAudienceReport }>(audienceReportQuery(caps), vars)).audienceReport;
      let audience: ApiAudience | null = null;
      if (access === 'list') {
        try {
          const listVars = { ...vars };
          if (!caps.args.get('audience')?.has('under')) delete listVars.under;
          audience = (await this.d.client.request<{ audience: ApiAudience }>(audienceQuery(caps), listVars)).audience;
        } catch (e) {
          // A key that may read but not list persons: the report is still the answer.
          if (!(e instanceof ApiError && e.code === 'FORBIDDEN')) throw e;
          this.listRefused = true;
        }
      }
      return { report, audience };
    });
    if (!r) return;
    this.loading = false;
    if (r.ok) {
      this.report = r.value.report;
      this.audience = r.value.audience;
    } else {
      this.report = null;
      this.audience = null;
      this.error = r.error;
    }
    this.renderResult();
  }

  private renderResult(): void {
    const n = this.node;
    if (this.loading) return void this.result.replaceChildren(...skeletons(2));
    if (this.error) return void this.result.replaceChildren(errorBox(this.error, 'audienceReport', () => void this.build()));
    const r = this.report;
    if (!r || !n) return void this.result.replaceChildren();
    const l = lang();
    const keys = ['size', 'expectedConversion', 'baseRate', 'lift'];
    const rows = reportRows(r, l);
    const parts: (HTMLElement | null)[] = [
      h('div', { 'data-testid': 'audience-summary', style: 'font-weight:600;margin:4px 0 6px' }, reportSummary(r, l)),
      h('dl', { class: 'kv', 'data-testid': 'audience-report' }, ...rows.flatMap(([k, v], i) => [h('dt', {}, k), h('dd', { 'data-field': keys[i] ?? k }, v)])),
    ];
    const a = this.audience;
    if (a) {
      parts.push(
        h('h3', { style: 'margin-top:10px' }, say('members'), h('button', {
          class: 'btn', style: 'margin-left:auto', 'data-testid': 'audience-csv',
          onclick: () => download(audienceFileName(n.type, n.entityId, this.size), new Blob([audienceCsv(a, l)], { type: 'text/csv' })),
        }, say('csv'))),
        h('ol', { class: 'audience-members', 'data-testid': 'audience-members', style: 'margin:0;padding-left:22px;font-size:12px' },
          ...a.members.slice(0, audienceDefaults.listed).map((m) => {
            const top = [...m.reasons].sort((x, y) => y.share - x.share)[0];
            return h('li', { 'data-person': m.person, title: m.person },
              h('span', {}, `Person ${personHash(m.person)}`), h('span', { class: 'muted' }, ` · ${fmt(m.score, 3)}`),
              top ? h('div', { class: 'muted', style: 'font-size:11px' }, l === 'zh' && top.textZh ? top.textZh : top.text) : null);
          })),
      );
    } else if (this.access(n) === 'report') {
      parts.push(h('div', { class: 'muted', style: 'font-size:11px;margin-top:6px', 'data-testid': 'audience-reader-note' }, say('readerOnly')));
    }
    this.result.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
  }
}
