import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { CsvWriter } from '../generator/csv-writer.js';
import { TRIPLE_HEADER } from '../generator/generate.js';

/** The repository root (this file is seeds/movielens/convert.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the MovieLens latest-small folder is looked for when `--input` is not given:
 * `../shared/data/movielens-small` from the repository root, and one level further up for a
 * git worktree kept in a folder of worktrees.
 */
export function defaultMovieLensInputs(): string[] {
  return [resolve(REPO_ROOT, '..', 'shared', 'data', 'movielens-small'), resolve(REPO_ROOT, '..', '..', 'shared', 'data', 'movielens-small')];
}

/** The first existing default input folder, or null. */
export function findMovieLensInput(): string | null {
  return defaultMovieLensInputs().find((p) => existsSync(join(p, 'ratings.csv'))) ?? null;
}

/** Interest id of a tag or genre: NFKC, lower case, runs of anything but letters and digits → '-'. */
export function normaliseTag(tag: string): string {
  return tag
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

export const MOVIES_FILE = 'movies.csv';
export const INTERESTS_FILE = 'interests.csv';
export const TRIPLES_FILE = 'triples.csv';

export interface MovieLensCounts {
  users: number;
  movies: number;
  interests: { tags: number; genres: number };
  ratings: number;
  purchased: number;
  viewed: number;
  tagRows: number;
  interestedIn: number;
  relatesToTag: number;
  relatesToGenre: number;
  triples: number;
  /** Input rows left out, with why (e.g. a tag with no letters or digits). */
  skipped: Record<string, number>;
}

type Row = Record<string, string>;

function readCsv(path: string): Row[] {
  if (!existsSync(path)) throw new Error(`${path}: missing (is --input the MovieLens latest-small folder?)`);
  return parse(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true }) as Row[];
}

function need(row: Row, field: string, file: string, line: number): string {
  const v = row[field];
  if (v === undefined || v === '') throw new Error(`${file}:${line}: missing ${field}`);
  return v;
}

/**
 * Converts MovieLens latest-small into the contract's files in `outDir`: movies.csv (Product
 * entities: title, year, genres, IMDb and TMDB ids), interests.csv (Interest entities: tags and
 * genres), triples.csv (ratings ≥ 4 → PURCHASED, other ratings → VIEWED, weight = rating; a user's
 * tag → INTERESTED_IN the tag and the movie RELATES_TO it; genres → RELATES_TO; Unix-second
 * timestamps), and README.md with GroupLens's terms of use and citation.
 */
