import { searchWords } from './search-query.js';

/**
 * Ranks full-text hits by what a person most likely means. Lucene's score alone let a fuzzy
 * word beat a plain prefix ("camping" → gaming gear, "SUV" → sun protection), so every hit
 * gets a match tier from its names first, and Lucene's score only orders hits of one tier.
 * Pure, so the tiers are unit-tested.
 */

/** How a hit matched, best first. */
export enum MatchTier {
  /** The query is the entity's id or key (a pasted id or consumer pseudonym). */
  Id = 0,
  /** A name (any language) is the query. */
  Exact = 1,
  /** A name starts with the query. */
  Prefix = 2,
  /** Every word of the query starts a word of one name (CJK: appears in it). */
  Words = 3,
  /** Some words of the query start words of a name. */
  Partial = 4,
  /** Only Lucene's fuzzy terms matched: a typo, or noise. */
  Fuzzy = 5,
}

export interface SearchHit {
  props: Record<string, unknown>;
  type: string;
  /** Lucene's score (1e9 for a hit found by key). */
  score: number;
}

/** Name fields a person searches by. */
const nameFields = ['name', 'name_en', 'name_zh'] as const;

const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Lower case, NFKC, punctuation as spaces: "Pour-over" and "pour over" compare equal. */
export function normalizeName(text: string): string {
  return searchWords(text.length > 400 ? text.slice(0, 400) : text).join(' ');
}

function wordMatches(word: string, nameWords: string[], whole: string): boolean {
  if (cjk.test(word)) return whole.replaceAll(' ', '').includes(word);
  return nameWords.some((w) => w.startsWith(word));
}

/** Levenshtein distance, for ordering typo matches (short words only: names are short). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** For a fuzzy hit: the sum over the query's words of the closest word of any name. */
function typoDistance(qWords: string[], hit: SearchHit): number {
  const words = nameFields.flatMap((f) => (typeof hit.props[f] === 'string' ? normalizeName(hit.props[f] as string).split(' ') : [])).filter(Boolean).slice(0, 40);
  if (words.length === 0) return 99;
  return qWords.reduce((sum, q) => sum + Math.min(...words.map((w) => editDistance(q, w.slice(0, 40)))), 0);
}

/** A hit's tier and, for the name that gave it, how many characters it has beyond the query. */
export interface Match {
  tier: MatchTier;
  extra: number;
}

/**
 * How one hit matched the query. Names in every language count; the id counts only when it
 * equals the query as a whole (a slug such as "pour-over"): product ids like "coffee-19" share
 * their first word with a whole category, and consumer ids are pseudonyms.
 */
export function matchOf(query: string, hit: SearchHit): Match {
  const raw = query.trim();
  const id = String(hit.props.id ?? '');
  if (raw === id || raw === `${hit.type}:${id}` || hit.score >= 1e9) return { tier: MatchTier.Id, extra: 0 };
  const q = normalizeName(raw);
  const qWords = q.split(' ').filter(Boolean);
  const compact = q.replaceAll(' ', '');
  if (hit.type !== 'Consumer' && normalizeName(id).replaceAll(' ', '') === compact) return { tier: MatchTier.Exact, extra: 0 };
  let best: Match = { tier: MatchTier.Fuzzy, extra: Infinity };
  const better = (tier: MatchTier, extra: number) => {
    if (tier < best.tier || (tier === best.tier && extra < best.extra)) best = { tier, extra };
  };
  for (const f of nameFields) {
    const field = hit.props[f];
    if (typeof field !== 'string') continue;
    const name = normalizeName(field);
    if (name === '') continue;
    const nameCompact = name.replaceAll(' ', '');
    const extra = Math.max(0, nameCompact.length - compact.length);
    if (nameCompact === compact) return { tier: MatchTier.Exact, extra: 0 };
    if (name.startsWith(q) || nameCompact.startsWith(compact)) better(MatchTier.Prefix, extra);
    const words = name.split(' ');
    const matched = qWords.filter((w) => wordMatches(w, words, name)).length;
    if (matched === qWords.length) better(MatchTier.Words, extra);
    else if (matched > 0) better(MatchTier.Partial, extra + (qWords.length - matched) * 100);
  }
  // A typo: the closer the spelling, the likelier it is what was meant ("lanten" → lantern, not latte).
  if (best.tier === MatchTier.Fuzzy) best = { tier: MatchTier.Fuzzy, extra: typoDistance(qWords, hit) };
  return best;
}

/** The tier of one hit (see `matchOf`). */
export function matchTier(query: string, hit: SearchHit): MatchTier {
  return matchOf(query, hit).tier;
}

/**
 * The hits in the order a person means: by tier; fuzzy-only hits only when no hit matched
 * better; consumers only by id or an exact or prefix name (a fuzzy or word match on an
 * opaque pseudonym is never what was meant). Within a tier: the closer name (fewer extra
 * characters: "Camping gear" before "Camping lantern"), then how many consumers engage with
 * it (`_consumers`: the better-known of two), then Lucene's score, then key for a stable
 * order; fuzzy hits by edit distance to their closest name words, then Lucene's score.
 */
export function rankSearchHits(query: string, hits: SearchHit[], first: number): SearchHit[] {
  const tiered = hits
    .map((hit) => ({ hit, ...matchOf(query, hit), reach: Number(hit.props._consumers ?? 0) || 0 }))
    .filter((h) => h.hit.type !== 'Consumer' || h.tier <= MatchTier.Prefix);
  const hasBetter = tiered.some((h) => h.tier < MatchTier.Fuzzy);
  return tiered
    .filter((h) => !hasBetter || h.tier < MatchTier.Fuzzy)
    .sort((a, b) =>
      a.tier - b.tier ||
      a.extra - b.extra ||
      (a.tier === MatchTier.Fuzzy ? b.hit.score - a.hit.score : 0) ||
      b.reach - a.reach ||
      b.hit.score - a.hit.score ||
      String(a.hit.props.key ?? '').localeCompare(String(b.hit.props.key ?? '')),
    )
    .slice(0, first)
    .map((h) => h.hit);
}
