import type { LoadResult } from './http-load.js';

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/**
 * An SVG chart of latency percentiles (bars, left axis, ms) and throughput (line, right
 * axis, req/s) per concurrency level.
 */
export function latencyChartSvg(title: string, results: LoadResult[]): string {
  const width = 720;
  const height = 360;
  const pad = { left: 60, right: 70, top: 40, bottom: 50 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const maxMs = Math.max(1, ...results.map((r) => r.p99)) * 1.1;
  const maxRps = Math.max(1, ...results.map((r) => r.rps)) * 1.1;
  const group = plotW / Math.max(1, results.length);
  const bar = Math.min(28, group / 4);
  const colours = { p50: '#4c78a8', p95: '#f58518', p99: '#e45756' } as const;
  const y = (ms: number) => pad.top + plotH - (ms / maxMs) * plotH;
  const yRps = (rps: number) => pad.top + plotH - (rps / maxRps) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    `<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}" stroke="#333"/>`,
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + plotH}" stroke="#333"/>`,
    `<text x="16" y="${pad.top + plotH / 2}" transform="rotate(-90 16 ${pad.top + plotH / 2})" text-anchor="middle">latency (ms)</text>`,
    `<text x="${width - 14}" y="${pad.top + plotH / 2}" transform="rotate(90 ${width - 14} ${pad.top + plotH / 2})" text-anchor="middle">requests/s</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const ms = (maxMs * i) / 4;
    parts.push(`<text x="${pad.left - 6}" y="${y(ms) + 4}" text-anchor="end">${ms.toFixed(ms < 10 ? 1 : 0)}</text>`);
    parts.push(`<text x="${pad.left + plotW + 6}" y="${yRps((maxRps * i) / 4) + 4}">${((maxRps * i) / 4).toFixed(0)}</text>`);
  }
  const points: string[] = [];
  results.forEach((r, i) => {
    const x0 = pad.left + group * i + group / 2 - (bar * 3) / 2;
    (['p50', 'p95', 'p99'] as const).forEach((k, j) => {
      parts.push(`<rect x="${x0 + j * bar}" y="${y(r[k])}" width="${bar - 2}" height="${pad.top + plotH - y(r[k])}" fill="${colours[k]}"><title>${k} ${r[k]} ms</title></rect>`);
    });
    parts.push(`<text x="${pad.left + group * i + group / 2}" y="${pad.top + plotH + 18}" text-anchor="middle">c=${r.concurrency}</text>`);
    points.push(`${pad.left + group * i + group / 2},${yRps(r.rps)}`);
  });
  parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="#54a24b" stroke-width="2"/>`);
  results.forEach((r, i) => parts.push(`<circle cx="${pad.left + group * i + group / 2}" cy="${yRps(r.rps)}" r="4" fill="#54a24b"/>`));
  const legend = [...Object.entries(colours), ['req/s', '#54a24b']];
  legend.forEach(([name, colour], i) => {
    parts.push(`<rect x="${pad.left + i * 80}" y="${height - 18}" width="10" height="10" fill="${colour}"/>`);
    parts.push(`<text x="${pad.left + i * 80 + 14}" y="${height - 9}">${name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