export function convertMovieLens(input: string, outDir: string): MovieLensCounts {
  const movies = readCsv(join(input, 'movies.csv'));
  const ratings = readCsv(join(input, 'ratings.csv'));
  const tags = readCsv(join(input, 'tags.csv'));
  const links = existsSync(join(input, 'links.csv')) ? readCsv(join(input, 'links.csv')) : [];
  mkdirSync(outDir, { recursive: true });
  const skipped: Record<string, number> = {};
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);

  // A genre row needs a time: the movie's first rating or tag (when it entered MovieLens).
  const firstSeen = new Map<string, number>();
  const seen = (movie: string, ts: number) => {
    const t = firstSeen.get(movie);
    if (t === undefined || ts < t) firstSeen.set(movie, ts);
  };
  const ts = (row: Row, file: string, line: number) => {
    const v = need(row, 'timestamp', file, line);
    if (!/^\d+$/.test(v)) throw new Error(`${file}:${line}: timestamp "${v}" is not Unix seconds`);
    return Number(v);
  };
  ratings.forEach((r, k) => seen(need(r, 'movieId', 'ratings.csv', k + 2), ts(r, 'ratings.csv', k + 2)));
  tags.forEach((r, k) => seen(need(r, 'movieId', 'tags.csv', k + 2), ts(r, 'tags.csv', k + 2)));

  const out = new CsvWriter(join(outDir, TRIPLES_FILE), TRIPLE_HEADER);
  const users = new Set<string>();
  let purchased = 0;
  let viewed = 0;
  ratings.forEach((r, k) => {
    const line = k + 2;
    const user = need(r, 'userId', 'ratings.csv', line);
    const movie = need(r, 'movieId', 'ratings.csv', line);
    const rating = Number(need(r, 'rating', 'ratings.csv', line));
    if (!Number.isFinite(rating) || rating <= 0 || rating > 5) throw new Error(`ratings.csv:${line}: rating "${r.rating}" out of 0.5–5`);
    users.add(user);
    const relation = rating >= 4 ? 'PURCHASED' : 'VIEWED';
    if (relation === 'PURCHASED') purchased++;
    else viewed++;
    out.row([`u${user}`, 'Consumer', relation, `m${movie}`, 'Product', rating, ts(r, 'ratings.csv', line), 'movielens-ratings']);
  });

  // Tag interests, named by their most used spelling.
  const spellings = new Map<string, Map<string, number>>();
  let interestedIn = 0;
  let relatesToTag = 0;
  tags.forEach((r, k) => {
    const line = k + 2;
    const raw = need(r, 'tag', 'tags.csv', line).trim();
    const id = normaliseTag(raw);
    if (!id) return skip('tag without letters or digits');
    const user = need(r, 'userId', 'tags.csv', line);
    const movie = need(r, 'movieId', 'tags.csv', line);
    const t = ts(r, 'tags.csv', line);
    users.add(user);
    const forms = spellings.get(id) ?? new Map<string, number>();
    forms.set(raw, (forms.get(raw) ?? 0) + 1);
    spellings.set(id, forms);
    out.row([`u${user}`, 'Consumer', 'INTERESTED_IN', `tag-${id}`, 'Interest', 1, t, 'movielens-tags']);
    out.row([`m${movie}`, 'Product', 'RELATES_TO', `tag-${id}`, 'Interest', 1, t, 'movielens-tags']);
    interestedIn++;
    relatesToTag++;
  });

  const linkOf = new Map(links.map((l) => [l.movieId, l]));
  const movieOut = new CsvWriter(join(outDir, MOVIES_FILE), ['id', 'type', 'name', 'year', 'genres', 'imdb_id', 'tmdb_id']);
  const genres = new Map<string, string>();
  let relatesToGenre = 0;
  movies.forEach((m, k) => {
    const line = k + 2;
    const movie = need(m, 'movieId', 'movies.csv', line);
    const title = need(m, 'title', 'movies.csv', line).trim();
    const list = (m.genres ?? '').split('|').filter((g) => g && g !== '(no genres listed)');
    const link = linkOf.get(movie);
    movieOut.row([`m${movie}`, 'Product', title, /\((\d{4})\)\s*$/.exec(title)?.[1] ?? '', list.join('|'), link?.imdbId ? `tt${link.imdbId}` : '', link?.tmdbId ?? '']);
    const first = firstSeen.get(movie);
    for (const g of list) {
      const id = normaliseTag(g);
      genres.set(id, g);
      if (first === undefined) {
        skip('genre of a movie nobody rated or tagged');
        continue;
      }
      out.row([`m${movie}`, 'Product', 'RELATES_TO', `genre-${id}`, 'Interest', 1, first, 'movielens-genres']);
      relatesToGenre++;
    }
  });
  movieOut.close();
  out.close();

  const interestOut = new CsvWriter(join(outDir, INTERESTS_FILE), ['id', 'type', 'name', 'kind']);
  for (const [id, name] of genres) interestOut.row([`genre-${id}`, 'Interest', name, 'genre']);
  for (const [id, forms] of spellings) {
    // Most used spelling; ties go to the one seen first.
    let best = '';
    let n = 0;
    for (const [form, count] of forms) if (count > n) [best, n] = [form, count];
    interestOut.row([`tag-${id}`, 'Interest', best, 'tag']);
  }
  interestOut.close();

  const counts: MovieLensCounts = {
    users: users.size,
    movies: movies.length,
    interests: { tags: spellings.size, genres: genres.size },
    ratings: ratings.length,
    purchased,
    viewed,
    tagRows: tags.length,
    interestedIn,
    relatesToTag,
    relatesToGenre,
    triples: out.lines,
    skipped,
  };
  writeFileSync(join(outDir, 'README.md'), attribution(counts));
  // Copied by content, not with copyFile: the source may be read-only and a rerun must overwrite.
  if (existsSync(join(input, 'README.txt'))) writeFileSync(join(outDir, 'MOVIELENS-README.txt'), readFileSync(join(input, 'README.txt')));
  return counts;
}

function attribution(c: MovieLensCounts): string {
  return `# MovieLens latest-small, converted to the triple format

Converted by \`npm run seed:movielens\` from the MovieLens "ml-latest-small" dataset of GroupLens
Research (University of Minnesota). Load it with \`npm run load -- <this folder>\`.

**Terms of use (GroupLens):** research use only; no commercial or revenue-bearing use without
permission from GroupLens; do not state or imply endorsement by the University of Minnesota or
GroupLens; redistribution (including transformations such as these files) only under the same
conditions; acknowledge the dataset in publications. The full terms are in
MOVIELENS-README.txt (a copy of the dataset's README).

Cite: F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: History and Context.
ACM Transactions on Interactive Intelligent Systems (TiiS) 5, 4: 19:1–19:19.
<https://doi.org/10.1145/2827872>

| file | content |
| --- | --- |
| ${MOVIES_FILE} | ${c.movies} movies as Product entities (title, year, genres, imdb_id, tmdb_id) |
| ${INTERESTS_FILE} | ${c.interests.genres} genres and ${c.interests.tags} tags as Interest entities |
| ${TRIPLES_FILE} | ${c.triples} triples: ${c.purchased} PURCHASED (rating ≥ 4), ${c.viewed} VIEWED (rating < 4), ${c.interestedIn} INTERESTED_IN and ${c.relatesToTag} RELATES_TO from tags, ${c.relatesToGenre} RELATES_TO from genres |
`;
}
