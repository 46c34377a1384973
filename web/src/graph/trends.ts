import type { Lang } from './types.js';

// Trends in words and rows: period labels, changes, sortable rows. Pure: tested in Node.

/** A rising (or falling) interest as the API sends it (insights' RisingInterest). */
export interface RisingRow {
  entity: { key: string; id: string; type: string; name: string; nameEn: string | null; properties?: string | null };
  before: number | null;
  after: number | null;
  growth: number | null;
  zScore: number;
  suppressed: boolean;
}

/** "Nov 2025 – Apr 2026" for a period [from, to) given as ISO dates (the end is exclusive). */
export function periodLabel(from: string, to: string, lang: Lang): string {
  const a = new Date(from);
  const b = new Date(new Date(to).getTime() - 1);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return `${from} – ${to}`;
  const f = (d: Date) => (lang === 'zh' ? `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月` : d.toLocaleString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }));
  return `${f(a)} – ${f(b)}`;
}

/** A growth ratio (after / before − 1) as a signed percentage: "+172%", "−40%", "new" when nothing before. */
export function changeText(growth: number | null, before: number | null, lang: Lang): string {
  if (growth === null || !Number.isFinite(growth)) return before === 0 ? (lang === 'zh' ? '新出现' : 'new') : '–';
  const pct = Math.round(growth * 100);
  return `${pct > 0 ? '+' : pct < 0 ? '−' : ''}${Math.abs(pct).toLocaleString('en-US')}%`;
}

export type RisingColumn = 'name' | 'before' | 'after' | 'growth' | 'zScore';

/** Rows sorted by a column (numbers descending first; withheld figures last either way). */
export function sortRising(rows: RisingRow[], by: RisingColumn, desc: boolean, lang: Lang): RisingRow[] {
  const label = (r: RisingRow) => (lang === 'en' && r.entity.nameEn ? r.entity.nameEn : r.entity.name);
  const value = (r: RisingRow): number | null => (by === 'name' ? null : (r[by] as number | null));
  return [...rows].sort((a, b) => {
    if (by === 'name') return (desc ? -1 : 1) * label(a).localeCompare(label(b));
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    return desc ? y - x : x - y;
  });
}

/** Heights 0..1 of two bars (before, after) on one scale; withheld figures are 0. */
export function barHeights(before: number | null, after: number | null): [number, number] {
  const hi = Math.max(before ?? 0, after ?? 0);
  if (hi <= 0) return [0, 0];
  return [(before ?? 0) / hi, (after ?? 0) / hi];
}
