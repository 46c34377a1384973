import { seededRandom } from '../../core/seeded-random.js';
import type { PersonIndex } from './persons.js';
import type { Target } from './rank.js';

/**
 * Back-testing an audience: which engagements are held out (the "future"), which persons can
 * be measured on them, and the conversion maths (rate, base rate, lift, k-anonymous sizes).
 */
export interface BacktestView {
  method: 'time' | 'random';
  /** Per engagement (PersonIndex position): 1 = held out. */
  held: Uint8Array;
  /** Per person: 1 = in the measured population. */
  population: Uint8Array;
  /** Time view: the cut (Unix seconds); engagements first made at or after it are held out. */
  cut?: number;
  heldOut: number;
}

/**
 * Held out by time: the most recent `share` of the timestamped purchases (by first
 * engagement), all engagements first made at or after that cut; the population is every person
 * with an engagement before it. Only products the model holds count (a product added since
 * the build cannot be scored). Null when fewer than `minRows` purchases carry a timestamp
 * or all of them fall on one instant.
 */
export function timeView(x: PersonIndex, share = 0.1, minRows = 50): BacktestView | null {
  const times: number[] = [];
  for (let e = 0; e < x.item.length; e++) if (x.strong[e] && x.item[e]! >= 0 && Number.isFinite(x.ts[e]!)) times.push(x.ts[e]!);
  if (times.length < minRows) return null;
  times.sort((a, b) => a - b);
  const cut = times[Math.min(times.length - 1, Math.floor(times.length * (1 - share)))]!;
  if (!(cut > times[0]!)) return null;
  const held = new Uint8Array(x.item.length);
  const population = new Uint8Array(x.keys.length);
  let heldOut = 0;
  for (let u = 0; u < x.keys.length; u++) {
    for (let e = x.ptr[u]!; e < x.ptr[u + 1]!; e++) {
      if (Number.isFinite(x.ts[e]!) && x.ts[e]! >= cut) {
        held[e] = 1;
        if (x.strong[e] && x.item[e]! >= 0) heldOut++;
      } else if (x.item[e]! >= 0) population[u] = 1;
    }
  }
  return { method: 'time', held, population, cut, heldOut };
}

/**
 * Held out at random, as the evaluation protocol splits: `holdout` of the purchases (rounded,
 * at least one) of every person with at least `minStrong`, a fixed seed; the population is
 * those persons. For graphs without timestamps.
 */
export function randomView(x: PersonIndex, holdout = 0.2, minStrong = 5, seed = 42): BacktestView {
  const random = seededRandom(seed);
  const held = new Uint8Array(x.item.length);
  const population = new Uint8Array(x.keys.length);
  let heldOut = 0;
  for (let u = 0; u < x.keys.length; u++) {
    const strong: number[] = [];
    for (let e = x.ptr[u]!; e < x.ptr[u + 1]!; e++) if (x.strong[e] && x.item[e]! >= 0) strong.push(e);
    if (strong.length < minStrong) continue;
    population[u] = 1;
    for (let i = strong.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [strong[i], strong[j]] = [strong[j]!, strong[i]!];
    }
    for (const e of strong.slice(0, Math.max(1, Math.round(strong.length * holdout)))) {
      held[e] = 1;
      heldOut++;
    }
  }
  return { method: 'random', held, population, heldOut };
}

/** Per person: 1 when a held-out purchase of theirs is a target product. */
export function converted(x: PersonIndex, view: Pick<BacktestView, 'held'>, target: Pick<Target, 'items'>): Uint8Array {
  const out = new Uint8Array(x.keys.length);
  for (let u = 0; u < x.keys.length; u++) {
    for (let e = x.ptr[u]!; e < x.ptr[u + 1]!; e++) {
      if (view.held[e] && x.strong[e] && x.item[e]! >= 0 && target.items[x.item[e]!]) {
        out[u] = 1;
        break;
      }
    }
  }
  return out;
}

/** Share of `members` who converted (0 for none). */
export function conversionRate(members: readonly number[], conv: Uint8Array): number {
  if (!members.length) return 0;
  let hits = 0;
  for (const u of members) hits += conv[u]!;
  return hits / members.length;
}

/** Share of the persons in `among` (a mask) who converted: a random control's expected rate. */
export function baseRate(among: Uint8Array, conv: Uint8Array): number {
  let n = 0;
  let hits = 0;
  for (let u = 0; u < among.length; u++) {
    if (!among[u]) continue;
    n++;
    hits += conv[u]!;
  }
  return n ? hits / n : 0;
}

/** rate / base, or null when there is no base (nobody converted at random). */
export const liftOver = (rate: number, base: number): number | null => (base > 0 ? rate / base : null);

/** A count as a k-anonymous aggregate shows it: rounded down to a multiple of k, null below k. */
export function kRounded(n: number, k: number): number | null {
  if (!(k >= 1) || n < k) return null;
  return Math.floor(n / k) * k;
}

/** The median of finite values, or null for none. */
export function median(values: readonly (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}
