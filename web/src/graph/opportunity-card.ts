import { nodeLabel } from './elements.js';
import type { ApiEntity, ApiOpportunity, Lang } from './types.js';

// An opportunity as a strategist reads it: plain sentences with people-sized numbers instead
// of field names (`excessConsumers`, `zScore`, "gap 180.924"). Pure: tested in Node.

/** A driving segment of an opportunity as the API sends it (insights' Opportunity.segments). */
export interface OpportunitySegment {
  segmentId: string;
  share: number;
  segment: { name: string; interests?: Pick<ApiEntity, 'name' | 'nameEn'>[] } | null;
}

export interface OpportunityCard {
  title: string;
  /** "88 consumers" (who share every interest of it). */
  who: string;
  /** "7.7× as likely together as by chance". */
  strength: string;
  /** "No product serves it" / "1 product serves it; 46% of them bought it". */
  supply: string;
  /** Nothing sold serves the combination (or nobody bought what does). */
  unserved: boolean;
  /** Driving segments, in the page's language: "Home appliances · Mother and baby · Pets 75%". */
  segments: string;
  closest: string;
  /** Hover text: what the figures mean. */
  explain: string;
}

/** A whole number with thousands separators; a ratio with one decimal below 10, none above. */
export function humanNumber(n: number, lang: Lang): string {
  if (!Number.isFinite(n)) return '–';
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  if (Number.isInteger(n) || Math.abs(n) >= 100) return Math.round(n).toLocaleString(locale);
  return n.toLocaleString(locale, { maximumFractionDigits: Math.abs(n) < 10 ? 1 : 0 });
}

/** A share 0..1 as a percentage a person reads ("46%", "<1%"). */
export function percent(share: number): string {
  if (!Number.isFinite(share)) return '–';
  if (share > 0 && share < 0.01) return '<1%';
  return `${Math.round(share * 100)}%`;
}

/**
 * A segment's name in the page's language. Segment names are built by the server from its
 * largest interests' stored (often Chinese) names; in English the same interests' English
 * names are used when the answer carries them.
 */
export function segmentName(s: OpportunitySegment, lang: Lang): string {
  const interests = s.segment?.interests ?? [];
  if (lang === 'en' && interests.length && interests.every((i) => i.nameEn)) return interests.slice(0, 3).map((i) => i.nameEn).join(' · ');
  return s.segment?.name ?? `#${s.segmentId}`;
}

/** The card of one opportunity in `lang`. */
export function opportunityCard(op: ApiOpportunity, lang: Lang): OpportunityCard {
  const zh = lang === 'zh';
  const serving = typeof op.servingProducts === 'number' ? op.servingProducts : null;
  const coverage = typeof op.coverage === 'number' ? op.coverage : null;
  const n = humanNumber(op.consumers, lang);
  const lift = humanNumber(op.lift, lang);
  let supply: string;
  if (serving === null) supply = zh ? '供给情况未知' : 'Supply not reported';
  else if (serving === 0) supply = zh ? '没有产品满足这一组合' : 'No product serves it';
  else {
    const bought = coverage === null ? '' : zh ? `，其中 ${percent(coverage)} 的人买过` : `; ${percent(coverage)} of them bought one`;
    supply = zh ? `${serving} 个产品满足${bought}` : `${serving} product${serving === 1 ? '' : 's'} serve${serving === 1 ? 's' : ''} it${bought}`;
  }
  const segments = ((op.segments as OpportunitySegment[] | undefined) ?? []).slice(0, 2).map((s) => `${segmentName(s, lang)} ${percent(s.share)}`).join(zh ? '；' : '; ');
  return {
    title: op.interests.map((i) => nodeLabel(i, lang)).join(' + '),
    who: zh ? `${n} 位消费者` : `${n} consumers`,
    strength: zh ? `共现概率为随机的 ${lift} 倍` : `${lift}× as likely together as by chance`,
    supply,
    unserved: serving === 0 || (coverage !== null && coverage === 0),
    segments,
    closest: op.closestProducts.map((p) => nodeLabel(p, lang)).join(zh ? '、' : ', '),
    explain: zh
      ? '提升度：这些兴趣同时出现的频率与彼此无关时相比的倍数。缺口：有多少需求尚未被人们实际购买的产品满足（1 = 完全没有）；只有一个产品时至少保留一半缺口。'
      : 'Lift: how many times more often these interests go together than if they were unrelated. Gap: how much of the demand no product people actually buy serves (1 = none); a single product leaves at least half the gap.',
  };
}

/** Page `page` (0-based) of `items`, `size` a page, and how many pages there are. */
export function pageOf<T>(items: T[], page: number, size: number): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(p * size, p * size + size), page: p, pages };
}
