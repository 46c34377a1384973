import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { TRIPLE_HEADER } from '../../seeds/generator/generate.js';
import { convertMovieLens, findMovieLensInput, normaliseTag } from '../../seeds/movielens/convert.js';
import { checkEntityFile, checkTripleFile } from './seed-files.js';

const input = process.env.MOVIELENS_DIR ?? findMovieLensInput();
const out = mkdtempSync(join(tmpdir(), 'kg-seeds-ml-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('normaliseTag', () => {
  it('folds case, width and punctuation into one id', () => {
    expect(normaliseTag('  Will Ferrell ')).toBe('will-ferrell');
    expect(normaliseTag('Oscar (Best Actress)')).toBe('oscar-best-actress');
    expect(normaliseTag('Ｓｃｉ－Ｆｉ')).toBe('sci-fi');
    expect(normaliseTag('功夫')).toBe('功夫');
    expect(normaliseTag('!!!')).toBe('');
  });
});

describe.skipIf(!input || !existsSync(join(input, 'ratings.csv')))('MovieLens latest-small conversion', () => {
  it('maps every rating, tag and genre onto the core vocabulary with no row the loader would reject', () => {
    const counts = convertMovieLens(input!, out);
    const src = (f: string) => parse(readFileSync(join(input!, f)), { columns: true }) as Record<string, string>[];
    const ratings = src('ratings.csv');
    const tags = src('tags.csv');
    const movies = src('movies.csv');
    const triples = checkTripleFile(join(out, 'triples.csv'));
    const movieEntities = checkEntityFile(join(out, 'movies.csv'));
    const interestEntities = checkEntityFile(join(out, 'interests.csv'));
    expect(triples.header).toEqual([...TRIPLE_HEADER]);
    expect(triples.errors).toEqual([]);
    expect(movieEntities.errors).toEqual([]);
    expect(interestEntities.errors).toEqual([]);

    const by = (rel: string) => triples.rows.filter((t) => t.relation === rel);
    const high = ratings.filter((r) => Number(r.rating) >= 4).length;
    expect(by('PURCHASED')).toHaveLength(high);
    expect(by('VIEWED')).toHaveLength(ratings.length - high);
    expect(by('PURCHASED').every((t) => Number(t.weight) >= 4)).toBe(true);
    expect(by('VIEWED').every((t) => Number(t.weight) < 4)).toBe(true);
    expect(by('INTERESTED_IN')).toHaveLength(tags.length);
    const genreRows = movies.reduce((n, m) => n + m.genres!.split('|').filter((g) => g !== '(no genres listed)').length, 0);
    expect(by('RELATES_TO')).toHaveLength(tags.length + genreRows);
    expect(counts.triples).toBe(triples.rows.length);
    expect(counts.skipped).toEqual({});

    // Timestamps are the ratings' own Unix seconds.
    expect(by('PURCHASED')[0]).toMatchObject({ subject: `u${ratings[0]!.userId}`, object: `m${ratings[0]!.movieId}`, timestamp: ratings[0]!.timestamp });

    // Every product and interest of the triples has an entity row; movies keep their titles.
    const movieIds = new Set(movieEntities.rows.map((m) => m.id));
    const interestIds = new Set(interestEntities.rows.map((i) => i.id));
    expect(movieEntities.rows).toHaveLength(movies.length);
    expect(movieEntities.rows.find((m) => m.id === 'm1')).toMatchObject({ name: 'Toy Story (1995)', year: '1995', imdb_id: 'tt0114709' });
    const dangling = triples.rows.filter(
      (t) => (t.subject_type === 'Product' && !movieIds.has(t.subject!)) || (t.object_type === 'Product' && !movieIds.has(t.object!)) || (t.object_type === 'Interest' && !interestIds.has(t.object!)),
    );
    expect(dangling).toEqual([]);
    expect(interestIds.has('genre-sci-fi')).toBe(true);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(/non-commercial|commercial or revenue-bearing/);
  });
});
