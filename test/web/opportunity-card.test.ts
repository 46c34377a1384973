import { describe, expect, it } from 'vitest';
import { humanNumber, opportunityCard, pageOf, percent, segmentName } from '../../web/src/graph/opportunity-card.js';
import type { ApiEntity, ApiOpportunity } from '../../web/src/graph/types.js';

const e = (type: string, id: string, name: string, nameEn: string | null): ApiEntity => ({ key: `${type}:${id}`, id, type, name, nameEn, properties: null });
const pregnancy = e('Interest', 'pregnancy', '孕期', 'Pregnancy');
const sensitive = e('Interest', 'sensitive-skin', '敏感肌', 'Sensitive skin');
const cleanser = e('Product', 'beauty-25', '温和氨基酸洁面', 'Gentle amino-acid cleanser');
const op: ApiOpportunity = {
  interests: [pregnancy, sensitive], consumers: 72, lift: 7.6014, gapScore: 162.3, closestProducts: [cleanser],
  servingProducts: 1, coverage: 0.4583, gap: 0.77, zScore: 24.1, excessConsumers: 62.5,
  segments: [{ segmentId: '3', share: 0.42, segment: { name: '家用电器 · 母婴 · 宠物', interests: [{ name: '家用电器', nameEn: 'Home appliances' }, { name: '母婴', nameEn: 'Mother and baby' }, { name: '宠物', nameEn: 'Pets' }] } }],
};

describe('opportunity cards in plain words', () => {
  it('says who, how strongly and what serves it, in English', () => {
    const c = opportunityCard(op, 'en');
    expect(c.title).toBe('Pregnancy + Sensitive skin');
    expect(c.who).toBe('72 consumers');
    expect(c.strength).toBe('7.6× as likely together as by chance');
    expect(c.supply).toBe('1 product serves it; 46% of them bought one');
    expect(c.unserved).toBe(false);
    expect(c.segments).toBe('Home appliances · Mother and baby · Pets 42%');
    expect(c.closest).toBe('Gentle amino-acid cleanser');
    // No raw field names or unitless scores.
    expect(JSON.stringify(c)).not.toMatch(/excessConsumers|zScore|gapScore|162\.3/);
  });

  it('in Chinese, with the stored segment name', () => {
    const c = opportunityCard({ ...op, servingProducts: 0, coverage: 0 }, 'zh');
    expect(c.title).toBe('孕期 + 敏感肌');
    expect(c.supply).toBe('没有产品满足这一组合');
    expect(c.unserved).toBe(true);
    expect(c.segments).toBe('家用电器 · 母婴 · 宠物 42%');
  });

  it('falls back to the stored segment name when English names are missing', () => {
    expect(segmentName({ segmentId: '1', share: 1, segment: { name: '旅行 · 咖啡' } }, 'en')).toBe('旅行 · 咖啡');
    expect(segmentName({ segmentId: '9', share: 1, segment: null }, 'en')).toBe('#9');
  });

  it('formats numbers for people', () => {
    expect(humanNumber(1234, 'en')).toBe('1,234');
    expect(humanNumber(7.6014, 'en')).toBe('7.6');
    expect(humanNumber(65.38, 'en')).toBe('65');
    expect(percent(0.004)).toBe('<1%');
    expect(percent(0.4583)).toBe('46%');
  });

  it('pages', () => {
    const xs = Array.from({ length: 19 }, (_, i) => i);
    expect(pageOf(xs, 0, 8)).toEqual({ items: [0, 1, 2, 3, 4, 5, 6, 7], page: 0, pages: 3 });
    expect(pageOf(xs, 2, 8).items).toEqual([16, 17, 18]);
    expect(pageOf(xs, 9, 8).page).toBe(2);
    expect(pageOf([], 0, 8)).toEqual({ items: [], page: 0, pages: 1 });
  });
});
