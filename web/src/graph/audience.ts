import type { Capabilities } from '../api/capabilities.js';
import type { Lang } from './types.js';

// The audience builder's logic (issue 18): what a caller may see, the report in plain words and
// the CSV of an audience. Pure: tested in Node (test/web/audience.test.ts).

/** Defaults of the builder. */
export const audienceDefaults = {
  /** Persons asked for when the user has not typed a size. */
  size: 100,
  /** The largest size the builder asks for (the CSV holds them all). */
  maxSize: 5000,
  /** Members listed in the panel (the CSV has every one). */
  listed: 10,
};

/** `AudienceReport` (role reader): size and lift are null below k-anonymity. */
export interface ApiAudienceReport {
  size: number | null;
  expectedConversion: number | null;
  baseRate: number;
  lift: number | null;
}

export interface ApiAudienceMember {
  person: string;
  score: number;
  reasons: { share: number; text: string; textZh?: string | null }[];
}

export interface ApiAudience {
  size: number;
  members: ApiAudienceMember[];
}

/**
 * What the builder offers: nothing on a server without `audienceReport` (or for another type),
 * the report only for readers, the report and the pseudonymous list for service and admin keys.
 * `role` null: not known (a server without `apiCaller`): the list is tried and a refusal shows the report only.
 */
export function audienceAccess(caps: Pick<Capabilities, 'query'> | null, role: string | null, type: string): 'none' | 'report' | 'list' {
  if (!caps?.query.has('audienceReport') || (type !== 'Product' && type !== 'Interest')) return 'none';
  if (!caps.query.has('audience') || role === 'reader') return 'report';
  return 'list';
}

/** The size to ask for from what the user typed: a whole number from 1 to maxSize, else the default. */
export function audienceSize(input: string | number | null | undefined): number {
  const n = typeof input === 'number' ? input : Number(String(input ?? '').trim());
  if (!Number.isFinite(n) || n < 1) return audienceDefaults.size;
  return Math.min(audienceDefaults.maxSize, Math.floor(n));
}

const pct = (x: number) => `${(x * 100).toFixed(x >= 0.1 ? 0 : x >= 0.01 ? 1 : 2)}%`;

/** The report's figures in plain words, one [label, value] a row (a small audience says why it has none). */
export function reportRows(r: ApiAudienceReport, lang: Lang): [string, string][] {
  const zh = lang === 'zh';
  if (r.size === null) {
    return [[zh ? '人群规模' : 'Audience size', zh ? '人数太少，无法报告（k-匿名）' : 'too few people to report (k-anonymity)'], [zh ? '基准转化率' : 'Base rate', pct(r.baseRate)]];
  }
  return [
    [zh ? '人群规模' : 'Audience size', `${r.size.toLocaleString('en-US')} ${zh ? '人' : r.size === 1 ? 'person' : 'persons'}`],
    [zh ? '预计转化率' : 'Expected conversion', r.expectedConversion === null ? '—' : pct(r.expectedConversion)],
    [zh ? '基准转化率' : 'Base rate', pct(r.baseRate)],
    [zh ? '提升' : 'Lift', r.lift === null ? '—' : `${r.lift.toFixed(1)}×`],
  ];
}

/** One line summing the report up: "100 persons · 8.2× the base rate". */
export function reportSummary(r: ApiAudienceReport, lang: Lang): string {
  if (r.size === null || r.lift === null) return lang === 'zh' ? '人数太少，无法报告' : 'Too few people to report';
  return lang === 'zh' ? `${r.size.toLocaleString('en-US')} 人 · 转化率为基准的 ${r.lift.toFixed(1)} 倍` : `${r.size.toLocaleString('en-US')} persons · ${r.lift.toFixed(1)}× the base rate`;
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The audience as CSV: `rank,person,score,reason` (the person's pseudonymous id, its score and its
 * strongest reason), one row a member, in the server's order. Never a raw consumer id: the server
 * gives persons only.
 */
export function audienceCsv(a: Pick<ApiAudience, 'members'>, lang: Lang = 'en'): string {
  const rows = a.members.map((m, i) => {
    const top = [...m.reasons].sort((x, y) => y.share - x.share)[0];
    const reason = top ? (lang === 'zh' && top.textZh ? top.textZh : top.text) : '';
    return [i + 1, m.person, Number(m.score.toFixed(6)), reason].map(csvCell).join(',');
  });
  return ['rank,person,score,reason', ...rows].join('\n') + '\n';
}

/** The CSV's file name: "audience-Product-coffee-15-100.csv" (unsafe characters dropped). */
export function audienceFileName(type: string, id: string, size: number): string {
  return `audience-${type}-${id}-${size}.csv`.replace(/[^A-Za-z0-9._-]+/g, '_');
}
