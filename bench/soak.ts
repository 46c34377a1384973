import { graphqlLoad } from './http-load.js';

export interface SoakWindow {
  /** Seconds since the soak started, at the end of this window. */
  at_s: number;
  requests: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  server_rss_mb: number;
}

export interface SoakResult {
  seconds: number;
  target_rps: number;
  requests: number;
  rps: number;
  errors: number;
  windows: SoakWindow[];
  /** Last window's p99 over the first's (1 = no drift). */
  p99_drift: number;
  rss_start_mb: number;
  rss_end_mb: number;
  rss_max_mb: number;
  /** Growth over the soak, MB/min, from a least-squares line through the windows' RSS. */
  rss_slope_mb_per_min: number;
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den ? num / den : 0;
}

/**
 * Steady load at `rate` req/s for `seconds`, cut into windows (about ten, 5-30 s each) so
 * latency drift and the server's RSS can be followed over time. Bounded by time.
 */
export async function runSoak(o: {
  url: string;
  bodies: string[];
  seconds: number;
  rate: number;
  concurrency: number;
  serverRssMb: () => number;
  log: (line: string) => void;
}): Promise<SoakResult> {
  const windowS = Math.max(5, Math.min(30, Math.round(o.seconds / 10)));
  const windows: SoakWindow[] = [];
  const rssStart = o.serverRssMb();
  let elapsed = 0;
  while (elapsed < o.seconds) {
    const s = Math.min(windowS, o.seconds - elapsed);
    const r = await graphqlLoad({ url: o.url, concurrency: o.concurrency, seconds: s, bodies: o.bodies, rate: o.rate });
    elapsed += s;
    const w: SoakWindow = { at_s: elapsed, requests: r.count, rps: r.rps, p50_ms: r.p50, p99_ms: r.p99, errors: r.errors, server_rss_mb: o.serverRssMb() };
    windows.push(w);
    o.log(`  soak ${elapsed}/${o.seconds} s: ${w.rps} req/s, p50 ${w.p50_ms} ms, p99 ${w.p99_ms} ms, errors ${w.errors}, server RSS ${w.server_rss_mb} MB`);
  }
  const requests = windows.reduce((s, w) => s + w.requests, 0);
  const rss = windows.map((w) => w.server_rss_mb);
  const first = windows[0];
  const last = windows[windows.length - 1];
  return {
    seconds: o.seconds,
    target_rps: o.rate,
    requests,
    rps: Math.round((requests / Math.max(1, elapsed)) * 10) / 10,
    errors: windows.reduce((s, w) => s + w.errors, 0),
    windows,
    p99_drift: first && last && first.p99_ms ? Math.round((last.p99_ms / first.p99_ms) * 100) / 100 : 0,
    rss_start_mb: rssStart,
    rss_end_mb: last?.server_rss_mb ?? rssStart,
    rss_max_mb: Math.max(rssStart, ...rss),
    rss_slope_mb_per_min: Math.round(slope(windows.map((w) => w.at_s / 60), rss) * 10) / 10,
  };
}
