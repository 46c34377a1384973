/** Builds the Lucene query for `search` from what a person typed. Pure, so it is unit-tested. */

/** Words beyond this many are ignored (each word expands into several Lucene clauses). */
export const MAX_SEARCH_WORDS = 8;

const luceneSpecial = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/** Backslash-escapes every character Lucene's query parser treats as syntax. */
export function escapeLucene(text: string): string {
  return text.replace(luceneSpecial, (c) => '\\' + c);
}

// Scripts the CJK analyzer splits into bigrams; everything else is kept as whole words.
const cjkRun = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const word = /[\p{L}\p{N}]+/gu;

/**
 * The words of a query: runs of letters and digits, with CJK runs split from Latin ones
 * (`露营camping` → `露营`, `camping`). Punctuation and Lucene syntax never survive, so user
 * input cannot change the query's structure.
 */
export function searchWords(query: string): string[] {
  const words: string[] = [];
  for (const [token] of query.normalize('NFKC').matchAll(word)) {
    let last = 0;
    for (const m of token.matchAll(cjkRun)) {
      if (m.index > last) words.push(token.slice(last, m.index));
      words.push(m[0]);
      last = m.index + m[0].length;
    }
    if (last < token.length) words.push(token.slice(last));
  }
  return words.map((w) => w.toLowerCase()).slice(0, MAX_SEARCH_WORDS);
}

function isCjk(w: string): boolean {
  cjkRun.lastIndex = 0;
  return new RegExp(`^${cjkRun.source}$`, 'u').test(w);
}

/**
 * Lucene clauses for one word. CJK: the phrase (boosted) and its bigrams, which the index's
 * CJK analyzer produces too; a single character also matches as a prefix. Latin and digits:
 * the exact word (boosted), a prefix, and a fuzzy term whose edit distance grows with the
 * word's length so short words do not match everything.
 */
function clauses(w: string): string[] {
  const e = escapeLucene(w);
  if (isCjk(w)) return w.length === 1 ? [`${e}^3`, `${e}*`] : [`"${e}"^3`, e];
  const out = [`${e}^3`];
  if (w.length >= 2) out.push(`${e}*^1.5`);
  if (w.length >= 3 && !/^\p{N}+$/u.test(w)) out.push(`${e}~${w.length >= 6 ? 2 : 1}`);
  return out;
}

/** The Lucene query for `query`, or null when it has no letter or digit to search for. */
export function luceneQuery(query: string): string | null {
  const words = searchWords(query);
  if (words.length === 0) return null;
  return words.flatMap(clauses).join(' ');
}
