import { describe, expect, it } from 'vitest';
import { summarize } from '../../bench/percentiles.js';
import { latencyChartSvg } from '../../bench/latency-chart.js';
import { markdownTable } from '../../bench/report.js';

describe('summarize', () => {
  it('gives nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    expect(summarize(samples)).toMatchObject({ count: 100, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
  });

  it('handles no samples', () => {
    expect(summarize([]).count).toBe(0);
  });
});

describe('report', () => {
  it('draws a bar per percentile and concurrency and escapes the title', () => {
    const r = { concurrency: 8, p50: 5, p95: 9, p99: 12, max: 20, mean: 6, count: 10, rps: 300, errors: 0, badResponses: 0, seconds: 1 };
    const svg = latencyChartSvg('a < b', [r, { ...r, concurrency: 32, p99: 40 }]);
    expect(svg.match(/<rect x=/g)!.length).toBeGreaterThanOrEqual(6);
    expect(svg).toContain('a &lt; b');
    expect(markdownTable(['a', 'b'], [[1, 2]])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });
});
