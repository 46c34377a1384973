import { describe, expect, it } from 'vitest';
import { barHeights, changeText, periodLabel, sortRising, type RisingRow } from '../../web/src/graph/trends.js';

const row = (id: string, nameEn: string, before: number | null, after: number | null, growth: number | null, zScore: number): RisingRow => ({
  entity: { key: `Interest:${id}`, id, type: 'Interest', name: id, nameEn }, before, after, growth, zScore, suppressed: false,
});

describe('trends in words', () => {
  it('labels half-year periods by month, the end exclusive', () => {
    expect(periodLabel('2025-11-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z', 'en')).toBe('Nov 2025 – Apr 2026');
    expect(periodLabel('2025-11-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z', 'zh')).toBe('2025年11月 – 2026年4月');
  });

  it('writes changes as signed percentages', () => {
    expect(changeText(1.71875, 32, 'en')).toBe('+172%');
    expect(changeText(-0.4, 10, 'en')).toBe('−40%');
    expect(changeText(null, 0, 'en')).toBe('new');
    expect(changeText(null, 0, 'zh')).toBe('新出现');
  });

  it('sorts by any column, withheld figures last', () => {
    const rows = [row('glamping', 'Glamping', 32, 87, 1.72, 4.96), row('aquarium', 'Aquariums', 5, 19, 2.8, 2.8), row('anime', 'Anime', null, 24, null, 2.4)];
    expect(sortRising(rows, 'zScore', true, 'en').map((r) => r.entity.id)).toEqual(['glamping', 'aquarium', 'anime']);
    expect(sortRising(rows, 'growth', true, 'en').map((r) => r.entity.id)).toEqual(['aquarium', 'glamping', 'anime']);
    expect(sortRising(rows, 'before', false, 'en').map((r) => r.entity.id)).toEqual(['aquarium', 'glamping', 'anime']);
    expect(sortRising(rows, 'name', false, 'en').map((r) => r.entity.id)).toEqual(['anime', 'aquarium', 'glamping']);
  });

  it('scales two bars together', () => {
    expect(barHeights(32, 87)).toEqual([32 / 87, 1]);
    expect(barHeights(null, null)).toEqual([0, 0]);
  });
});
