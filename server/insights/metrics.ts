/**
 * Association figures between two consumer groups, exactly as the contract defines them:
 * support = consumers linked to both; confidence = support / |S|; lift = confidence / (|T| / N).
 * Pure functions, no database.
 */

export interface LinkCounts {
  /** Consumers linked to both the source and the target. */
  support: number;
  /** Consumers linked to the source. */
  sourceConsumers: number;
  /** Consumers linked to the target. */
  targetConsumers: number;
  /** All consumers. */
  allConsumers: number;
}

export interface LinkMetrics {
  support: number;
  /** support / all consumers. */
  share: number;
  confidence: number;
  lift: number;
  /** log2(lift): pointwise mutual information in bits. */
  pmi: number;
  /** support expected if the two groups were independent: |S|·|T| / N. */
  expected: number;
  /** (support - expected) / sd under the hypergeometric null. */
  zScore: number;
  /** One-sided hypergeometric p-value P(X >= support) (Fisher's exact test). */
  pValue: number;
}

/** Computes every association figure from the four counts. */
export function linkMetrics({ support, sourceConsumers: nS, targetConsumers: nT, allConsumers: n }: LinkCounts): LinkMetrics {
  const confidence = nS > 0 ? support / nS : 0;
  const base = n > 0 ? nT / n : 0;
  const lift = base > 0 ? confidence / base : 0;
  const expected = n > 0 ? (nS * nT) / n : 0;
  // Hypergeometric variance: draws nS from N with nT successes.
  const variance = n > 1 ? (nS * (nT / n) * ((n - nT) / n) * (n - nS)) / (n - 1) : 0;
  const zScore = variance > 0 ? (support - expected) / Math.sqrt(variance) : 0;
  return {
    support,
    share: n > 0 ? support / n : 0,
    confidence,
    lift,
    pmi: lift > 0 ? Math.log2(lift) : Number.NEGATIVE_INFINITY,
    expected,
    zScore,
    pValue: hypergeometricUpperTail(support, nS, nT, n),
  };
}

/** ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0. */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const logChoose = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/**
 * P(X >= k) for X ~ Hypergeometric(N, K = nT successes, n = nS draws): the chance of seeing at
 * least this much overlap if the groups were independent.
 */
export function hypergeometricUpperTail(k: number, nS: number, nT: number, n: number): number {
  const lo = Math.max(0, nS + nT - n);
  const hi = Math.min(nS, nT);
  if (k <= lo) return 1;
  if (k > hi) return 0;
  const logDenominator = logChoose(n, nS);
  let p = 0;
  for (let x = k; x <= hi; x++) {
    const term = Math.exp(logChoose(nT, x) + logChoose(n - nT, nS - x) - logDenominator);
    p += term;
    // Terms fall fast past the mode; stop once they no longer change the sum.
    if (x > (nS * nT) / n && term < p * 1e-15) break;
  }
  return Math.min(1, p);
}

export type DemandLinkSort = 'SIGNIFICANCE' | 'SUPPORT' | 'SHARE' | 'CONFIDENCE' | 'LIFT' | 'PMI';

/**
 * Orders links by the chosen figure, ties broken by support then key. SIGNIFICANCE (the default)
 * ranks by z-score, which grows with the square root of the evidence, so a lift of 8 on 3
 * consumers does not outrank a lift of 2 on 3,000.
 */
export function compareLinks(sortBy: DemandLinkSort) {
  const figure = (m: LinkMetrics): number => {
    switch (sortBy) {
      case 'SUPPORT':
        return m.support;
      case 'SHARE':
        return m.share;
      case 'CONFIDENCE':
        return m.confidence;
      case 'LIFT':
        return m.lift;
      case 'PMI':
        return m.pmi;
      default:
        return m.zScore;
    }
  };
  return (a: LinkMetrics & { key: string }, b: LinkMetrics & { key: string }) =>
    figure(b) - figure(a) || b.support - a.support || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
